/* dhcp_isc.c — dhcpd.conf for ISC dhcpd: the same three-way choice (iPXE,
 * x86-64 EFI, BIOS) inside the subnet, and a host block per client. With
 * --url-base, a fourth: UEFI HTTP boot (option 93 = 16, vendor class
 * "HTTPClient") gets ipxe.efi as an http:// URL and option 60 "HTTPClient". */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "menu.h"

void emit_isc_dhcpd(const struct menu_model *m, struct out_files *out)
{
    const struct menu_options *o = m->o;
    struct buf *b = out_new(out, "dhcpd.conf");
    struct boot_files bf;
    boot_files_get(m, &bf);
    struct cidr subnet = {0};   /* checked by cmd_menu.c */
    cidr_split(o->subnet, &subnet);
    char mask[16];
    cidr_netmask(&subnet, mask);
    menu_banner(b, "#");
    buf_puts(b, "option client-arch code 93 = unsigned integer 16;\n");
    if (!o->url_base)
        menu_http_boot_unanswered(b, "#");
    buf_puts(b, "\n");
    buf_printf(b, "subnet %s netmask %s {\n", subnet.net, mask);
    buf_printf(b, "  range %s %s;\n  next-server %s;\n", o->range_start, o->range_end, o->server_ip);
    buf_printf(b, "  if exists user-class and option user-class = \"iPXE\" {\n    filename \"%s\";\n", bf.script);
    /* 00:10, not 16 (and 00:07, not 7): dhcpd compares the option's two bytes with a
       colon-separated hex list, and a bare "16" is the one octet 0x16 (measured: OVMF's
       HTTP 00:10 and PXE 00:07 matched neither "16" nor "7" and got pxelinux.0). */
    if (o->url_base)
        buf_printf(b, "  } elsif option client-arch = 00:10 and substring(option vendor-class-identifier, 0, 10) = \"HTTPClient\" {\n"
                      "    # UEFI HTTP boot: iPXE EFI over HTTP; firmware ignores the offer without option 60 HTTPClient\n"
                      "    option vendor-class-identifier \"HTTPClient\";\n    filename \"%s/%s\";\n",
                   o->url_base, loader_efi_file(LOADER_IPXE));
    buf_printf(b, "  } elsif option client-arch = 00:07 or option client-arch = 00:09 {\n    filename \"%s\";\n", bf.efi);
    buf_printf(b, "  } else {\n    filename \"%s\";\n  }\n}\n", bf.bios);
    for (size_t c = 0; c < m->nc; c++)
        buf_printf(b, "\nhost %s {\n  hardware ethernet %s;\n  option host-name \"%s\";\n}\n", m->c[c].hostname,
                   m->c[c].mac, m->c[c].hostname);
    boot_files_free(&bf);
}
