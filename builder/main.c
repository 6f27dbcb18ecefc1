/* main.c — the command line of tinynetboot. The only file that knows argv.
 *
 *   tinynetboot [GLOBAL OPTIONS] COMMAND [ARGS]
 * Exit status: 0 ok, 1 build failure, 2 bad input (recipe, arguments). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cpio_spec.h"
#include "layer.h"
#include "loaders.h"
#include "menu.h"

#include <arpa/inet.h>
#include "pin.h"
#include "sources.h"
#include "kernel.h"
#include "sizes.h"
#include "sshkey.h"
#include "stack.h"

/* SOURCE_DATE_EPOCH when none is given: fixed, so outputs don't change by themselves. */
#define DEFAULT_EPOCH 1735689600LL   /* 2025-01-01T00:00:00Z */

struct globals {
    const char *top;
    char *recipes_dir, *output_dir, *cache_dir;
    int jobs;
};

static const char usage_main[] =
    "usage: tinynetboot [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Builds a tiny network-bootable Linux release: a kernel under 1,474,560 bytes\n"
    "and stackable initramfs layers, from the recipes in recipes/.\n"
    "\n"
    "commands:\n"
    "  build [TARGET...]   build the release (or just the named recipes) into OUTPUT/release\n"
    "  sizes DIR           the size table of a release directory against the budgets\n"
    "  lint                check every recipe; prints nothing and exits 0 when all are fine\n"
    "  menu [OPTIONS]      boot menus (PXELINUX, iPXE, GRUB) and DHCP configs for the release\n"
    "  layer -o FILE ...   a site layer from plain files (no toolchain, no root)\n"
    "  stack LAYER...      which paths upper layers override in lower ones\n"
    "  pin [NAME...]       re-pin sources to what Debian's archive offers now (all stale ones)\n"
    "  sshkey -o FILE ...  a client's SSH key in a site layer, and its authorized_keys line\n"
    "\n"
    "options (before the command):\n"
    "  -C, --tree DIR      the source tree (recipes/, overlays/, kernel-configs/); default .\n"
    "  -o, --output DIR    where build products go; default TREE/output\n"
    "      --cache DIR     download and build cache; default $TINYNETBOOT_CACHE,\n"
    "                      else $XDG_CACHE_HOME/tinynetboot, else ~/.cache/tinynetboot\n"
    "  -j, --jobs N        parallel jobs for package builds; default: the number of CPUs\n"
    "  -h, --help          this text; `tinynetboot COMMAND --help` explains a command\n"
    "\n"
    "environment: SOURCE_DATE_EPOCH (default 1735689600) sets every timestamp in the outputs.\n"
    "exit status: 0 ok, 1 build failure, 2 bad input.\n";

static const char usage_build[] =
    "usage: tinynetboot build [--frozen] [TARGET...]\n"
    "Build the release: every package, the kernel and every layer it needs, each cached by\n"
    "the hash of its inputs. Writes OUTPUT/release/{bzImage,<layer>.cpio.xz,sizes.txt,SOURCES,\n"
    "SHA256SUMS}. Every pinned source is checked first (apt metadata): a pin the archive no\n"
    "longer offers is built from what it offers now, said once per source and marked\n"
    "NOT PINNED in SOURCES.\n"
    "  --frozen   only pinned files (from the cache or the archive); a stale pin stops\n"
    "             the build before anything is built, naming every stale pin\n"
    "With TARGETs, build only those recipes (and what they depend on); the release is\n"
    "written only when the release recipe is among them. Progress goes to stderr, each\n"
    "package's full log to OUTPUT/logs/NAME.log.\n";

static const char usage_sizes[] =
    "usage: tinynetboot sizes DIR\n"
    "Print the size of the kernel and every layer found in DIR against the budgets in the\n"
    "recipes, and the total of the whole stack against the kernel budget (1.44 MB floppy).\n";

static const char usage_lint[] =
    "usage: tinynetboot lint\n"
    "Parse every recipe and check cross-references, files and dependency cycles.\n";

static const char usage_layer[] =
    "usage: tinynetboot layer -o FILE.cpio.xz [--from DIR] [--file SRC:DEST[:MODE]]... [--entry LINE]...\n"
    "Make a site layer from plain files: no toolchain, no root, no network. The result\n"
    "stacks on top of a release (initrd=base.cpio.xz,...,FILE.cpio.xz); its files override\n"
    "lower layers' files at the same path.\n"
    "  -o, --output FILE    the layer to write (written whole, or not at all)\n"
    "  --from DIR           everything under DIR, at the same paths (symlinks kept)\n"
    "  --file SRC:DEST[:MODE]  one file; MODE in octal (default: normalised, see below)\n"
    "  --entry LINE         a special entry in gen_init_cpio syntax, e.g.\n"
    "                       'nod /dev/ttyUSB0 0660 0 0 c 188 0' or 'slink /bin/vi busybox 0777 0 0'\n"
    "Owner is root; modes are normalised: directories 0755, files 0755 if executable\n"
    "else 0644, but owner-only files (0600/0700: keys, passwords) stay owner-only.\n"
    "An explicit MODE (--file, --entry) is kept whatever the order of the options.\n"
    "The layer file is written 0644, or 0600 when any file or directory in it is not\n"
    "world-readable (a password, a key): give your TFTP/HTTP server access deliberately.\n"
    "Device nodes, FIFOs and sockets in DIR are refused: declare them with --entry.\n"
    "Timestamps are SOURCE_DATE_EPOCH (default 1735689600), so the same files give the same bytes.\n";

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
    "  --no-loaders         don't copy the loader binaries\n";

static const char usage_stack[] =
    "usage: tinynetboot stack [--strict] LAYER...\n"
    "Report, for layers stacked bottom to top, every path an upper layer overrides in a\n"
    "lower one (the kernel unpacks them in order: the last one wins). Overriding on purpose\n"
    "is what site layers are for; this makes accidents visible. LAYER is a .cpio.xz/.gz/.cpio\n"
    "file, or the name of a layer in OUTPUT/release (base, fbvnc, ...).\n"
    "  --strict   exit 1 if anything is overridden\n";

static const char usage_pin[] =
    "usage: tinynetboot pin [NAME...]\n"
    "Download what Debian's archive offers now for each recipe NAME, and rewrite its\n"
    "version, source file and sha256 lines to pin it (adding them to a new recipe that\n"
    "has none yet). With no NAME, re-pin every recipe whose pinned version the archive\n"
    "no longer offers. Prints one line per change. Review the diff, then rebuild.\n";

static int fail(const struct diag *d)
{
    fprintf(stderr, "tinynetboot: %s\n", d->msg);
    return d->status ? d->status : EXIT_BUILD;
}

static int usage_error(const char *msg, const char *usage)
{
    fprintf(stderr, "tinynetboot: %s\n%s", msg, usage);
    return EXIT_INPUT;
}

/* True when the sub-command's args ask for help. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static char *default_cache_dir(void)
{
    const char *v = getenv("TINYNETBOOT_CACHE");
    if (v && *v)
        return xstrdup(v);
    v = getenv("XDG_CACHE_HOME");
    if (v && *v)
        return xasprintf("%s/tinynetboot", v);
    v = getenv("HOME");
    return xasprintf("%s/.cache/tinynetboot", v && *v ? v : "/root");
}

static int parse_epoch(long long *out, struct diag *d)
{
    const char *v = getenv("SOURCE_DATE_EPOCH");
    *out = DEFAULT_EPOCH;
    if (!v || !*v)
        return 0;
    char *end;
    long long e = strtoll(v, &end, 10);
    if (*end || e < 0 || e > 0xffffffffLL)
        return diag_fail(d, EXIT_INPUT, "SOURCE_DATE_EPOCH \"%s\" is not a number of seconds", v);
    *out = e;
    return 0;
}

static int load_graph(const struct globals *g, struct graph *graph, struct diag *d)
{
    if (!is_dir(g->recipes_dir))
        return diag_fail(d, EXIT_INPUT, "%s: no recipes directory (use -C to name the tree)", g->recipes_dir);
    return graph_load(g->recipes_dir, graph, d);
}

static int cmd_build(const struct globals *g, int argc, char **argv)
{
    if (wants_help(argc, argv))
        return fputs(usage_build, stdout), 0;
    struct diag d = {0};
    struct build_ctx ctx = {g->top, g->recipes_dir, g->output_dir, g->cache_dir, g->jobs, 0, 0, {0, 0}};
    if (parse_epoch(&ctx.source_date_epoch, &d) < 0 || load_graph(g, &ctx.graph, &d) < 0)
        return fail(&d);
    struct strv targets = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frozen") == 0) {
            ctx.frozen = 1;
            continue;
        }
        if (argv[i][0] == '-') {
            graph_free(&ctx.graph);
            strv_free(&targets);
            return usage_error("build: unknown option", usage_build);
        }
        strv_push(&targets, argv[i]);
    }
    int rc = build_run(&ctx, &targets, &d);
    strv_free(&targets);
    graph_free(&ctx.graph);
    return rc < 0 ? fail(&d) : 0;
}

static int cmd_sizes(const struct globals *g, int argc, char **argv)
{
    if (wants_help(argc, argv))
        return fputs(usage_sizes, stdout), 0;
    if (argc != 2)
        return usage_error("sizes: expected one release directory", usage_sizes);
    struct diag d = {0};
    struct graph graph;
    if (load_graph(g, &graph, &d) < 0)
        return fail(&d);
    struct buf out = {0};
    int rc = sizes_command(&graph, argv[1], &out, &d);
    if (rc == 0)
        fputs((char *)out.data, stdout);
    buf_free(&out);
    graph_free(&graph);
    return rc < 0 ? fail(&d) : 0;
}

static int cmd_lint(const struct globals *g, int argc, char **argv)
{
    if (wants_help(argc, argv))
        return fputs(usage_lint, stdout), 0;
    if (argc != 1)
        return usage_error("lint: takes no arguments", usage_lint);
    struct diag d = {0};
    struct graph graph;
    if (load_graph(g, &graph, &d) < 0)
        return fail(&d);
    const struct recipe *rel = graph_release(&graph, &d);
    int rc = rel ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < graph.n; i++)
        if (graph.r[i].kind == KIND_KERNEL)
            rc = kernel_fragments_check(g->top, &graph, &graph.r[i], &d);
    graph_free(&graph);
    return rc < 0 ? fail(&d) : 0;
}

/* Recipes to re-pin: the named ones, or every stale one. */
static int pin_targets(const struct globals *g, const struct graph *graph, int argc, char **argv,
                       struct strv *names, struct diag *d)
{
    for (int i = 1; i < argc; i++) {
        const struct recipe *r = graph_find(graph, argv[i]);
        if (!r)
            return diag_fail(d, EXIT_INPUT, "pin: no recipe named \"%s\"", argv[i]);
        if (graph_source_owner(graph, r) != r)
            return diag_fail(d, EXIT_INPUT, "pin: %s pins no Debian source of its own%s%s", argv[i],
                             r->source_type == SOURCE_RECIPE ? "; its source is pinned in recipe " : "",
                             r->source_type == SOURCE_RECIPE ? r->source_package : "");
        strv_push(names, r->name);
    }
    if (argc > 1)
        return 0;
    char *log = xasprintf("%s/logs/pin.log", g->output_dir);
    int rc = sources_stale(graph, log, names, d);
    free(log);
    return rc;
}

static int cmd_pin(const struct globals *g, int argc, char **argv)
{
    if (wants_help(argc, argv))
        return fputs(usage_pin, stdout), 0;
    struct diag d = {0};
    struct graph graph;
    struct strv names = {0};
    char *logdir = xasprintf("%s/logs", g->output_dir);
    int rc = load_graph(g, &graph, &d);
    if (rc < 0) {
        free(logdir);
        return fail(&d);
    }
    rc = mkdir_p(logdir, &d);
    if (rc == 0)
        rc = pin_targets(g, &graph, argc, argv, &names, &d);
    if (rc == 0 && names.n == 0)
        printf("every pin is current: the archive offers each pinned version\n");
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        char *log = xasprintf("%s/pin-%s.log", logdir, names.v[i]);
        rc = pin_recipe(graph_find(&graph, names.v[i]), g->cache_dir, log, &d);
        free(log);
    }
    strv_free(&names);
    free(logdir);
    graph_free(&graph);
    return rc < 0 ? fail(&d) : 0;
}

static int layer_options(int argc, char **argv, const char **output, struct cpio_tree *tree,
                         struct diag *d)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"from", required_argument, NULL, 'f'},
        {"file", required_argument, NULL, 'F'},   {"entry", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': *output = optarg; break;
        case 'f':
            if (!is_dir(optarg))
                return diag_fail(d, EXIT_INPUT, "--from %s: not a directory", optarg);
            if (layer_add_from_dir(tree, optarg, d) < 0)
                return -1;
            break;
        case 'F':
            if (layer_add_file_arg(tree, optarg, d) < 0)
                return -1;
            break;
        case 'e': {
            struct cpio_entry e;
            memset(&e, 0, sizeof e);
            struct diag inner = {0};
            int rc = cpio_parse_spec_line(optarg, ".", &e, &inner);
            if (rc == 0)
                rc = cpio_entry_check_source(&e, &inner);
            if (rc == 0) {
                e.origin = xasprintf("--entry %s", optarg);
                rc = cpio_add(tree, &e, CPIO_DUP_REPLACE, &inner);
            }
            cpio_entry_free(&e);
            if (rc < 0)
                return diag_fail(d, EXIT_INPUT, "--entry %s: %s", optarg, inner.msg);
            break;
        }
        default:
            return diag_fail(d, EXIT_INPUT, "layer: unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return diag_fail(d, EXIT_INPUT, "layer: unexpected argument \"%s\"", argv[optind]);
    if (!*output)
        return diag_fail(d, EXIT_INPUT, "layer: -o FILE is required");
    if (tree->n == 0)
        return diag_fail(d, EXIT_INPUT, "layer: nothing to put in it (give --from, --file or --entry)");
    return 0;
}

static int cmd_layer(const struct globals *g, int argc, char **argv)
{
    (void)g;
    if (wants_help(argc, argv))
        return fputs(usage_layer, stdout), 0;
    struct diag d = {0};
    struct cpio_tree tree = {0};
    struct buf xz = {0};
    const char *output = NULL;
    long long epoch;
    int rc = parse_epoch(&epoch, &d);
    if (rc == 0)
        rc = layer_options(argc, argv, &output, &tree, &d);
    if (rc == 0)
        rc = layer_pack(&tree, epoch, &xz, &d);
    char *outdir = rc == 0 ? dir_name(output) : NULL;
    if (rc == 0)
        rc = mkdir_p(outdir, &d);
    if (rc == 0)
        rc = write_file_atomic(output, xz.data, xz.len, layer_file_mode(&tree), &d);
    free(outdir);
    cpio_tree_free(&tree);
    buf_free(&xz);
    return rc < 0 ? fail(&d) : 0;
}

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
    const char *slash = strchr(v, '/');
    char net[16];
    char *end;
    long bits = slash ? strtol(slash + 1, &end, 10) : -1;
    if (!slash || (size_t)(slash - v) >= sizeof net || !slash[1] || *end || bits < 8 || bits > 30)
        return diag_fail(d, EXIT_INPUT, "--subnet \"%s\": expected a.b.c.d/LEN with LEN 8..30", v);
    memcpy(net, v, (size_t)(slash - v));
    net[slash - v] = 0;
    return check_ip("--subnet", net, d);
}

/* Range defaults to .100-.199 of the subnet's network address. */
static void default_range(const char *subnet, char start[16], char end[16])
{
    struct in_addr a;
    char net[16];
    size_t n = strcspn(subnet, "/");
    memcpy(net, subnet, n);
    net[n] = 0;
    inet_pton(AF_INET, net, &a);
    uint32_t base = ntohl(a.s_addr);
    struct in_addr s = {htonl(base + 100)}, e = {htonl(base + 199)};
    inet_ntop(AF_INET, &s, start, 16);
    inet_ntop(AF_INET, &e, end, 16);
}

static int parse_loader(const char *v, int efi, enum loader *out, struct diag *d)
{
    if (!strcmp(v, "ipxe"))
        *out = LOADER_IPXE;
    else if (!strcmp(v, "grub"))
        *out = LOADER_GRUB;
    else if (!strcmp(v, "pxelinux") && !efi)
        *out = LOADER_PXELINUX;
    else
        return diag_fail(d, EXIT_INPUT, "--%s-loader \"%s\": expected %s", efi ? "efi" : "bios", v,
                         efi ? "grub or ipxe" : "pxelinux, ipxe or grub");
    return 0;
}

struct menu_args {
    struct menu_options o;
    char range_buf[2][16];
    char *url_base, *tftp_prefix, *release_abs;
    int no_loaders;
};

static int menu_option(struct menu_args *a, int c, char *v, struct diag *d)
{
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
    case 'B': return parse_loader(v, 0, &o->bios_loader, d);
    case 'E': return parse_loader(v, 1, &o->efi_loader, d);
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
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->o.timeout_s = 5;
    a->o.server_ip = "192.168.1.10";
    a->o.subnet = "192.168.1.0/24";
    a->o.efi_loader = LOADER_GRUB;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return diag_fail(d, EXIT_INPUT, "menu: unknown option or missing value: %s", argv[optind - 1]);
        if (menu_option(a, c, optarg, d) < 0)
            return -1;
    }
    if (optind < argc)
        return diag_fail(d, EXIT_INPUT, "menu: unexpected argument \"%s\"", argv[optind]);
    if (a->url_base && a->tftp_prefix)
        return diag_fail(d, EXIT_INPUT, "menu: give --url-base or --tftp-prefix, not both");
    if (!a->o.range_start) {
        default_range(a->o.subnet, a->range_buf[0], a->range_buf[1]);
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

static int cmd_menu(const struct globals *g, int argc, char **argv)
{
    if (wants_help(argc, argv))
        return fputs(usage_menu, stdout), 0;
    struct diag d = {0};
    struct menu_args a;
    struct graph graph = {0};
    struct menu_model m = {0};
    int rc = menu_parse_args(g, argc, argv, &a, &d);
    if (rc == 0)
        rc = load_graph(g, &graph, &d);
    if (rc == 0)
        rc = menu_build(&graph, &a.o, &m, &d);
    if (rc == 0)
        rc = menu_write_all(&m, &d);
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
    menu_free(&m);
    graph_free(&graph);
    free(a.url_base);
    free(a.tftp_prefix);
    free(a.release_abs);
    return rc < 0 ? fail(&d) : 0;
}

static int cmd_stack(const struct globals *g, int argc, char **argv)
{
    if (wants_help(argc, argv))
        return fputs(usage_stack, stdout), 0;
    int strict = 0;
    struct strv files = {0};
    struct diag d = {0};
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if (!strcmp(argv[i], "--strict")) {
            strict = 1;
            continue;
        }
        if (argv[i][0] == '-') {
            strv_free(&files);
            return usage_error("stack: unknown option", usage_stack);
        }
        char *named = xasprintf("%s/release/%s.cpio.xz", g->output_dir, argv[i]);
        if (path_exists(argv[i]))
            strv_push(&files, argv[i]);
        else if (!strchr(argv[i], '/') && path_exists(named))
            strv_push(&files, named);
        else
            rc = diag_fail(&d, EXIT_INPUT, "stack: %s: no such file, nor a layer in %s/release", argv[i], g->output_dir);
        free(named);
    }
    if (rc == 0 && files.n < 2)
        rc = diag_fail(&d, EXIT_INPUT, "stack: give at least two layers, bottom first");
    struct buf out = {0};
    size_t count = 0;
    if (rc == 0)
        rc = stack_check(&files, &out, &count, &d);
    if (rc == 0) {
        fputs(out.data ? (char *)out.data : "", stdout);
        printf("%zu path%s overridden\n", count, count == 1 ? "" : "s");
    }
    buf_free(&out);
    strv_free(&files);
    if (rc < 0)
        return fail(&d);
    return strict && count ? EXIT_BUILD : 0;
}

static int cmd_sshkey(const struct globals *g, int argc, char **argv)
{
    (void)g;
    struct diag d = {0};
    long long epoch;
    if (parse_epoch(&epoch, &d) < 0)
        return fail(&d);
    return sshkey_main(argc, argv, epoch);
}

struct command {
    const char *name;
    int (*run)(const struct globals *, int, char **);
};

static const struct command commands[] = {
    {"build", cmd_build}, {"sizes", cmd_sizes}, {"lint", cmd_lint}, {"pin", cmd_pin},
    {"layer", cmd_layer}, {"menu", cmd_menu}, {"stack", cmd_stack}, {"sshkey", cmd_sshkey},
};

static int parse_jobs(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 1024)
        return -1;
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"tree", required_argument, NULL, 'C'},  {"output", required_argument, NULL, 'o'},
        {"cache", required_argument, NULL, 'c'}, {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    struct globals g = {".", NULL, NULL, NULL, (int)sysconf(_SC_NPROCESSORS_ONLN)};
    const char *output = NULL, *cache = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "+C:o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'C': g.top = optarg; break;
        case 'o': output = optarg; break;
        case 'c': cache = optarg; break;
        case 'j':
            if (parse_jobs(optarg, &g.jobs) < 0)
                return usage_error("--jobs takes a number from 1 to 1024", "");
            break;
        case 'h': fputs(usage_main, stdout); return 0;
        default: fputs(usage_main, stderr); return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        return usage_error("no command given", usage_main);
    if (g.jobs < 1)
        g.jobs = 1;
    /* messages name recipes as "recipes/x/recipe" when run from the tree itself */
    g.recipes_dir = strcmp(g.top, ".") ? xasprintf("%s/recipes", g.top) : xstrdup("recipes");
    /* absolute: build scripts run in other directories and get these paths */
    char *out_rel = output ? xstrdup(output) : xasprintf("%s/output", g.top);
    char *cache_rel = cache ? xstrdup(cache) : default_cache_dir();
    g.output_dir = abs_path(out_rel);
    g.cache_dir = abs_path(cache_rel);
    free(out_rel);
    free(cache_rel);
    int rc = -1;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[optind], commands[i].name) == 0)
            rc = commands[i].run(&g, argc - optind, argv + optind);
    if (rc == -1) {
        fprintf(stderr, "tinynetboot: unknown command \"%s\"\n%s", argv[optind], usage_main);
        rc = EXIT_INPUT;
    }
    free(g.recipes_dir);
    free(g.output_dir);
    free(g.cache_dir);
    return rc;
}
