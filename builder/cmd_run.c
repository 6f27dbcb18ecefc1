/* cmd_run.c — `tinynetboot run IMAGE`: boot an image of the release in QEMU
 * here, as its menus serve it. Its options, its usage text, its exit status;
 * run_image.c resolves the files, qemu_cmd.c writes QEMU's command line,
 * accel.c probes KVM and the window, run.c runs QEMU in the foreground. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "qemu_cmd.h"
#include "run.h"
#include "run_image.h"

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"

static const char usage_run[] =
    "usage: tinynetboot run IMAGE [--uefi] [--site LAYER.cpio.xz]... [--append TEXT]\n"
    "                       [--mem MB] [--nic MODEL] [--vnc HOST:PORT] [--release DIR]\n"
    "Boot an image of the release in QEMU on this machine, with the kernel, layers and\n"
    "command line its menus serve (BIOS by default), plus console=ttyS0. The serial\n"
    "console is this terminal (Ctrl-A x quits QEMU, Ctrl-A c is its monitor, Ctrl-C goes\n"
    "to the client); a window when $DISPLAY is set and QEMU has one; KVM when a probe\n"
    "shows it works, else TCG; QEMU's user network (this machine is 10.0.2.2 inside).\n"
    "  --uefi               the image's UEFI kernel through OVMF (Secure Boot off)\n"
    "  --site LAYER         a layer stacked on top (e.g. from tinynetboot layer); repeatable\n"
    "  --append TEXT        more kernel arguments, after the image's\n"
    "  --mem MB             guest RAM (default 96, 256 with --uefi)\n"
    "  --nic MODEL          QEMU NIC model (default e1000; virtio-net-pci for x86_64 kernels)\n"
    "  --vnc HOST:PORT      fbvnc=HOST:PORT for the VNC images; localhost/127.x become 10.0.2.2\n"
    "  --release DIR        default OUTPUT/release\n"
    "Prints one line on stderr (what boots, and how), then QEMU's serial output on stdout.\n"
    "Exit status: 0 QEMU ended normally (power-off, reboot, Ctrl-A x), 1 QEMU failed,\n"
    "2 bad input, 128+N when signal N stopped it (forwarded to QEMU). Leaves nothing\n"
    "running and no file behind.\n";

struct run_args {
    const char *image, *release, *append, *nic, *vnc;
    struct strv sites;
    int uefi, mem_mb;
};

static int parse_mem(const char *v, int *out, struct diag *d)
{
    char *end;
    long m = strtol(v, &end, 10);
    if (*end || m < 16 || m > 65536)
        return diag_fail(d, EXIT_INPUT, "--mem \"%s\": megabytes from 16 to 65536", v);
    *out = (int)m;
    return 0;
}

static int check_nic(const char *v, struct diag *d)
{
    if (!*v || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(v))
        return diag_fail(d, EXIT_INPUT, "--nic \"%s\": a QEMU device model, e.g. e1000 or virtio-net-pci", v);
    return 0;
}

static int check_vnc(const char *v, struct diag *d)
{
    const char *colon = strrchr(v, ':');
    char bad;
    if (!colon || colon == v || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
        !cmdline_text_ok(v, &bad) || strchr(v, ' '))
        return diag_fail(d, EXIT_INPUT, "--vnc \"%s\": expected HOST:PORT", v);
    return 0;
}

static int run_option(void *ctx, int c, char *v, struct diag *d)
{
    struct run_args *a = ctx;
    char bad;
    switch (c) {
    case 'u': a->uefi = 1; return 0;
    case 's': strv_push(&a->sites, v); return 0;
    case 'a':
        if (!cmdline_text_ok(v, &bad))
            return diag_fail(d, EXIT_INPUT, "--append: contains '%c', which a kernel command line cannot carry safely", bad);
        a->append = v;
        return 0;
    case 'm': return parse_mem(v, &a->mem_mb, d);
    case 'n': a->nic = v; return check_nic(v, d);
    case 'v': a->vnc = v; return check_vnc(v, d);
    case 'r': a->release = v; return 0;
    }
    return diag_fail(d, EXIT_INPUT, "run: unknown option (see tinynetboot run --help)");
}

static int run_parse_args(int argc, char **argv, struct run_args *a, struct diag *d)
{
    static const struct option opts[] = {
        {"uefi", no_argument, NULL, 'u'},         {"site", required_argument, NULL, 's'},
        {"append", required_argument, NULL, 'a'}, {"mem", required_argument, NULL, 'm'},
        {"nic", required_argument, NULL, 'n'},    {"vnc", required_argument, NULL, 'v'},
        {"release", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0},
    };
    int first = cmd_parse_options("run", argc, argv, opts, run_option, a, d);
    if (first < 0)
        return -1;
    if (first >= argc)
        return diag_fail(d, EXIT_INPUT, "run: which image? (tinynetboot run IMAGE; see --help)");
    if (first + 1 < argc)
        return diag_fail(d, EXIT_INPUT, "run: unexpected argument \"%s\"", argv[first + 1]);
    a->image = argv[first];
    return 0;
}

/* fbvnc=HOST:PORT, the host's loopback being 10.0.2.2 in QEMU's user network. */
static char *vnc_keyword(const char *vnc)
{
    const char *port = strrchr(vnc, ':');
    size_t hlen = (size_t)(port - vnc);
    if ((hlen == 9 && !strncmp(vnc, "localhost", 9)) || !strncmp(vnc, "127.", 4))
        return xasprintf("fbvnc=10.0.2.2%s", port);
    return xasprintf("fbvnc=%s", vnc);
}

static char *full_cmdline(const struct run_args *a, const struct run_image *ri)
{
    struct buf b = {0};
    buf_printf(&b, "%s%sconsole=ttyS0", ri->cmdline, *ri->cmdline ? " " : "");
    if (a->vnc) {
        char *k = vnc_keyword(a->vnc);
        buf_printf(&b, " %s", k);
        free(k);
    }
    if (a->append && *a->append)
        buf_printf(&b, " %s", a->append);
    return (char *)b.data;
}

static int copy_file(const char *from, const char *to, struct diag *d)
{
    struct buf b = {0};
    int rc = read_file(from, &b, d);
    if (rc == 0)
        rc = write_file_atomic(to, b.data, b.len, 0600, d);
    buf_free(&b);
    return rc;
}

static void describe(const struct run_args *a, const struct run_image *ri, const struct qemu_plan *p)
{
    fprintf(stderr, "run: %s (%s): %s", a->image, a->uefi ? "UEFI, OVMF" : "BIOS", strrchr(ri->kernel, '/') + 1);
    for (size_t i = 0; i < ri->initrds.n; i++)
        fprintf(stderr, " %s", strrchr(ri->initrds.v[i], '/') + 1);
    fprintf(stderr, "; %s under %s, %d MB, %s, %s; append \"%s\"; Ctrl-A x quits\n", qemu_binary(p), p->accel,
            p->mem_mb, p->nic, p->display ? p->display : "no window", p->cmdline);
}

/* Everything that needs the scratch directory: the initrd, OVMF's variables, QEMU. */
static int boot(const struct run_args *a, const struct run_image *ri, const char *scratch, struct diag *d)
{
    char *initrd = xasprintf("%s/initrd.cpio", scratch);
    char *vars = xasprintf("%s/OVMF_VARS.fd", scratch);
    char *cmdline = full_cmdline(a, ri);
    struct qemu_plan p = {.arch = ri->kernel_arch, .uefi = a->uefi, .ovmf_code = OVMF_CODE, .ovmf_vars = vars,
                          .kernel = ri->kernel, .initrd = initrd, .cmdline = cmdline, .mem_mb = a->mem_mb,
                          .nic = a->nic};
    if (!p.mem_mb)
        p.mem_mb = a->uefi ? 256 : 96;
    if (!p.nic)
        p.nic = strcmp(ri->kernel_arch, "x86_64") ? "e1000" : "virtio-net-pci";
    int rc = run_image_cat_initrds(ri, initrd, d);
    if (rc == 0 && a->uefi)
        rc = copy_file(OVMF_VARS, vars, d);
    if (rc == 0) {
        p.accel = accel_probe(qemu_binary(&p), ri->kernel, scratch);
        p.display = accel_window(qemu_binary(&p));
        describe(a, ri, &p);
        struct strv argv = {0};
        qemu_argv(&p, &argv);
        strv_push_owned(&argv, NULL);
        int forwarded = 0;
        rc = run_foreground((const char *const *)argv.v, &forwarded, d);
        strv_free(&argv);
        if (rc > 0 && rc != 127 && !forwarded && rc < 128)
            fprintf(stderr, "run: %s exited with status %d\n", qemu_binary(&p), rc);
        if (forwarded)
            rc = 128 + forwarded;
        else if (rc > 0 && rc < 128)
            rc = EXIT_BUILD;
    }
    free(initrd);
    free(vars);
    free(cmdline);
    return rc;
}

static int prerequisites(const struct run_args *a, struct diag *d)
{
    if (a->uefi && (access(OVMF_CODE, R_OK) || access(OVMF_VARS, R_OK)))
        return diag_fail(d, EXIT_INPUT, "--uefi needs %s and %s (Debian's ovmf package)", OVMF_CODE, OVMF_VARS);
    return 0;
}

static int run_run(const struct globals *g, int argc, char **argv)
{
    struct diag d = {0};
    struct run_args a = {0};
    struct graph graph = {0};
    struct run_image ri = {0};
    char *release = NULL, *scratch = NULL;
    int rc = run_parse_args(argc, argv, &a, &d);
    if (rc == 0) {
        char *rel = a.release ? xstrdup(a.release) : xasprintf("%s/release", g->output_dir);
        release = abs_path(rel);
        free(rel);
        if (!is_dir(release))
            rc = diag_fail(&d, EXIT_INPUT, "--release %s: not a directory (build the release first)", release);
    }
    if (rc == 0)
        rc = prerequisites(&a, &d);
    if (rc == 0)
        rc = cmd_load_graph(g, &graph, &d);
    if (rc == 0)
        rc = run_image_resolve(&graph, release, a.image, a.uefi ? FW_EFI : FW_BIOS, &a.sites, &ri, &d);
    if (rc == 0) {
        const char *tmp = getenv("TMPDIR");
        scratch = xasprintf("%s/tnb-run.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(scratch))
            rc = diag_fail(&d, EXIT_BUILD, "%s: cannot create", scratch);
        else {
            rc = boot(&a, &ri, scratch, &d);
            struct diag ignored = {0};
            rm_rf(scratch, &ignored);
        }
    }
    run_image_free(&ri);
    graph_free(&graph);
    strv_free(&a.sites);
    free(release);
    free(scratch);
    return rc < 0 ? cmd_fail(&d) : rc;
}

const struct command cmd_run = {"run", usage_run, run_run};
