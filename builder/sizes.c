/* sizes.c — see sizes.h. */
#define _GNU_SOURCE
#include "sizes.h"

#include "layout.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 1474560 -> "1,474,560" */
static void with_commas(long long v, char *out, size_t outlen)
{
    char digits[32];
    int neg = v < 0;
    snprintf(digits, sizeof digits, "%lld", neg ? -v : v);
    size_t n = strlen(digits), o = 0;
    if (neg && o + 1 < outlen)
        out[o++] = '-';
    for (size_t i = 0; i < n && o + 1 < outlen; i++) {
        if (i && (n - i) % 3 == 0 && o + 1 < outlen)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
}

static void render_row(struct buf *out, const char *name, long long bytes, long long budget)
{
    char b[32], g[32], h[32];
    with_commas(bytes, b, sizeof b);
    if (budget > 0) {
        with_commas(budget, g, sizeof g);
        with_commas(budget - bytes, h, sizeof h);
    } else {
        strcpy(g, "-");
        strcpy(h, "-");
    }
    buf_printf(out, "%-30s %12s %12s %12s%s\n", name, b, g, h, budget > 0 && bytes > budget ? "  OVER" : "");
}

static const struct size_row *find_row(const struct size_row *rows, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

/* Bytes of an image's whole stack on one firmware, or -1 when a file of it
 * is not among the rows; parts (if given) gets "k.bzImage N + l.cpio.xz M...". */
static long long stack_bytes(const struct graph *g, const struct recipe *image, enum firmware fw,
                             const struct size_row *rows, size_t n, struct buf *parts)
{
    struct strv files = {0};
    layout_image_stack(g, image, fw, &files);
    long long total = files.n ? 0 : -1;
    for (size_t i = 0; i < files.n && total >= 0; i++) {
        const struct size_row *r = find_row(rows, n, files.v[i]);
        if (!r) {
            total = -1;
            break;
        }
        total += r->bytes;
        if (parts)
            buf_printf(parts, "%s%s %lld", i ? " + " : "", r->name, r->bytes);
    }
    strv_free(&files);
    return total;
}

void sizes_render(const struct graph *g, const struct size_row *rows, size_t n, struct buf *out)
{
    buf_printf(out, "%-30s %12s %12s %12s\n", "artifact", "bytes", "budget", "headroom");
    for (size_t i = 0; i < n; i++)
        render_row(out, rows[i].name, rows[i].bytes, rows[i].budget);
    /* what a loader fetches for each boot menu entry, per firmware (the kernel
     * may differ); the 1.44 MB floppy figure for a whole stack is Tiny SliTaz's */
    buf_printf(out, "\n%-30s %12s %12s %12s\n", "image firmware: kernel+layers", "bytes", "budget", "headroom");
    for (size_t i = 0; i < g->n; i++) {
        const struct recipe *im = &g->r[i];
        for (int fw = 0; fw < FW_COUNT && im->kind == KIND_IMAGE; fw++) {
            long long total = stack_bytes(g, im, (enum firmware)fw, rows, n, NULL);
            const struct recipe *k = graph_image_kernel(g, im, (enum firmware)fw);
            char *what = xasprintf("%s %s %s", im->name, firmware_name((enum firmware)fw), k ? k->name : "?");
            if (total >= 0)
                render_row(out, what, total, im->budget);
            free(what);
        }
    }
}

int sizes_check_images(const struct graph *g, const struct size_row *rows, size_t n, struct diag *d)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct recipe *im = &g->r[i];
        for (int fw = 0; fw < FW_COUNT && im->kind == KIND_IMAGE && im->budget; fw++) {
            struct buf parts = {0};
            long long total = stack_bytes(g, im, (enum firmware)fw, rows, n, &parts);
            int rc = 0;
            if (total > im->budget)
                rc = diag_fail(d, EXIT_BUILD, "%s:%d: image %s (%s) is %lld bytes (%s), over its budget of %lld by %lld",
                               im->path, im->key_line[KEY_BUDGET], im->name, firmware_name((enum firmware)fw), total,
                               (char *)parts.data, im->budget, total - im->budget);
            buf_free(&parts);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static void add_row(struct size_row **rows, size_t *n, struct strv *names, const char *dir, char *file,
                    long long budget)
{
    char *path = xasprintf("%s/%s", dir, file);
    long long s = file_size(path);
    free(path);
    strv_push_owned(names, file);
    if (s < 0)
        return;
    *rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
    (*rows)[(*n)++] = (struct size_row){file, s, budget};
}

int sizes_command(const struct graph *g, const char *release_dir, struct buf *out, struct diag *d)
{
    const struct recipe *rel = graph_release(g, d);
    if (!rel)
        return -1;
    size_t n = 0;
    struct size_row *rows = NULL;
    struct strv names = {0};
    for (size_t i = 0; i < rel->kernels.n; i++) {
        const struct recipe *k = graph_find(g, rel->kernels.v[i]);
        add_row(&rows, &n, &names, release_dir, layout_kernel_file(k->name), k->budget);
    }
    if (n == 0) {
        strv_free(&names);
        return diag_fail(d, EXIT_INPUT, "%s: no kernel of the release here (is it a release directory?)", release_dir);
    }
    for (size_t i = 0; i < rel->layers.n; i++) {
        const struct recipe *l = graph_find(g, rel->layers.v[i]);
        add_row(&rows, &n, &names, release_dir, layout_layer_file(l->name), l->budget);
        struct strv kernels = {0};
        graph_module_kernels(g, l, &kernels);
        for (size_t k = 0; k < kernels.n; k++)
            add_row(&rows, &n, &names, release_dir, layout_modules_file(l->name, kernels.v[k]), 0);
        strv_free(&kernels);
    }
    sizes_render(g, rows, n, out);
    free(rows);
    strv_free(&names);
    return 0;
}
