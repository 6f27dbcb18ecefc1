/* dhcp_dnsmasq.c — dnsmasq.conf: DHCP+TFTP (full mode) or proxy-DHCP (the
 * site's router keeps handing out addresses). Clients are tagged by firmware
 * (option 93: 0 BIOS, 7/9 x86-64 EFI) and by being iPXE already (option 175
 * or user-class "iPXE"), so iPXE gets the script and is never chain-loaded
 * again: no loop. With --url-base (full mode), UEFI HTTP boot clients
 * (option 93 = 16, vendor class "HTTPClient") get ipxe.efi as an http:// URL
 * and option 60 "HTTPClient" (firmware drops HTTP offers without it); the
 * iPXE they start asks again as iPXE and gets boot.ipxe. TFTP is sized for
 * the fleet: tftp-max (concurrent transfers) from the clients file, tftp-mtu
 * 1500 so a negotiated block fits one Ethernet frame. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "menu.h"

/* "grub/i386-pc/core.0" -> "grub/i386-pc/core": pxe-service adds ".0" itself. */
static char *without_dot0(const char *file)
{
    size_t n = strlen(file);
    if (n > 2 && !strcmp(file + n - 2, ".0"))
        return strndup(file, n - 2);
    return xstrdup(file);
}

/* UEFI HTTP boot: what the config says for it, per mode. */
static void http_boot(const struct menu_options *o, struct buf *b)
{
    if (!o->url_base) {
        buf_puts(b, "\n");
        menu_http_boot_unanswered(b, "#");
        return;
    }
    if (o->dhcp_mode == DHCP_PROXY) {
        buf_puts(b, "\n# UEFI HTTP boot (client-arch 16, vendor class HTTPClient): not answered in proxy mode\n"
                    "# (dnsmasq's proxy-DHCP answers PXEClient only): use --dhcp-mode full for HTTP boot.\n");
        return;
    }
    buf_printf(b, "\n# UEFI HTTP boot (client-arch 16, vendor class HTTPClient): iPXE EFI over HTTP, which then\n"
                  "# asks again as iPXE and gets the script; option 60 HTTPClient, or the firmware ignores the offer\n"
                  "dhcp-match=set:efi64-http,option:client-arch,16\n"
                  "dhcp-vendorclass=set:httpclient,HTTPClient\n"
                  "dhcp-boot=tag:!ipxe,tag:efi64-http,tag:httpclient,%s/%s\n"
                  "dhcp-option-force=tag:!ipxe,tag:efi64-http,tag:httpclient,option:vendor-class,HTTPClient\n",
               o->url_base, loader_efi_file(LOADER_IPXE));
}

/* tftp-max: dnsmasq serves at most 50 TFTP transfers at once by default; a
 * boot storm (a room powered on together) holds one transfer per client while
 * its loader, kernel and layers come down, so the 51st client waits and its
 * PXE ROM times out. Default: one per client in the clients file, never below
 * dnsmasq's own 50 (unlisted clients boot too), and at most 1000: each
 * transfer costs dnsmasq a file descriptor (it scales the limit down to what
 * its descriptor limit allows and logs that), and far past a thousand
 * simultaneous boots TFTP is the wrong transport anyway: iPXE over HTTP
 * (--url-base) moves the kernel and layers to a static web server. */
int dnsmasq_tftp_max(const struct menu_options *o, size_t nclients)
{
    if (o->tftp_max > 0)
        return o->tftp_max;
    if (nclients < DNSMASQ_TFTP_MAX_FLOOR)
        return DNSMASQ_TFTP_MAX_FLOOR;
    return nclients > DNSMASQ_TFTP_MAX_CEILING ? DNSMASQ_TFTP_MAX_CEILING : (int)nclients;
}

/* tftp-mtu caps the blksize dnsmasq agrees to at what fits the MTU: a client
 * (GRUB, iPXE) asking for 8 KiB blocks otherwise gets IP-fragmented 8 KiB
 * datagrams, and one lost fragment on a busy 1500-byte network costs the
 * whole block and a timeout. 1500 gives 1468-byte blocks (IP+UDP+TFTP headers
 * off), 3 times the 512 of a client that negotiates nothing. */
static void tftp_limits(const struct menu_model *m, struct buf *b)
{
    const struct menu_options *o = m->o;
    buf_printf(b, "# concurrent TFTP transfers (dnsmasq's default is 50): %s\ntftp-max=%d\n",
               o->tftp_max > 0 ? "--tftp-max" : "one per client, 50 to 1000", dnsmasq_tftp_max(o, m->nc));
    if (o->tftp_mtu < 0)
        buf_puts(b, "# TFTP block size: as the client asks (--tftp-mtu 0)\n");
    else
        buf_printf(b, "# TFTP blocks fit one frame of this MTU (no IP fragments)\ntftp-mtu=%d\n",
                   o->tftp_mtu ? o->tftp_mtu : DNSMASQ_TFTP_MTU_DEFAULT);
}

static void tags(struct buf *b)
{
    buf_puts(b, "\n# who is asking\n"
                "dhcp-match=set:ipxe,175\n"
                "dhcp-userclass=set:ipxe,iPXE\n"
                "dhcp-match=set:bios,option:client-arch,0\n"
                "dhcp-match=set:efi64,option:client-arch,7\n"
                "dhcp-match=set:efi64,option:client-arch,9\n");
}

void emit_dnsmasq(const struct menu_model *m, struct out_files *out)
{
    const struct menu_options *o = m->o;
    struct buf *b = out_new(out, "dnsmasq.conf");
    struct boot_files bf;
    boot_files_get(m, &bf);
    menu_banner(b, "#");
    buf_printf(b, "# Mode: %s.\n", o->dhcp_mode == DHCP_PROXY
                   ? "proxy-DHCP: your router keeps giving out addresses, dnsmasq only adds the boot offer"
                   : "full DHCP + TFTP server");
    buf_puts(b, "port=0\nlog-dhcp\n");
    if (o->interface)
        buf_printf(b, "interface=%s\nbind-interfaces\n", o->interface);
    buf_printf(b, "enable-tftp\ntftp-root=%s\n", o->tftp_root ? o->tftp_root : o->release_dir);
    tftp_limits(m, b);
    tags(b);
    if (o->dhcp_mode == DHCP_PROXY) {
        struct cidr subnet = {0};   /* checked by cmd_menu.c */
        cidr_split(o->subnet, &subnet);
        char *bios_base = without_dot0(bf.bios);
        buf_printf(b, "\ndhcp-range=%s,proxy\n", subnet.net);
        buf_printf(b, "pxe-prompt=\"tinynetboot\",0\n");
        buf_printf(b, "pxe-service=tag:!ipxe,x86PC,\"tinynetboot (BIOS)\",%s\n", bios_base);
        buf_printf(b, "pxe-service=tag:!ipxe,X86-64_EFI,\"tinynetboot (UEFI)\",%s\n", bf.efi);
        /* the server address makes the proxy offer carry next-server as well as
           the boot file: iPXE then boots from the offer itself. Without it QEMU's
           iPXE ROM (Debian's 2019 build, BIOS) sent ProxyDHCP requests, took none
           of dnsmasq's answers and said "Nothing to boot" (seen) */
        buf_printf(b, "dhcp-boot=tag:ipxe,%s,,%s\n", bf.script, o->server_ip);
        free(bios_base);
    } else {
        buf_printf(b, "\ndhcp-range=%s,%s,12h\n", o->range_start, o->range_end);
        buf_printf(b, "\n# what each one gets\n");
        buf_printf(b, "dhcp-boot=tag:ipxe,%s\n", bf.script);
        buf_printf(b, "dhcp-boot=tag:!ipxe,tag:efi64,%s\n", bf.efi);
        buf_printf(b, "dhcp-boot=tag:!ipxe,tag:bios,%s\n", bf.bios);
    }
    http_boot(o, b);
    if (m->nc)
        buf_puts(b, "\n# clients from the clients file (their menus are per-MAC in each loader)\n");
    for (size_t c = 0; c < m->nc; c++)
        buf_printf(b, "dhcp-host=%s,%s\n", m->c[c].mac, m->c[c].hostname);
    boot_files_free(&bf);
}
