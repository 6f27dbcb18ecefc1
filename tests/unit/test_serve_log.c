/* test_serve_log.c — serve's one line per client boot, from dnsmasq's and lighttpd's logs. */
#define _GNU_SOURCE
#include "serve_log.h"
#include "tap.h"

static int fake_arp(const char *ip, char mac[18])
{
    if (strcmp(ip, "10.99.0.150"))
        return -1;
    memcpy(mac, "52:54:00:00:5e:02", 18);
    return 0;
}

static char *flushed(struct serve_log *sl, double now, int force)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    serve_log_flush(sl, now, force, f);
    fclose(f);
    return text;
}

/* A client paused between its kernel and its layers (a loaded server) keeps its
   line back while its files are only the start of a menu entry's stack. */
static void still_fetching(struct tap *t)
{
    struct boot_entry e = {.id = "client-biospc", .per_mac_only = 1};
    for (int fw = 0; fw < FW_COUNT; fw++) {
        e.kernel[fw] = "linux-pc.bzImage";
        strv_push(&e.initrds[fw], "base.cpio.xz");
        strv_push(&e.initrds[fw], "sites/probe.cpio.xz");
    }
    struct menu_client mc = {.mac = "52:54:00:00:5e:01", .hostname = "biospc", .entry = 0};
    struct menu_model m = {.e = &e, .n = 1, .c = &mc, .nc = 1};
    struct serve_log sl = {.release_dir = "/srv/rel", .m = &m};
    serve_log_dnsmasq(&sl, "dnsmasq-dhcp[1]: 1 DHCPACK(br0) 10.99.0.160 52:54:00:00:5e:01 biospc", 0.0);
    serve_log_http(&sl, "10.99.0.160 200 /boot.ipxe", 1.0);
    serve_log_http(&sl, "10.99.0.160 200 /linux-pc.bzImage", 2.0);
    char *s = flushed(&sl, 2.0 + SERVE_LOG_IDLE + 10, 0);
    is_str(t, s, "", "kernel only, the start of the client's stack: no line after SERVE_LOG_IDLE");
    free(s);
    serve_log_http(&sl, "10.99.0.160 200 /base.cpio.xz", 15.0);
    serve_log_http(&sl, "10.99.0.160 200 /sites/probe.cpio.xz", 15.5);
    s = flushed(&sl, 15.5 + SERVE_LOG_IDLE, 0);
    is_str(t, s, "52:54:00:00:5e:01 biospc: boot.ipxe -> client-biospc: linux-pc.bzImage base.cpio.xz sites/probe.cpio.xz in 15.5 s\n",
           "the whole stack: the line, with the image, SERVE_LOG_IDLE after its last layer");
    free(s);
    serve_log_dnsmasq(&sl, "dnsmasq-dhcp[1]: 2 DHCPACK(br0) 10.99.0.160 52:54:00:00:5e:01 biospc", 100.0);
    serve_log_http(&sl, "10.99.0.160 200 /boot.ipxe", 101.0);
    serve_log_http(&sl, "10.99.0.160 200 /linux-pc.bzImage", 102.0);
    is_int(t, (long long)sl.n, 1, "one client per MAC, however many DHCP lines name it (the MAC ends inside the line)");
    s = flushed(&sl, 102.0 + SERVE_LOG_IDLE_STACK, 0);
    is_str(t, s, "52:54:00:00:5e:01 biospc: boot.ipxe -> linux-pc.bzImage in 2.0 s\n",
           "a stack never finished: its line after SERVE_LOG_IDLE_STACK, timed from this boot's DHCP line");
    free(s);
    serve_log_free(&sl);
    for (int fw = 0; fw < FW_COUNT; fw++)
        strv_free(&e.initrds[fw]);
}

int main(void)
{
    struct tap t = {0};
    struct serve_log sl = {.release_dir = "/srv/rel", .ip_to_mac = fake_arp};
    serve_log_dnsmasq(&sl, "Dec  1 08:36:37 dnsmasq-dhcp[1]: 4147141000 PXE(br0) 52:54:00:00:5E:02 proxy", 10.0);
    serve_log_dnsmasq(&sl, "Dec  1 08:36:38 dnsmasq-tftp[1]: sent /srv/rel/ipxe.efi to 10.99.0.150", 11.0);
    serve_log_http(&sl, "10.99.0.150 200 /boot.ipxe", 12.0);
    serve_log_http(&sl, "10.99.0.150 200 /linux-efi.bzImage", 12.5);
    serve_log_http(&sl, "10.99.0.150 404 /nothing.cpio.xz", 12.6);
    serve_log_http(&sl, "10.99.0.150 200 /base.cpio.xz", 13.0);
    serve_log_http(&sl, "10.99.0.77 200 /base.cpio.xz", 13.0);   /* unknown IP, not in ARP: dropped */
    char *s = flushed(&sl, 14.0, 0);
    is_str(&t, s, "", "nothing while the client is still fetching");
    free(s);
    s = flushed(&sl, 13.0 + SERVE_LOG_IDLE, 0);
    is_str(&t, s, "52:54:00:00:5e:02: ipxe.efi -> linux-efi.bzImage base.cpio.xz in 3.0 s\n",
           "one line once quiet: MAC (lower case, from the DHCP line; the TFTP/HTTP IP through ARP), loader, kernel and "
           "layers, time from the first DHCP packet");
    free(s);
    s = flushed(&sl, 100.0, 1);
    is_str(&t, s, "", "printed once");
    free(s);
    serve_log_dnsmasq(&sl, "dnsmasq-dhcp[1]: 1 DHCPACK(br0) 10.99.0.160 52:54:00:00:5e:01 biospc", 200.0);
    serve_log_http(&sl, "10.99.0.160 200 /boot.ipxe", 201.0);
    s = flushed(&sl, 300.0, 1);
    is_str(&t, s, "", "no line for a client that fetched no kernel");
    free(s);
    serve_log_http(&sl, "10.99.0.160 200 /linux-pc.bzImage", 202.0);
    s = flushed(&sl, 202.5, 1);
    is_str(&t, s, "52:54:00:00:5e:01: boot.ipxe -> linux-pc.bzImage in 2.0 s\n",
           "the IP from a DHCPACK line; forced at stop");
    free(s);
    serve_log_free(&sl);
    still_fetching(&t);
    return tap_done(&t);
}
