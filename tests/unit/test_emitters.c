/* test_emitters.c — golden tests for every boot-server emitter (TAP on stdout).
 *
 * Usage: test_emitters [GOLDEN_DIR]   GOLDEN_DIR defaults to tests/unit/golden/emitters,
 *                                     i.e. run it from the top of the repository.
 *
 * A small menu model is built by hand (no release, no recipes): two menu entries, the
 * second with different BIOS and UEFI stacks (kernel and layer files) and literal
 * password hashes (real ones are salted at random), and one client by MAC with its
 * own per-MAC-only entry, as menu_build makes them from a clients file. Each
 * scenario (options: full or proxy DHCP, url_base off or on, ...) runs every
 * emitter of menu_emitters[] and compares each output file's bytes with
 * GOLDEN_DIR/SCENARIO/PATH, and checks that no golden file is left unproduced.
 *
 * UPDATE_GOLDEN=1 writes the outputs as the new goldens instead (then read them
 * with care, and commit them): the tests still pass that run. */
#define _GNU_SOURCE
#include "../../builder/menu.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* ---- the hand-built model ---------------------------------------------------------- */

static void entry_same_stacks(struct boot_entry *e)
{
    e->id = xstrdup("vnc");
    e->label = xstrdup("Thin client (VNC)");
    for (int fw = 0; fw < FW_COUNT; fw++) {
        e->kernel[fw] = xstrdup("bzImage");
        strv_push(&e->initrds[fw], "base.cpio.xz");
        strv_push(&e->initrds[fw], "fbvnc.cpio.xz");
    }
    e->cmdline = xstrdup("quiet fbvnc=10.0.0.5:5900");
}

static void entry_stacks_per_firmware(struct boot_entry *e)
{
    e->id = xstrdup("rescue-system");
    e->label = xstrdup("Rescue system");
    e->kernel[FW_BIOS] = xstrdup("linux-pc.bzImage");
    e->kernel[FW_EFI] = xstrdup("linux-efi.bzImage");
    strv_push(&e->initrds[FW_BIOS], "base.cpio.xz");
    strv_push(&e->initrds[FW_BIOS], "rescue.linux-pc.cpio.xz");
    strv_push(&e->initrds[FW_EFI], "base.cpio.xz");
    strv_push(&e->initrds[FW_EFI], "rescue.linux-efi.cpio.xz");
    e->cmdline = xstrdup("console=ttyS0");
    /* literal, not computed: real hashes carry a random salt */
    e->crypt6 = xstrdup("$6$goldensalt$7zV0aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ0123456789./abcdefghijklmnopqrstuv");
    e->grub_pbkdf2 = xstrdup("grub.pbkdf2.sha512.10000.00112233445566778899AABBCCDDEEFF.FFEEDDCCBBAA99887766554433221100");
}

/* A client's own entry, as menu_build makes it from the clients file: only in its
 * per-MAC configs, its image's stack plus a site layer. */
static void entry_client(struct boot_entry *e)
{
    e->id = xstrdup("client-pc17");
    e->label = xstrdup("pc17");
    for (int fw = 0; fw < FW_COUNT; fw++) {
        e->kernel[fw] = xstrdup("bzImage");
        strv_push(&e->initrds[fw], "base.cpio.xz");
        strv_push(&e->initrds[fw], "fbvnc.cpio.xz");
        strv_push(&e->initrds[fw], "sites/pc17.cpio.xz");
    }
    e->cmdline = xstrdup("quiet fbvnc=10.0.0.5:5901 marker=pc17");
    e->per_mac_only = 1;
}

static void model_build(const struct menu_options *o, struct menu_model *m)
{
    memset(m, 0, sizeof *m);
    m->o = o;
    m->n = 3;
    m->e = xcalloc(m->n, sizeof *m->e);
    entry_same_stacks(&m->e[0]);
    entry_stacks_per_firmware(&m->e[1]);
    entry_client(&m->e[2]);
    m->default_entry = 0;
    m->nc = 1;
    m->c = xcalloc(m->nc, sizeof *m->c);
    strcpy(m->c[0].mac, "52:54:00:12:34:56");
    m->c[0].hostname = xstrdup("pc17");
    m->c[0].entry = 2;
}

static void model_free(struct menu_model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        struct boot_entry *e = &m->e[i];
        free(e->id);
        free(e->label);
        for (int fw = 0; fw < FW_COUNT; fw++) {
            free(e->kernel[fw]);
            strv_free(&e->initrds[fw]);
        }
        free(e->cmdline);
        free(e->crypt6);
        free(e->grub_pbkdf2);
    }
    for (size_t c = 0; c < m->nc; c++)
        free(m->c[c].hostname);
    free(m->e);
    free(m->c);
    memset(m, 0, sizeof *m);
}

/* ---- scenarios ---------------------------------------------------------------------- */

static struct menu_options options_base(void)
{
    return (struct menu_options){
        .release_dir = "/srv/tnb/release",
        .timeout_s = 7,
        .dhcp_mode = DHCP_FULL,
        .bios_loader = LOADER_PXELINUX,
        .efi_loader = LOADER_GRUB,
        .server_ip = "192.168.1.10",
        .subnet = "192.168.1.0/24",
        .range_start = "192.168.1.100",
        .range_end = "192.168.1.199",
    };
}

/* full DHCP, files over TFTP from the root, default loaders */
static struct menu_options options_full_tftp(void)
{
    return options_base();
}

/* proxy DHCP beside a router, iPXE fetching over HTTP, iPXE for UEFI, one interface */
static struct menu_options options_proxy_url(void)
{
    struct menu_options o = options_base();
    o.dhcp_mode = DHCP_PROXY;
    o.url_base = "http://10.0.2.2/tnb";
    o.efi_loader = LOADER_IPXE;
    o.server_ip = "10.0.2.2";
    o.subnet = "10.0.2.0/23";
    o.range_start = "10.0.2.50";
    o.range_end = "10.0.2.60";
    o.interface = "eth1";
    o.tftp_root = "/srv/tftp";
    return o;
}

/* full DHCP, the release under a TFTP prefix, GRUB for BIOS too */
static struct menu_options options_prefix_grub(void)
{
    struct menu_options o = options_base();
    o.tftp_prefix = "tnb";
    o.bios_loader = LOADER_GRUB;
    o.timeout_s = 0;
    o.tftp_max = 200;   /* --tftp-max 200 */
    o.tftp_mtu = -1;    /* --tftp-mtu 0: no tftp-mtu line */
    return o;
}

struct scenario {
    const char *name;
    struct menu_options (*options)(void);
};

static const struct scenario scenarios[] = {
    {"full-tftp", options_full_tftp},
    {"proxy-url", options_proxy_url},
    {"prefix-grub", options_prefix_grub},
};

/* ---- comparing with the goldens ------------------------------------------------------ */

static int update_requested(void)
{
    const char *u = getenv("UPDATE_GOLDEN");
    return u && strcmp(u, "1") == 0;
}

static void golden_write(struct tap *t, const char *path, const struct buf *data)
{
    struct diag d = {0};
    char *dir = dir_name(path);
    int r = mkdir_p(dir, &d);
    if (r == 0)
        r = write_file_atomic(path, data->data, data->len, 0644, &d);
    free(dir);
    ok(t, r == 0, "wrote golden %s%s%s", path, r ? ": " : "", r ? d.msg : "");
}

static void golden_compare(struct tap *t, const char *path, const struct buf *data)
{
    struct diag d = {0};
    struct buf want = {0};
    if (read_file(path, &want, &d) < 0) {
        ok(t, 0, "%s: %s (UPDATE_GOLDEN=1 writes it)", path, d.msg);
        return;
    }
    is_mem(t, data->data, data->len, want.data, want.len, "%s", path);
    buf_free(&want);
}

static void emitter_check(struct tap *t, const char *golden, const struct scenario *s, const struct emitter *em,
                          const struct menu_model *m)
{
    struct out_files out = {0};
    em->emit(m, &out);
    ok(t, out.n > 0, "%s/%s: writes at least one file", s->name, em->name);
    for (size_t i = 0; i < out.n; i++) {
        char *path = xasprintf("%s/%s/%s", golden, s->name, out.f[i].path);
        if (update_requested())
            golden_write(t, path, &out.f[i].data);
        else
            golden_compare(t, path, &out.f[i].data);
        free(path);
    }
    out_files_free(&out);
}

static void scenario_check(struct tap *t, const char *golden, const struct scenario *s)
{
    struct menu_options o = s->options();
    struct menu_model m;
    model_build(&o, &m);
    for (size_t i = 0; i < menu_emitters_count; i++)
        emitter_check(t, golden, s, &menu_emitters[i], &m);
    model_free(&m);
}

/* The golden files every scenario expects: the same list as the model's outputs
 * (a client's per-MAC files included), so a missing emitter output fails too. */
static void expected_files_check(struct tap *t)
{
    struct menu_options o = options_full_tftp();
    struct menu_model m;
    model_build(&o, &m);
    struct out_files out = {0};
    for (size_t i = 0; i < menu_emitters_count; i++)
        menu_emitters[i].emit(&m, &out);
    static const char *const want[] = {
        "pxelinux.cfg/default", "pxelinux.cfg/01-52-54-00-12-34-56", "boot.ipxe",
        "ipxe/01-52-54-00-12-34-56.ipxe", "grub/grub.cfg", "grub/grub.cfg-01-52-54-00-12-34-56", "dnsmasq.conf",
        "kea-dhcp4.json", "dhcpd.conf",
    };
    size_t nwant = sizeof want / sizeof want[0];
    is_int(t, (long long)out.n, (long long)nwant, "the emitters write %zu files", nwant);
    for (size_t i = 0; i < nwant && i < out.n; i++)
        is_str(t, out.f[i].path, want[i], "output %zu is %s", i, want[i]);
    out_files_free(&out);
    model_free(&m);
}

static void emitter_table_check(struct tap *t)
{
    static const char *const names[] = {"pxelinux", "ipxe", "grub", "dnsmasq", "kea", "isc-dhcpd"};
    is_int(t, (long long)menu_emitters_count, 6, "six emitters in the table");
    for (size_t i = 0; i < menu_emitters_count && i < 6; i++)
        is_str(t, menu_emitters[i].name, names[i], "emitter %zu is %s", i, names[i]);
}

/* tftp-max: --tftp-max wins; else one per client, at least dnsmasq's 50, at most 1000. */
static void tftp_max_check(struct tap *t)
{
    struct menu_options o = options_base();
    is_int(t, dnsmasq_tftp_max(&o, 0), 50, "tftp-max without clients: dnsmasq's 50");
    is_int(t, dnsmasq_tftp_max(&o, 49), 50, "tftp-max for 49 clients: the floor 50");
    is_int(t, dnsmasq_tftp_max(&o, 300), 300, "tftp-max for 300 clients: 300");
    is_int(t, dnsmasq_tftp_max(&o, 10000), 1000, "tftp-max for 10,000 clients: the ceiling 1000");
    o.tftp_max = 7;
    is_int(t, dnsmasq_tftp_max(&o, 10000), 7, "--tftp-max 7 wins");
}

/* The per-MAC configs stay their client's size however many shared entries
 * there are: the client's entry and a way into the shared menu, not a copy. */
static void per_mac_size_check(struct tap *t)
{
    struct menu_options o = options_full_tftp();
    struct menu_model m;
    model_build(&o, &m);
    size_t shared = 300;
    m.e = xrealloc(m.e, (m.n + shared) * sizeof *m.e);
    memset(&m.e[m.n], 0, shared * sizeof *m.e);
    for (size_t i = 0; i < shared; i++)
        entry_same_stacks(&m.e[m.n + i]);
    m.n += shared;
    struct out_files out = {0};
    emit_pxelinux(&m, &out);
    emit_grub(&m, &out);
    for (size_t i = 0; i < out.n; i++) {
        const char *p = out.f[i].path;
        if (strstr(p, "01-52-54-00-12-34-56")) {
            ok(t, out.f[i].data.len < 2000, "%s: %zu bytes with %zu shared entries (its own entry and a link)", p,
               out.f[i].data.len, shared + 2);
            buf_append(&out.f[i].data, "", 1);
            ok(t, strstr((char *)out.f[i].data.data, "pxelinux.cfg/default") || strstr((char *)out.f[i].data.data,
               "configfile /grub/grub.cfg"), "%s opens the shared menu", p);
        }
    }
    out_files_free(&out);
    model_free(&m);
}

/* boot.ipxe does not grow with the clients file: 1,000 clients' entries are in
 * their own ipxe/01-<mac>.ipxe scripts, boot.ipxe the same bytes as with one. */
static void ipxe_per_mac_check(struct tap *t)
{
    struct menu_options o = options_full_tftp();
    struct menu_model m;
    model_build(&o, &m);
    struct out_files one = {0}, many = {0};
    emit_ipxe(&m, &one);
    size_t n = 1000;
    m.c = xrealloc(m.c, n * sizeof *m.c);
    for (size_t c = 1; c < n; c++) {
        snprintf(m.c[c].mac, sizeof m.c[c].mac, "52:54:00:00:%02zx:%02zx", c / 256, c % 256);
        m.c[c].hostname = xasprintf("pc%zu", c);
        m.c[c].entry = 2;
    }
    m.nc = n;
    emit_ipxe(&m, &many);
    is_int(t, (long long)many.n, (long long)n + 1, "iPXE: boot.ipxe and one script per client (%zu)", n);
    ok(t, one.f[0].data.len == many.f[0].data.len && !memcmp(one.f[0].data.data, many.f[0].data.data, one.f[0].data.len),
       "boot.ipxe: the same %zu bytes with 1 client and with %zu", one.f[0].data.len, n);
    is_str(t, many.f[n].path, "ipxe/01-52-54-00-00-03-e7.ipxe", "the last client's script");
    out_files_free(&one);
    out_files_free(&many);
    model_free(&m);
}

int main(int argc, char **argv)
{
    struct tap t = {0};
    const char *golden = argc > 1 ? argv[1] : "tests/unit/golden/emitters";
    emitter_table_check(&t);
    expected_files_check(&t);
    tftp_max_check(&t);
    per_mac_size_check(&t);
    ipxe_per_mac_check(&t);
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        scenario_check(&t, golden, &scenarios[i]);
    return tap_done(&t);
}
