/* serve_net.h — what `tinynetboot serve` checks on this machine before it starts:
 * the interface's IPv4 address, and that the ports it needs are free.
 * A reason for refusing comes back as a diag (EXIT_INPUT). */
#ifndef TNB_SERVE_NET_H
#define TNB_SERVE_NET_H

#include "util.h"

struct serve_addr {
    char ifname[64];
    char ip[16];          /* dotted quad */
    char subnet[32];      /* a.b.c.d/len, the network address */
};

/* The interface of the default route (/proc/net/route), into name. */
int serve_default_interface(char *name, size_t size, struct diag *d);
/* The first IPv4 address of ifname; refuses when it has none. */
int serve_interface_addr(const char *ifname, struct serve_addr *a, struct diag *d);
/* Can a socket of type (SOCK_DGRAM / SOCK_STREAM) bind ip:port (ip NULL: any
 * address, bound to the interface as dnsmasq's DHCP socket is)? Refuses with
 * what: e.g. "UDP port 67 (DHCP)". */
int serve_port_free(const struct serve_addr *a, int type, const char *ip, int port, const char *what, struct diag *d);

#endif
