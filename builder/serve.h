/* serve.h — running the boot servers of `tinynetboot serve` until a signal.
 *
 * dnsmasq (DHCP or proxy-DHCP, and TFTP) with the release's own dnsmasq.conf
 * (written by the menu emitters), and lighttpd with a config of ours in the
 * state directory: document root the release, bound to the interface's
 * address, static files only, an access log "IP STATUS /PATH". Both run in the
 * foreground as our children, their logs in the state directory; serve_log.c
 * turns the logs into one line per client boot on stdout. SIGINT, SIGTERM or
 * SIGHUP stop both (SIGTERM, then SIGKILL after 3 s) and return 0; a server
 * that dies on its own stops the other and is an error (EXIT_BUILD, with the
 * last lines of its output). */
#ifndef TNB_SERVE_H
#define TNB_SERVE_H

#include "menu.h"
#include "serve_net.h"

struct serve_plan {
    const char *release_dir;     /* absolute */
    const char *state_dir;       /* private, removed by the caller */
    const struct serve_addr *addr;
    int http_port;
    const char *mode;            /* "proxy-DHCP" or "DHCP", for the ready line */
    const struct menu_model *m;
};

int serve_run(const struct serve_plan *p, struct diag *d);

#endif
