/* cmd_serve.c — `tinynetboot serve`: a boot server for the release from one
 * command. Its options, its usage text, its exit status; serve_net.c checks the
 * interface and the ports, the menu emitters (menu.c) write the menus and
 * dnsmasq.conf for this server, serve.c runs dnsmasq and lighttpd. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"
#include "loaders.h"
#include "menu.h"
#include "serve.h"
#include "serve_net.h"

static const char usage_serve[] =
    "usage: tinynetboot serve [--interface IF] [--dhcp-mode proxy|full] [--clients FILE]\n"
    "                         [--release DIR] [--http-port N] [--range START,END]\n"
    "                         [--bios-loader pxelinux|ipxe|grub] [--efi-loader grub|ipxe]\n"
    "A boot server for the release on interface IF (default: the default route's): dnsmasq\n"
    "as proxy-DHCP beside your router (default) or as the DHCP server (--dhcp-mode full),\n"
    "its TFTP for the BIOS/UEFI loaders, and lighttpd serving the release over HTTP for iPXE\n"
    "(and UEFI HTTP boot in full mode). It first writes the release's menus and dnsmasq.conf\n"
    "for this server, as `tinynetboot menu` would (--server-ip the interface's address,\n"
    "--url-base http://ADDRESS:PORT), honouring the clients file. Then one line per client\n"
    "boot on stdout (MAC [hostname]: loader -> image: kernel layers in S s) until Ctrl-C or\n"
    "SIGTERM, which stops both servers. Needs root (ports 67, 69, 80).\n"
    "  --interface IF       where to serve (must have an IPv4 address)\n"
    "  --dhcp-mode M        proxy (default) or full\n"
    "  --clients FILE       groups and MACs (see README, \"Clients file\")\n"
    "  --release DIR        default OUTPUT/release\n"
    "  --http-port N        default 80\n"
    "  --range START,END    full mode's address pool (default .100-.199 of the subnet)\n"
    "Exit status: 0 stopped by a signal, 1 a server failed, 2 bad input or refused to\n"
    "start (no address on the interface, a port taken: the reason).\n";

struct serve_args {
    struct menu_options o;
    const char *release, *interface;
    char range[2][16];
    int http_port;
};

static int parse_range(struct serve_args *a, const char *v, struct diag *d)
{
    const char *comma = strchr(v, ',');
    struct in_addr x;
    if (!comma || comma - v >= 16 || strlen(comma + 1) >= 16)
        return diag_fail(d, EXIT_INPUT, "--range \"%s\": expected START,END", v);
    memcpy(a->range[0], v, (size_t)(comma - v));
    a->range[0][comma - v] = 0;
    strcpy(a->range[1], comma + 1);
    if (inet_pton(AF_INET, a->range[0], &x) != 1 || inet_pton(AF_INET, a->range[1], &x) != 1)
        return diag_fail(d, EXIT_INPUT, "--range \"%s\": expected two IPv4 addresses", v);
    return 0;
}


static int serve_option(void *ctx, int c, char *v, struct diag *d)
{
    struct serve_args *a = ctx;
    char *end;
    long port;
    switch (c) {
    case 'i':
        if (!*v || strlen(v) >= 16 || strpbrk(v, " /\"'\\$"))
            return diag_fail(d, EXIT_INPUT, "--interface \"%s\": not an interface name", v);
        a->interface = v;
        return 0;
    case 'm':
        if (!strcmp(v, "full"))
            a->o.dhcp_mode = DHCP_FULL;
        else if (!strcmp(v, "proxy"))
            a->o.dhcp_mode = DHCP_PROXY;
        else
            return diag_fail(d, EXIT_INPUT, "--dhcp-mode \"%s\": expected proxy or full", v);
        return 0;
    case 'c': a->o.clients_file = v; return 0;
    case 'r': a->release = v; return 0;
    case 'p':
        port = strtol(v, &end, 10);
        if (*end || port < 1 || port > 65535)
            return diag_fail(d, EXIT_INPUT, "--http-port \"%s\": a port number", v);
        a->http_port = (int)port;
        return 0;
    case 'R': return parse_range(a, v, d);
    case 'B': return loader_parse(v, 0, &a->o.bios_loader, d);
    case 'E': return loader_parse(v, 1, &a->o.efi_loader, d);
    }
    return diag_fail(d, EXIT_INPUT, "serve: unknown option (see tinynetboot serve --help)");
}

static int serve_parse_args(int argc, char **argv, struct serve_args *a, struct diag *d)
{
    static const struct option opts[] = {
        {"interface", required_argument, NULL, 'i'}, {"dhcp-mode", required_argument, NULL, 'm'},
        {"clients", required_argument, NULL, 'c'},   {"release", required_argument, NULL, 'r'},
        {"http-port", required_argument, NULL, 'p'}, {"range", required_argument, NULL, 'R'},
        {"bios-loader", required_argument, NULL, 'B'}, {"efi-loader", required_argument, NULL, 'E'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->o.dhcp_mode = DHCP_PROXY;
    a->o.efi_loader = LOADER_GRUB;
    a->o.timeout_s = 5;
    a->http_port = 80;
    int first = cmd_parse_options("serve", argc, argv, opts, serve_option, a, d);
    if (first < 0)
        return -1;
    if (first < argc)
        return diag_fail(d, EXIT_INPUT, "serve: unexpected argument \"%s\"", argv[first]);
    return 0;
}


/* Refuse when any port the servers need is taken. */
static int ports_free(const struct serve_args *a, const struct serve_addr *ad, struct diag *d)
{
    if (serve_port_free(ad, SOCK_DGRAM, NULL, 67, "UDP port 67 (DHCP)", d) < 0 ||
        serve_port_free(ad, SOCK_DGRAM, ad->ip, 69, "UDP port 69 (TFTP)", d) < 0)
        return -1;
    if (a->o.dhcp_mode == DHCP_PROXY && serve_port_free(ad, SOCK_DGRAM, NULL, 4011, "UDP port 4011 (PXE)", d) < 0)
        return -1;
    char what[40];
    snprintf(what, sizeof what, "TCP port %d (HTTP)", a->http_port);
    return serve_port_free(ad, SOCK_STREAM, ad->ip, a->http_port, what, d);
}

/* The menus and dnsmasq.conf for this server, into the release. */
static int write_menus(const struct globals *g, const struct graph *graph, struct serve_args *a, struct menu_model *m,
                       struct diag *d)
{
    size_t stale = 0;
    int rc = menu_build(graph, &a->o, m, d);
    if (rc == 0)
        rc = menu_write_all(m, &stale, d);
    char *efi = xasprintf("%s/%s", a->o.release_dir, loader_efi_file(LOADER_IPXE));
    if (rc == 0 && !path_exists(efi)) {
        char *log = xasprintf("%s/logs/menu.log", g->output_dir);
        char *logdir = dir_name(log);
        rc = mkdir_p(logdir, d);
        if (rc == 0)
            rc = loaders_install(a->o.release_dir, log, d);
        free(log);
        free(logdir);
    }
    free(efi);
    return rc;
}

static int serve_with(const struct globals *g, struct serve_args *a, const char *release, struct diag *d)
{
    struct serve_addr ad = {0};
    char ifname[64];
    struct graph graph = {0};
    struct menu_model m = {0};
    int rc = 0;
    if (!a->interface && (rc = serve_default_interface(ifname, sizeof ifname, d)) == 0)
        a->interface = ifname;
    if (rc == 0)
        rc = serve_interface_addr(a->interface, &ad, d);
    if (rc == 0)
        rc = ports_free(a, &ad, d);
    char *url = xasprintf("http://%s:%d", ad.ip, a->http_port);
    if (rc == 0) {
        a->o.release_dir = release;
        a->o.server_ip = ad.ip;
        a->o.subnet = ad.subnet;
        a->o.interface = ad.ifname;
        a->o.url_base = url;
        if (!a->range[0][0])
            cidr_default_range(ad.subnet, a->range[0], a->range[1]);
        a->o.range_start = a->range[0];
        a->o.range_end = a->range[1];
        rc = cmd_load_graph(g, &graph, d);
    }
    if (rc == 0)
        rc = write_menus(g, &graph, a, &m, d);
    char *state = NULL;
    if (rc == 0) {
        const char *tmp = getenv("TMPDIR");
        state = xasprintf("%s/tnb-serve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(state))
            rc = diag_fail(d, EXIT_BUILD, "%s: cannot create", state);
    }
    if (rc == 0) {
        struct serve_plan p = {release, state, &ad, a->http_port, a->o.dhcp_mode == DHCP_PROXY ? "proxy-DHCP" : "DHCP", &m};
        rc = serve_run(&p, d);
        struct diag ignored = {0};
        rm_rf(state, &ignored);
    }
    free(state);
    free(url);
    menu_free(&m);
    graph_free(&graph);
    return rc;
}

static int run_serve(const struct globals *g, int argc, char **argv)
{
    struct diag d = {0};
    struct serve_args a;
    char *release = NULL;
    int rc = serve_parse_args(argc, argv, &a, &d);
    if (rc == 0) {
        char *rel = a.release ? xstrdup(a.release) : xasprintf("%s/release", g->output_dir);
        release = abs_path(rel);
        free(rel);
        if (!is_dir(release))
            rc = diag_fail(&d, EXIT_INPUT, "--release %s: not a directory (build the release first)", release);
    }
    if (rc == 0)
        rc = serve_with(g, &a, release, &d);
    free(release);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_serve = {"serve", usage_serve, run_serve};
