/* serve_log.h — one line per client boot, from the servers' logs (`tinynetboot serve`).
 *
 * Fed line by line with dnsmasq's log (log-dhcp: a DHCP or proxy-DHCP line
 * names the client's MAC; TFTP: "sent /REL/FILE to IP") and the HTTP server's
 * access log in serve's own format ("IP STATUS /FILE"). A client is known by
 * MAC; a TFTP or HTTP fetch names only an IP, mapped to a MAC by what the DHCP
 * lines said or else by `ip_to_mac` (serve: the kernel's ARP table). The first
 * file a client fetches is its loader; after it, kernels (*.bzImage) and layers
 * (*.cpio.xz). Once a client that fetched a kernel has been quiet for
 * SERVE_LOG_IDLE seconds its line is printed (SERVE_LOG_IDLE_STACK while what it
 * fetched is only the start of a menu entry's stack), e.g.
 *   52:54:00:12:34:56 pc17: boot.ipxe -> vnc: linux-pc.bzImage base.cpio.xz fbvnc.cpio.xz in 2.3 s
 * (the image named when the files are a menu entry's stack; the hostname from
 * the clients file). Pure: no clock, no file, no process of its own. */
#ifndef TNB_SERVE_LOG_H
#define TNB_SERVE_LOG_H

#include <stdio.h>

#include "menu.h"

#define SERVE_LOG_IDLE 3.0
#define SERVE_LOG_IDLE_STACK 60.0   /* when the files are only the start of an entry's stack */

struct serve_client {
    char mac[18], ip[16];
    char *loader;
    struct strv files;     /* kernels and layers, in fetch order */
    double first, last;    /* the boot's first DHCP packet (or file), its last file */
    int started;
};

struct serve_log {
    const char *release_dir;            /* TFTP paths are made relative to it */
    const struct menu_model *m;         /* for image names and hostnames; may be NULL */
    int (*ip_to_mac)(const char *ip, char mac[18]);   /* 0 when found; may be NULL */
    struct serve_client *c;
    size_t n;
};

void serve_log_dnsmasq(struct serve_log *sl, const char *line, double now);
void serve_log_http(struct serve_log *sl, const char *line, double now);
/* Print the lines of clients quiet since SERVE_LOG_IDLE, or SERVE_LOG_IDLE_STACK while
   their files are only the start of a menu entry's stack (all with a kernel when force). */
void serve_log_flush(struct serve_log *sl, double now, int force, FILE *out);
void serve_log_free(struct serve_log *sl);

#endif
