/* test_cidr.c — unit tests for builder/cidr.c (TAP on stdout). */
#define _GNU_SOURCE
#include "../../builder/cidr.h"
#include "tap.h"

#include <string.h>

static void split_ok(struct tap *t, const char *s, const char *net, int bits, const char *mask)
{
    struct cidr c;
    int r = cidr_split(s, &c);
    is_int(t, r, 0, "%s splits", s);
    if (r != 0)
        return;
    is_str(t, c.net, net, "%s: address %s", s, net);
    is_int(t, c.bits, bits, "%s: length %d", s, bits);
    char m[16];
    cidr_netmask(&c, m);
    is_str(t, m, mask, "%s: netmask %s", s, mask);
}

static void split_fails(struct tap *t, const char *s)
{
    struct cidr c;
    is_int(t, cidr_split(s, &c), -1, "\"%s\" is refused", s);
}

int main(void)
{
    struct tap t = {0};
    split_ok(&t, "192.168.1.0/24", "192.168.1.0", 24, "255.255.255.0");
    split_ok(&t, "10.0.2.0/23", "10.0.2.0", 23, "255.255.254.0");
    split_ok(&t, "10.0.0.0/8", "10.0.0.0", 8, "255.0.0.0");
    split_ok(&t, "172.16.0.0/30", "172.16.0.0", 30, "255.255.255.252");
    split_ok(&t, "0.0.0.0/0", "0.0.0.0", 0, "0.0.0.0");
    split_ok(&t, "255.255.255.255/32", "255.255.255.255", 32, "255.255.255.255");
    split_fails(&t, "192.168.1.0");
    split_fails(&t, "192.168.1.0/");
    split_fails(&t, "192.168.1.0/24x");
    split_fails(&t, "192.168.1.0/33");
    split_fails(&t, "192.168.1.0/-1");
    split_fails(&t, "1192.168.100.100/24");
    split_fails(&t, "");
    return tap_done(&t);
}
