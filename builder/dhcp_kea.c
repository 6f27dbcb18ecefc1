/* dhcp_kea.c — kea-dhcp4.json: client classes that mirror dnsmasq's tags
 * (iPXE first, then x86-64 EFI, then BIOS) and a reservation per client.
 * Kea cannot act as a proxy-DHCP server: in proxy mode use dnsmasq.conf.
 * With --url-base, a class for UEFI HTTP boot (option 93 = 16, vendor class
 * "HTTPClient"): ipxe.efi as an http:// URL and option 60 "HTTPClient" sent
 * always (firmware drops HTTP offers without it). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "menu.h"

void emit_kea(const struct menu_model *m, struct out_files *out)
{
    const struct menu_options *o = m->o;
    struct buf *b = out_new(out, "kea-dhcp4.json");
    struct boot_files bf;
    boot_files_get(m, &bf);
    menu_banner(b, "//");
    buf_puts(b, "{\n  \"Dhcp4\": {\n");
    /* Kea opens no socket on an interface that is down or has no carrier when
     * it starts, and by default never tries again: a boot server whose link
     * (or a bridge whose first port) comes up after Kea would never answer.
     * Said in the file too, for the admin who wonders about the retry lines. */
    buf_puts(b, "    // Kea opens no socket on a link that is down when it starts: try again every 2 s for 3 minutes.\n");
    buf_printf(b, "    \"interfaces-config\": { \"interfaces\": [ \"%s\" ],\n", o->interface ? o->interface : "*");
    buf_puts(b, "      \"service-sockets-max-retries\": 90, \"service-sockets-retry-wait-time\": 2000 },\n");
    buf_puts(b, "    \"lease-database\": { \"type\": \"memfile\", \"lfc-interval\": 3600 },\n");
    buf_puts(b, "    \"valid-lifetime\": 43200,\n");
    if (!o->url_base)
        menu_http_boot_unanswered(b, "    //");
    buf_puts(b, "    \"client-classes\": [\n");
    buf_printf(b, "      { \"name\": \"ipxe\", \"test\": \"option[175].exists or substring(option[77].hex,0,4) == 'iPXE'\",\n"
                  "        \"boot-file-name\": \"%s\" },\n", bf.script);
    buf_printf(b, "      { \"name\": \"efi-x86-64\", \"test\": \"not member('ipxe') and (option[93].hex == 0x0007 or option[93].hex == 0x0009)\",\n"
                  "        \"boot-file-name\": \"%s\" },\n", bf.efi);
    buf_printf(b, "      { \"name\": \"bios\", \"test\": \"not member('ipxe') and option[93].hex == 0x0000\",\n"
                  "        \"boot-file-name\": \"%s\" }%s\n", bf.bios, o->url_base ? "," : "");
    if (o->url_base)
        buf_printf(b, "      { \"name\": \"efi-x86-64-http\", \"test\": \"not member('ipxe') and option[93].hex == 0x0010 and "
                      "substring(option[60].hex,0,10) == 'HTTPClient'\",\n"
                      "        \"boot-file-name\": \"%s/%s\",\n"
                      "        \"option-data\": [ { \"name\": \"vendor-class-identifier\", \"data\": \"HTTPClient\", "
                      "\"always-send\": true } ] }\n", o->url_base, loader_efi_file(LOADER_IPXE));
    buf_puts(b, "    ],\n    \"subnet4\": [\n      {\n");
    buf_printf(b, "        \"id\": 1,\n        \"subnet\": \"%s\",\n", o->subnet);
    buf_printf(b, "        \"pools\": [ { \"pool\": \"%s - %s\" } ],\n", o->range_start, o->range_end);
    buf_printf(b, "        \"next-server\": \"%s\",\n", o->server_ip);
    buf_puts(b, "        \"reservations\": [");
    for (size_t c = 0; c < m->nc; c++)
        buf_printf(b, "%s\n          { \"hw-address\": \"%s\", \"hostname\": \"%s\" }", c ? "," : "", m->c[c].mac,
                   m->c[c].hostname);
    buf_printf(b, "%s]\n      }\n    ]\n  }\n}\n", m->nc ? "\n        " : " ");
    boot_files_free(&bf);
}
