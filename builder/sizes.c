/* sizes.c — see sizes.h. */
#define _GNU_SOURCE
#include "sizes.h"

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
    buf_printf(out, "%-24s %12s %12s %12s%s\n", name, b, g, h, budget > 0 && bytes > budget ? "  OVER" : "");
}

static const struct size_row *find_row(const struct size_row *rows, size_t n, const char *layer)
{
    size_t len = strlen(layer);
    for (size_t i = 1; i < n; i++)
        if (strncmp(rows[i].name, layer, len) == 0 && strcmp(rows[i].name + len, ".cpio.xz") == 0)
            return &rows[i];
    return NULL;
}

/* Bytes of an image's whole stack, or -1 when a layer is not among the rows. */
static long long stack_bytes(const struct recipe *image, const struct size_row *rows, size_t n)
{
    long long total = rows[0].bytes;
    for (size_t i = 0; i < image->layers.n; i++) {
        const struct size_row *r = find_row(rows, n, image->layers.v[i]);
        if (!r)
            return -1;
        total += r->bytes;
    }
    return total;
}

void sizes_render(const struct graph *g, const struct size_row *rows, size_t n, struct buf *out)
{
    buf_printf(out, "%-24s %12s %12s %12s\n", "artifact", "bytes", "budget", "headroom");
    for (size_t i = 0; i < n; i++)
        render_row(out, rows[i].name, rows[i].bytes, rows[i].budget);
    /* what a loader fetches for each boot menu entry; the 1.44 MB floppy figure
     * for a whole stack is Tiny SliTaz's, and the vnc image's budget */
    buf_printf(out, "\n%-24s %12s %12s %12s\n", "image: kernel + layers", "bytes", "budget", "headroom");
    for (size_t i = 0; i < g->n; i++) {
        const struct recipe *im = &g->r[i];
        long long total = im->kind == KIND_IMAGE ? stack_bytes(im, rows, n) : -1;
        if (total >= 0)
            render_row(out, im->name, total, im->budget);
    }
}

int sizes_check_images(const struct graph *g, const struct size_row *rows, size_t n, struct diag *d)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct recipe *im = &g->r[i];
        long long total = im->kind == KIND_IMAGE && im->budget ? stack_bytes(im, rows, n) : -1;
        if (total <= im->budget)
            continue;
        struct buf parts = {0};
        buf_printf(&parts, "bzImage %lld", rows[0].bytes);
        for (size_t l = 0; l < im->layers.n; l++) {
            const struct size_row *r = find_row(rows, n, im->layers.v[l]);
            buf_printf(&parts, " + %s %lld", r->name, r->bytes);
        }
        int rc = diag_fail(d, EXIT_BUILD, "%s:%d: image %s is %lld bytes (%s), over its budget of %lld by %lld",
                           im->path, im->key_line[KEY_BUDGET], im->name, total, (char *)parts.data, im->budget,
                           total - im->budget);
        buf_free(&parts);
        return rc;
    }
    return 0;
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int sizes_command(const struct graph *g, const char *release_dir, struct buf *out, struct diag *d)
{
    const struct recipe *rel = graph_release(g, d);
    if (!rel)
        return -1;
    const struct recipe *kernel = graph_find(g, rel->kernel);
    size_t n = 0;
    struct size_row *rows = xcalloc(rel->layers.n + 1, sizeof *rows);
    struct strv names = {0};
    char *kpath = xasprintf("%s/bzImage", release_dir);
    long long ks = file_size(kpath);
    free(kpath);
    if (ks < 0) {
        free(rows);
        return diag_fail(d, EXIT_INPUT, "%s: no bzImage here (is it a release directory?)", release_dir);
    }
    rows[n++] = (struct size_row){"bzImage", ks, kernel ? kernel->budget : 0};
    for (size_t i = 0; i < rel->layers.n; i++) {
        const struct recipe *l = graph_find(g, rel->layers.v[i]);
        char *file = xasprintf("%s.cpio.xz", l->name);
        char *path = xasprintf("%s/%s", release_dir, file);
        long long s = file_size(path);
        free(path);
        strv_push_owned(&names, file);
        if (s >= 0)
            rows[n++] = (struct size_row){file, s, l->budget};
    }
    sizes_render(g, rows, n, out);
    free(rows);
    strv_free(&names);
    return 0;
}
