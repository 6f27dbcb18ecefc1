/* release.c — see release.h. */
#define _GNU_SOURCE
#include "release.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "layout.h"
#include "sha256.h"
#include "sizes.h"

/* ---- staging -------------------------------------------------------------- */

static int link_tree(const char *from, const char *to, struct diag *d)
{
    DIR *dh = opendir(from);
    if (!dh)
        return diag_fail(d, EXIT_BUILD, "%s: %s", from, strerror(errno));
    int rc = mkdir_p(to, d);
    struct dirent *e;
    while (rc == 0 && (e = readdir(dh))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *a = xasprintf("%s/%s", from, e->d_name), *b = xasprintf("%s/%s", to, e->d_name);
        struct stat st;
        if (lstat(a, &st) < 0)
            rc = diag_fail(d, EXIT_BUILD, "%s: %s", a, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = link_tree(a, b, d);
        else if (link(a, b) < 0)
            rc = diag_fail(d, EXIT_BUILD, "link %s: %s", b, strerror(errno));
        free(a);
        free(b);
    }
    closedir(dh);
    return rc;
}

/* Remove staging directories that killed builds left behind. */
static void remove_stale_staging(const char *output_dir)
{
    DIR *dh = opendir(output_dir);
    struct dirent *e;
    struct diag ignored = {0};
    while (dh && (e = readdir(dh)))
        if (strncmp(e->d_name, ".release.", 9) == 0) {
            char *p = xasprintf("%s/%s", output_dir, e->d_name);
            rm_rf(p, &ignored);
            free(p);
        }
    if (dh)
        closedir(dh);
}

/* A kernel or layer the release no longer has must not stay behind in it:
 * menus offer every image whose files are in the release directory. */
static int is_release_artifact(const char *name)
{
    size_t n = strlen(name);
    return (n > 8 && strcmp(name + n - 8, ".cpio.xz") == 0) || (n > 8 && strcmp(name + n - 8, ".bzImage") == 0);
}

static int remove_dropped_files(const char *staging, const struct strv *keep, struct diag *d)
{
    DIR *dh = opendir(staging);
    if (!dh)
        return diag_fail(d, EXIT_BUILD, "%s: %s", staging, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dh)))
        if (is_release_artifact(e->d_name) && !strv_contains(keep, e->d_name) && unlinkat(dirfd(dh), e->d_name, 0) < 0)
            rc = diag_fail(d, EXIT_BUILD, "%s/%s: %s", staging, e->d_name, strerror(errno));
    closedir(dh);
    return rc;
}

static int stage_begin(const char *output_dir, const struct strv *keep, char **staging, struct diag *d)
{
    remove_stale_staging(output_dir);
    *staging = xasprintf("%s/.release.%ld", output_dir, (long)getpid());
    char *current = xasprintf("%s/release", output_dir);
    int rc = is_dir(current) ? link_tree(current, *staging, d) : mkdir_p(*staging, d);
    if (rc == 0)
        rc = remove_dropped_files(*staging, keep, d);
    free(current);
    return rc;
}

static int stage_commit(const char *output_dir, const char *staging, struct diag *d)
{
    char *current = xasprintf("%s/release", output_dir);
    int rc = 0;
    if (is_dir(current)) {
        if (renameat2(AT_FDCWD, staging, AT_FDCWD, current, RENAME_EXCHANGE) < 0)
            rc = diag_fail(d, EXIT_BUILD, "swapping %s into place: %s", current, strerror(errno));
        else
            rm_rf(staging, d);   /* now the old release */
    } else if (rename(staging, current) < 0) {
        rc = diag_fail(d, EXIT_BUILD, "rename %s -> %s: %s", staging, current, strerror(errno));
    }
    free(current);
    return rc;
}

/* ---- the files -------------------------------------------------------------- */

/* What goes into the release, in memory, in SHA256SUMS order. */
struct release_files {
    struct strv names;
    struct buf *data;
    size_t n;
};

static void add_file(struct release_files *f, const char *name, struct buf *data)
{
    f->data = xrealloc(f->data, (f->n + 1) * sizeof *f->data);
    f->data[f->n++] = *data;   /* takes the bytes */
    memset(data, 0, sizeof *data);
    strv_push(&f->names, name);
}

static void release_files_free(struct release_files *f)
{
    for (size_t i = 0; i < f->n; i++)
        buf_free(&f->data[i]);
    free(f->data);
    strv_free(&f->names);
}

static int kernel_file(const struct built *k, const char *name, struct buf *out, struct diag *d)
{
    char *p = xasprintf("%s/%s", k->outdir, name);
    int rc = read_file(p, out, d);
    free(p);
    return rc;
}

static void modules_lines(const struct build_state *s, struct buf *out)
{
    for (size_t i = 0; i < s->release->layers.n; i++) {
        const struct built *l = build_get(s, s->release->layers.v[i]);
        for (size_t k = 0; k < l->n_mods; k++) {
            const struct modules_archive *m = &l->mods[k];
            char *file = layout_modules_file(l->r->name, m->kernel->name);
            buf_printf(out, "%s carries %zu kernel module%s:", file, m->modules.n, m->modules.n == 1 ? "" : "s");
            for (size_t j = 0; j < m->modules.n; j++)
                buf_printf(out, " %s", m->modules.v[j]);
            buf_puts(out, "\n");
            free(file);
        }
    }
}

/* sizes.txt: the table with budgets, the modules each layer carries, the
 * sources not built from their pins, and where each kernel's bytes are. */
static int sizes_file(const struct build_state *s, const struct size_row *rows, size_t n_rows,
                      const struct buf *breakdowns, struct buf *out, struct diag *d)
{
    if (sizes_check_images(&s->ctx->graph, rows, n_rows, d) < 0)
        return -1;
    buf_puts(out, "# tinynetboot release sizes (bytes; budgets from the recipes)\n");
    sizes_render(&s->ctx->graph, rows, n_rows, out);
    modules_lines(s, out);
    size_t unpinned = sources_unpinned(&s->sources);
    if (unpinned)
        buf_printf(out, "# %zu source%s NOT PINNED: built from what the archive offers now (see SOURCES)\n",
                   unpinned, unpinned == 1 ? "" : "s");
    buf_append(out, breakdowns->data ? breakdowns->data : (unsigned char *)"", breakdowns->len);
    return 0;
}

/* Each kernel as <name>.bzImage (checked against its budget); the first also as
 * bzImage, for menus written by hand before there were flavours. */
static int kernel_files(const struct build_state *s, struct release_files *f, struct size_row *rows,
                        struct buf *breakdowns, struct diag *d)
{
    const struct recipe *rel = s->release;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < rel->kernels.n; i++) {
        const struct built *k = build_get(s, rel->kernels.v[i]);
        struct buf bz = {0}, breakdown = {0};
        rc = kernel_file(k, "bzImage", &bz, d);
        if (rc == 0)
            kernel_file(k, "breakdown.txt", &breakdown, &(struct diag){0});
        if (rc == 0)
            rc = kernel_check_budget(k->r->path, (long long)bz.len, k->r->budget, (char *)breakdown.data, d);
        if (rc == 0 && i == 0) {
            struct buf copy = {0};
            buf_append(&copy, bz.data, bz.len);
            add_file(f, "bzImage", &copy);
        }
        char *name = layout_kernel_file(k->r->name);
        rows[i] = (struct size_row){NULL, (long long)bz.len, k->r->budget};
        if (rc == 0) {
            add_file(f, name, &bz);
            rows[i].name = f->names.v[f->n - 1];
            buf_printf(breakdowns, "\n# kernel %s: where the bytes are (from the kernel build)\n", k->r->name);
            buf_append(breakdowns, breakdown.data ? breakdown.data : (unsigned char *)"", breakdown.len);
        }
        free(name);
        buf_free(&bz);
        buf_free(&breakdown);
    }
    return rc;
}

static void add_row(struct release_files *f, struct size_row **rows, size_t *n, char *file, const struct buf *data,
                    long long budget)
{
    struct buf copy = {0};
    buf_append(&copy, data->data, data->len);
    add_file(f, file, &copy);
    free(file);
    *rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
    (*rows)[(*n)++] = (struct size_row){f->names.v[f->n - 1], (long long)data->len, budget};
}

/* Each layer, followed by its modules archives (one per kernel). */
static void layer_files(const struct build_state *s, struct release_files *f, struct size_row **rows, size_t *n)
{
    const struct recipe *rel = s->release;
    for (size_t i = 0; i < rel->layers.n; i++) {
        const struct built *l = build_get(s, rel->layers.v[i]);
        add_row(f, rows, n, layout_layer_file(l->r->name), &l->artifact, l->r->budget);
        for (size_t k = 0; k < l->n_mods; k++)
            add_row(f, rows, n, layout_modules_file(l->r->name, l->mods[k].kernel->name), &l->mods[k].artifact, 0);
    }
}

static int collect_files(const struct build_state *s, struct release_files *f, struct diag *d)
{
    const struct recipe *rel = s->release;
    size_t n = rel->kernels.n;
    struct buf breakdowns = {0}, text = {0};
    struct size_row *rows = xcalloc(n, sizeof *rows);
    int rc = kernel_files(s, f, rows, &breakdowns, d);
    if (rc == 0) {
        layer_files(s, f, &rows, &n);
        rc = sizes_file(s, rows, n, &breakdowns, &text, d);
    }
    if (rc == 0) {
        fputs((char *)text.data, stdout);
        add_file(f, "sizes.txt", &text);
        sources_render(&s->sources, &text);
        add_file(f, "SOURCES", &text);
    }
    free(rows);
    buf_free(&breakdowns);
    buf_free(&text);
    return rc;
}

static int put_release_file(const char *dir, const char *name, const struct buf *data, struct diag *d)
{
    char *p = xasprintf("%s/%s", dir, name);
    int rc = write_file_if_changed(p, data->data, data->len, 0644, d);
    free(p);
    return rc;
}

/* Everything is computed in memory first; only whole files are then renamed
 * into place, the checksums last. */
int release_write(const struct build_state *s, struct diag *d)
{
    struct release_files f = {0};
    struct buf sums = {0};
    char *dir = NULL;
    int rc = collect_files(s, &f, d);
    if (rc == 0)
        rc = stage_begin(s->ctx->output_dir, &f.names, &dir, d);
    for (size_t i = 0; rc == 0 && i < f.n; i++) {
        char hex[SHA256_HEX_LEN + 1];
        sha256_of(f.data[i].data, f.data[i].len, hex);
        buf_printf(&sums, "%s  %s\n", hex, f.names.v[i]);
        rc = put_release_file(dir, f.names.v[i], &f.data[i], d);
    }
    if (rc == 0)
        rc = put_release_file(dir, "SHA256SUMS", &sums, d);
    if (rc == 0)
        rc = stage_commit(s->ctx->output_dir, dir, d);
    else if (dir)
        rm_rf(dir, &(struct diag){0});
    free(dir);
    buf_free(&sums);
    release_files_free(&f);
    return rc;
}
