/* serve_net.c — see serve_net.h. */
#define _GNU_SOURCE
#include "serve_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int serve_default_interface(char *name, size_t size, struct diag *d)
{
    FILE *f = fopen("/proc/net/route", "r");
    if (!f)
        return diag_fail(d, EXIT_INPUT, "/proc/net/route: %s (give --interface)", strerror(errno));
    char line[256], ifn[64];
    unsigned long dest;
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        if (sscanf(line, "%63s %lx", ifn, &dest) == 2 && dest == 0) {
            snprintf(name, size, "%s", ifn);
            found = 1;
        }
    fclose(f);
    return found ? 0 : diag_fail(d, EXIT_INPUT, "no default route: give --interface IF");
}

static int prefix_len(uint32_t mask)
{
    int n = 0;
    for (; mask & 0x80000000u; mask <<= 1)
        n++;
    return n;
}

int serve_interface_addr(const char *ifname, struct serve_addr *a, struct diag *d)
{
    struct ifaddrs *all;
    if (getifaddrs(&all) < 0)
        return diag_fail(d, EXIT_BUILD, "getifaddrs: %s", strerror(errno));
    int found = 0, exists = 0;
    for (struct ifaddrs *i = all; i && !found; i = i->ifa_next) {
        if (strcmp(i->ifa_name, ifname))
            continue;
        exists = 1;
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !i->ifa_netmask)
            continue;
        struct in_addr ip = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
        struct in_addr mask = ((struct sockaddr_in *)i->ifa_netmask)->sin_addr;
        struct in_addr net = {ip.s_addr & mask.s_addr};
        char netbuf[16];
        snprintf(a->ifname, sizeof a->ifname, "%s", ifname);
        inet_ntop(AF_INET, &ip, a->ip, sizeof a->ip);
        inet_ntop(AF_INET, &net, netbuf, sizeof netbuf);
        snprintf(a->subnet, sizeof a->subnet, "%s/%d", netbuf, prefix_len(ntohl(mask.s_addr)));
        found = 1;
    }
    freeifaddrs(all);
    if (!exists)
        return diag_fail(d, EXIT_INPUT, "--interface %s: no such interface", ifname);
    if (!found)
        return diag_fail(d, EXIT_INPUT, "--interface %s: it has no IPv4 address (a boot server needs one)", ifname);
    return 0;
}

int serve_port_free(const struct serve_addr *a, int type, const char *ip, int port, const char *what, struct diag *d)
{
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return diag_fail(d, EXIT_BUILD, "socket: %s", strerror(errno));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (ip)
        inet_pton(AF_INET, ip, &sa.sin_addr);
    else
        setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, a->ifname, (socklen_t)strlen(a->ifname));
    /* as lighttpd binds: a connection of a server before us still in TIME_WAIT
       does not make the port taken (a listening socket still does) */
    int one = 1;
    if (type == SOCK_STREAM)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    int err = errno;
    close(fd);
    if (rc < 0)
        return diag_fail(d, EXIT_INPUT, "%s on %s (%s) is taken: %s", what, a->ifname, ip ? ip : "any address",
                         strerror(err));
    return 0;
}
