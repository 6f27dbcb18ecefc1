/* cidr.c — see cidr.h. */
#define _GNU_SOURCE
#include "cidr.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int cidr_split(const char *s, struct cidr *c)
{
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof c->net || !slash[1])
        return -1;
    char *end;
    long bits = strtol(slash + 1, &end, 10);
    if (*end || bits < 0 || bits > 32)
        return -1;
    memcpy(c->net, s, (size_t)(slash - s));
    c->net[slash - s] = 0;
    c->bits = (int)bits;
    return 0;
}

void cidr_netmask(const struct cidr *c, char mask[16])
{
    uint32_t m = c->bits ? 0xffffffffu << (32 - c->bits) : 0;
    struct in_addr a = {htonl(m)};
    inet_ntop(AF_INET, &a, mask, 16);
}

void cidr_default_range(const char *subnet, char start[16], char end[16])
{
    struct in_addr a;
    struct cidr c = {0};
    cidr_split(subnet, &c);
    inet_pton(AF_INET, c.net, &a);
    uint32_t base = ntohl(a.s_addr);
    struct in_addr s = {htonl(base + 100)}, e = {htonl(base + 199)};
    inet_ntop(AF_INET, &s, start, 16);
    inet_ntop(AF_INET, &e, end, 16);
}
