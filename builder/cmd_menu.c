/* cmd_menu.c — `tinynetboot menu`: boot menus and DHCP configs for a release.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "loaders.h"
#include "menu.h"

static const char usage_menu[] =
    "usage: tinynetboot menu [--release DIR] [--clients FILE] [OPTIONS]\n"
    "Write every boot-server output into the release directory: pxelinux.cfg/default (and\n"
    "01-<mac> per client), boot.ipxe, grub/grub.cfg (and grub.cfg-01-<mac>), dnsmasq.conf,\n"
    "kea-dhcp4.json, dhcpd.conf, and the loaders from Debian's packages (pxelinux.0 with\n"
    "menu.c32, undionly.0 and ipxe.efi, GRUB's i386-pc and x86_64-efi netboot images).\n"
    "Images (recipes of kind image) appear when all their layers are in the release.\n"
    "  --release DIR        default OUTPUT/release\n"
    "  --clients FILE       groups and MACs -> image, cmdline, site layers, password (README)\n"
    "  --url-base URL       iPXE fetches kernel and layers over HTTP from URL (e.g. http://10.0.0.1/tnb)\n"
    "  --tftp-prefix P      the release lives in P/ under the TFTP root\n"
    "  --default IMAGE      the menu's default entry (default: vnc, the thin client, when\n"
    "                       the release has it, else the first image by name)\n"
    "  --timeout SECONDS    menu timeout (default 5)\n"
    "  --append ARGS        extra kernel arguments for every entry (e.g. console=ttyS0)\n"
    "  --dhcp-mode full|proxy   dnsmasq: full DHCP+TFTP, or proxy-DHCP beside your router\n"
    "  --bios-loader pxelinux|ipxe|grub   what BIOS clients get first (default pxelinux)\n"
    "  --efi-loader grub|ipxe   what x86-64 UEFI clients get first (default grub)\n"
    "  --server-ip IP       the TFTP/next-server address (Kea, dhcpd; default 192.168.1.10)\n"
    "  --subnet CIDR        default 192.168.1.0/24\n"
    "  --range START,END    address pool (default .100-.199 of the subnet)\n"
    "  --interface IF       dnsmasq/Kea listen only here\n"
    "  --tftp-root DIR      dnsmasq tftp-root (default: the release dir's absolute path)\n"
    "  --tftp-max N         dnsmasq's concurrent TFTP transfers, 1..65535 (default: one per\n"
    "                       client in the clients file, at least 50, dnsmasq's own, at most 1000)\n"
    "  --tftp-mtu N         dnsmasq caps the TFTP block size to fit this MTU, 576..65535\n"
    "                       (default 1500: a block is one Ethernet frame; 0: as the client asks)\n"
    "  --no-loaders         don't copy the loader binaries\n"
    "Large sites (hundreds of clients booting at once): give --url-base and boot iPXE\n"
    "(--bios-loader ipxe --efi-loader ipxe): TFTP then carries only the small loader, the\n"
    "kernel and layers come over HTTP from any plain static web server (nginx, lighttpd, a\n"
    "CDN) serving the release directory: files only, no server-side logic.\n";

/* Text given on the command line that ends up inside menus or configs. */
static int plain_arg(const char *what, const char *v, struct diag *d)
{
    for (const char *c = v; *c; c++)
        if (*c <= 0x20 || *c > 0x7e || strchr("\"'`$\\;{},", *c))
            return diag_fail(d, EXIT_INPUT, "%s \"%s\": contains '%c', not allowed here", what, v, *c > 0x20 ? *c : ' ');
    return 0;
}

static int check_ip(const char *what, const char *v, struct diag *d)
{
    struct in_addr a;
    if (inet_pton(AF_INET, v, &a) != 1)
        return diag_fail(d, EXIT_INPUT, "%s \"%s\": not an IPv4 address", what, v);
    return 0;
}

static int check_cidr(const char *v, struct diag *d)
{
    struct cidr c;
    if (cidr_split(v, &c) < 0 || c.bits < 8 || c.bits > 30)
        return diag_fail(d, EXIT_INPUT, "--subnet \"%s\": expected a.b.c.d/LEN with LEN 8..30", v);
    return check_ip("--subnet", c.net, d);
}


/* A whole number in [lo, hi], or 0 when zero_ok and v is "0"; else exit 2. */
static int parse_count(const char *opt, const char *v, long lo, long hi, int zero_ok, int *out, struct diag *d)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || !((n >= lo && n <= hi) || (zero_ok && n == 0)) || !(*v >= '0' && *v <= '9'))
        return diag_fail(d, EXIT_INPUT, "%s \"%s\": expected a whole number from %ld to %ld%s", opt, v, lo, hi,
                         zero_ok ? ", or 0" : "");
    *out = (int)n;
    return 0;
}


struct menu_args {
    struct menu_options o;
    char range_buf[2][16];
    char *url_base, *tftp_prefix, *release_abs;
    int no_loaders;
};

static int menu_option(void *ctx, int c, char *v, struct diag *d)
{
    struct menu_args *a = ctx;
    struct menu_options *o = &a->o;
    char bad;
    switch (c) {
    case 'r': o->release_dir = v; return 0;
    case 'c': o->clients_file = v; return 0;
    case 'u':
        if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
            return diag_fail(d, EXIT_INPUT, "--url-base \"%s\": expected http://HOST/PATH", v);
        free(a->url_base);
        a->url_base = xstrdup(v);
        for (size_t n = strlen(a->url_base); n && a->url_base[n - 1] == '/'; n--)
            a->url_base[n - 1] = 0;
        o->url_base = a->url_base;
        return plain_arg("--url-base", v, d);
    case 'p':
        if (strstr(v, ".."))
            return diag_fail(d, EXIT_INPUT, "--tftp-prefix \"%s\": must stay inside the TFTP root", v);
        free(a->tftp_prefix);
        a->tftp_prefix = xstrdup(v + strspn(v, "/"));
        for (size_t n = strlen(a->tftp_prefix); n && a->tftp_prefix[n - 1] == '/'; n--)
            a->tftp_prefix[n - 1] = 0;
        o->tftp_prefix = *a->tftp_prefix ? a->tftp_prefix : NULL;
        return plain_arg("--tftp-prefix", v, d);
    case 'D': o->default_image = v; return 0;
    case 't': {
        char *end;
        long t = strtol(v, &end, 10);
        if (*end || t < 0 || t > 3600)
            return diag_fail(d, EXIT_INPUT, "--timeout \"%s\": seconds from 0 to 3600", v);
        o->timeout_s = (int)t;
        return 0;
    }
    case 'a':
        if (!cmdline_text_ok(v, &bad))
            return diag_fail(d, EXIT_INPUT, "--append: contains '%c', which boot menus cannot carry safely", bad);
        o->append = v;
        return 0;
    case 'm':
        if (!strcmp(v, "full"))
            o->dhcp_mode = DHCP_FULL;
        else if (!strcmp(v, "proxy"))
            o->dhcp_mode = DHCP_PROXY;
        else
            return diag_fail(d, EXIT_INPUT, "--dhcp-mode \"%s\": expected full or proxy", v);
        return 0;
    case 'B': return loader_parse(v, 0, &o->bios_loader, d);
    case 'E': return loader_parse(v, 1, &o->efi_loader, d);
    case 's': o->server_ip = v; return check_ip("--server-ip", v, d);
    case 'n': o->subnet = v; return check_cidr(v, d);
    case 'R': {
        char *comma = strchr(v, ',');
        if (!comma || comma - v >= 16 || strlen(comma + 1) >= 16)
            return diag_fail(d, EXIT_INPUT, "--range \"%s\": expected START,END", v);
        memcpy(a->range_buf[0], v, (size_t)(comma - v));
        a->range_buf[0][comma - v] = 0;
        strcpy(a->range_buf[1], comma + 1);
        o->range_start = a->range_buf[0];
        o->range_end = a->range_buf[1];
        return check_ip("--range", o->range_start, d) < 0 ? -1 : check_ip("--range", o->range_end, d);
    }
    case 'i': o->interface = v; return plain_arg("--interface", v, d);
    case 'T': o->tftp_root = v; return plain_arg("--tftp-root", v, d);
    case 'L': a->no_loaders = 1; return 0;
    case 'X': return parse_count("--tftp-max", v, 1, 65535, 0, &o->tftp_max, d);
    case 'M':
        if (parse_count("--tftp-mtu", v, 576, 65535, 1, &o->tftp_mtu, d) < 0)
            return -1;
        if (o->tftp_mtu == 0)
            o->tftp_mtu = -1;   /* menu.h: -1 = no tftp-mtu line */
        return 0;
    }
    return diag_fail(d, EXIT_INPUT, "menu: unknown option (see tinynetboot menu --help)");
}

static int menu_parse_args(const struct globals *g, int argc, char **argv, struct menu_args *a, struct diag *d)
{
    static const struct option opts[] = {
        {"release", required_argument, NULL, 'r'},     {"clients", required_argument, NULL, 'c'},
        {"url-base", required_argument, NULL, 'u'},    {"tftp-prefix", required_argument, NULL, 'p'},
        {"default", required_argument, NULL, 'D'},     {"timeout", required_argument, NULL, 't'},
        {"append", required_argument, NULL, 'a'},      {"dhcp-mode", required_argument, NULL, 'm'},
        {"bios-loader", required_argument, NULL, 'B'}, {"efi-loader", required_argument, NULL, 'E'},
        {"server-ip", required_argument, NULL, 's'},   {"subnet", required_argument, NULL, 'n'},
        {"range", required_argument, NULL, 'R'},       {"interface", required_argument, NULL, 'i'},
        {"tftp-root", required_argument, NULL, 'T'},   {"no-loaders", no_argument, NULL, 'L'},
        {"tftp-max", required_argument, NULL, 'X'},    {"tftp-mtu", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->o.timeout_s = 5;
    a->o.server_ip = "192.168.1.10";
    a->o.subnet = "192.168.1.0/24";
    a->o.efi_loader = LOADER_GRUB;
    int first = cmd_parse_options("menu", argc, argv, opts, menu_option, a, d);
    if (first < 0)
        return -1;
    if (first < argc)
        return diag_fail(d, EXIT_INPUT, "menu: unexpected argument \"%s\"", argv[first]);
    if (a->url_base && a->tftp_prefix)
        return diag_fail(d, EXIT_INPUT, "menu: give --url-base or --tftp-prefix, not both");
    if (!a->o.range_start) {
        cidr_default_range(a->o.subnet, a->range_buf[0], a->range_buf[1]);
        a->o.range_start = a->range_buf[0];
        a->o.range_end = a->range_buf[1];
    }
    char *rel = a->o.release_dir ? xstrdup(a->o.release_dir) : xasprintf("%s/release", g->output_dir);
    a->release_abs = abs_path(rel);
    free(rel);
    a->o.release_dir = a->release_abs;
    if (!is_dir(a->release_abs))
        return diag_fail(d, EXIT_INPUT, "--release %s: not a directory", a->release_abs);
    return 0;
}

static int run_menu(const struct globals *g, int argc, char **argv)
{
    struct diag d = {0};
    struct menu_args a;
    struct graph graph = {0};
    struct menu_model m = {0};
    size_t stale = 0;
    int rc = menu_parse_args(g, argc, argv, &a, &d);
    if (rc == 0)
        rc = cmd_load_graph(g, &graph, &d);
    if (rc == 0)
        rc = menu_build(&graph, &a.o, &m, &d);
    if (rc == 0)
        rc = menu_write_all(&m, &stale, &d);
    if (rc == 0 && !a.no_loaders) {
        char *log = xasprintf("%s/logs/menu.log", g->output_dir);
        char *logdir = dir_name(log);
        rc = mkdir_p(logdir, &d);
        if (rc == 0)
            rc = loaders_install(a.release_abs, log, &d);
        free(log);
        free(logdir);
    }
    if (rc == 0)
        fprintf(stderr, "menu: %zu entries (%zu per-MAC clients) written to %s\n", m.n, m.nc, a.release_abs);
    if (rc == 0 && stale)
        fprintf(stderr, "menu: removed %zu per-MAC configs of clients no longer in the clients file\n", stale);
    menu_free(&m);
    graph_free(&graph);
    free(a.url_base);
    free(a.tftp_prefix);
    free(a.release_abs);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_menu = {"menu", usage_menu, run_menu};
