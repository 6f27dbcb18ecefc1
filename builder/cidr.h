/* cidr.h — the one parser of "a.b.c.d/LEN" (--subnet), for cmd_menu.c and the
 * DHCP emitters. It splits and checks the shape only: the address part is
 * at most 15 characters, LEN a number 0..32 and nothing after it; whether the
 * address is a valid IPv4 address, and which LEN is sensible, the caller decides. */
#ifndef TNB_CIDR_H
#define TNB_CIDR_H

struct cidr {
    char net[16];   /* the address part as given, e.g. "10.0.2.0" */
    int bits;       /* the prefix length, e.g. 24 */
};

/* 0 and *c filled, or -1 when s is not ADDRESS/LEN. */
int cidr_split(const char *s, struct cidr *c);
/* The prefix length as a dotted netmask: 24 -> "255.255.255.0". */
void cidr_netmask(const struct cidr *c, char mask[16]);
/* The default DHCP range of a checked subnet: .100 to .199 of its network address. */
void cidr_default_range(const char *subnet, char start[16], char end[16]);

#endif
