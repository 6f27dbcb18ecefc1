/* run_image.c — see run_image.h. */
#define _GNU_SOURCE
#include "run_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "menu.h"

static const struct boot_entry *find_entry(const struct menu_model *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (!m->e[i].per_mac_only && !strcmp(m->e[i].id, name))
            return &m->e[i];
    return NULL;
}

static int unknown_image(const struct menu_model *m, const char *release_dir, const char *name, struct diag *d)
{
    struct buf names = {0};
    for (size_t i = 0; i < m->n; i++)
        buf_printf(&names, "%s%s", i ? " " : "", m->e[i].id);
    diag_fail(d, EXIT_INPUT, "unknown image \"%s\" (%s has: %s)", name, release_dir, names.len ? (char *)names.data : "none");
    buf_free(&names);
    return -1;
}

static int need_file(const char *path, const char *what, struct diag *d)
{
    if (access(path, R_OK) != 0)
        return diag_fail(d, EXIT_INPUT, "%s %s: %s", what, path, strerror(errno));
    return 0;
}

static int fill(const struct graph *g, const char *release_dir, const struct boot_entry *e, enum firmware fw,
                const struct strv *sites, struct run_image *out, struct diag *d)
{
    out->kernel = xasprintf("%s/%s", release_dir, e->kernel[fw]);
    if (need_file(out->kernel, "kernel", d) < 0)
        return -1;
    /* "linux-pc.bzImage" -> the kernel recipe linux-pc, for its arch */
    char *kname = xstrndup(e->kernel[fw], strcspn(e->kernel[fw], "."));
    const struct recipe *k = graph_find(g, kname);
    free(kname);
    out->kernel_arch = xstrdup(k && k->arch ? k->arch : "i386");
    for (size_t i = 0; i < e->initrds[fw].n; i++) {
        strv_push_owned(&out->initrds, xasprintf("%s/%s", release_dir, e->initrds[fw].v[i]));
        if (need_file(out->initrds.v[out->initrds.n - 1], "layer", d) < 0)
            return -1;
    }
    for (size_t i = 0; i < sites->n; i++) {
        if (need_file(sites->v[i], "--site", d) < 0)
            return -1;
        strv_push_owned(&out->initrds, abs_path(sites->v[i]));
    }
    out->cmdline = xstrdup(entry_cmdline(e));
    return 0;
}

int run_image_resolve(const struct graph *g, const char *release_dir, const char *name, enum firmware fw,
                      const struct strv *sites, struct run_image *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    struct menu_options o = {.release_dir = release_dir, .timeout_s = 5, .server_ip = "10.0.2.2",
                             .subnet = "10.0.2.0/24", .range_start = "10.0.2.15", .range_end = "10.0.2.15",
                             .efi_loader = LOADER_GRUB};
    struct menu_model m;
    if (menu_build(g, &o, &m, d) < 0)
        return -1;
    const struct boot_entry *e = find_entry(&m, name);
    int rc = e ? fill(g, release_dir, e, fw, sites, out, d) : unknown_image(&m, release_dir, name, d);
    menu_free(&m);
    if (rc < 0)
        run_image_free(out);
    return rc;
}

void run_image_free(struct run_image *ri)
{
    free(ri->kernel);
    free(ri->kernel_arch);
    strv_free(&ri->initrds);
    free(ri->cmdline);
    memset(ri, 0, sizeof *ri);
}

static int append_file(int out, const char *path, struct diag *d)
{
    int in = open(path, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return diag_fail(d, EXIT_INPUT, "%s: %s", path, strerror(errno));
    char chunk[65536];
    int rc = 0;
    for (;;) {
        ssize_t r = read(in, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r < 0)
                rc = diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
            break;
        }
        for (ssize_t off = 0; off < r && rc == 0;) {
            ssize_t w = write(out, chunk + off, (size_t)(r - off));
            if (w < 0 && errno != EINTR)
                rc = diag_fail(d, EXIT_BUILD, "writing the initrd: %s", strerror(errno));
            off += w > 0 ? w : 0;
        }
        if (rc)
            break;
    }
    close(in);
    return rc;
}

int run_image_cat_initrds(const struct run_image *ri, const char *path, struct diag *d)
{
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
    int rc = 0;
    for (size_t i = 0; i < ri->initrds.n && rc == 0; i++)
        rc = append_file(out, ri->initrds.v[i], d);
    if (close(out) < 0 && rc == 0)
        rc = diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
    return rc;
}
