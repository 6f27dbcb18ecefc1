/* stack.c — see stack.h. */
#define _GNU_SOURCE
#include "stack.h"

#include <stdlib.h>
#include <string.h>

#include "cpio_read.h"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static const struct cpio_entry *find_entry(const struct cpio_tree *t, const char *path)
{
    size_t lo = 0, hi = t->n;   /* t->e is kept sorted by path (cpio.h) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(t->e[mid].path, path);
        if (c == 0)
            return &t->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int same_content(const struct cpio_entry *a, const struct cpio_entry *b)
{
    if (a->type != b->type || a->perm != b->perm)
        return 0;
    if (a->type == CPIO_SYMLINK)
        return !strcmp(a->link_target, b->link_target);
    if (a->type == CPIO_FILE)
        return a->data.len == b->data.len && !memcmp(a->data.data, b->data.data, a->data.len);
    return a->rmajor == b->rmajor && a->rminor == b->rminor;
}

int stack_check(const struct strv *layer_files, struct buf *out, size_t *count, struct diag *d)
{
    struct cpio_tree *trees = xcalloc(layer_files->n, sizeof *trees);
    int rc = 0;
    *count = 0;
    for (size_t i = 0; i < layer_files->n && rc == 0; i++)
        rc = cpio_read_file(layer_files->v[i], &trees[i], d);
    for (size_t upper = 1; rc == 0 && upper < layer_files->n; upper++) {
        for (size_t k = 0; k < trees[upper].n; k++) {
            const struct cpio_entry *e = &trees[upper].e[k];
            for (size_t lower = upper; lower-- > 0;) {
                const struct cpio_entry *o = find_entry(&trees[lower], e->path);
                if (!o)
                    continue;
                if (!(o->type == CPIO_DIR && e->type == CPIO_DIR)) {
                    buf_printf(out, "%s: %s overrides %s (%s -> %s%s)\n", e->path, base_name(layer_files->v[upper]),
                               base_name(layer_files->v[lower]), cpio_type_name(o->type), cpio_type_name(e->type),
                               same_content(o, e) ? ", identical" : "");
                    (*count)++;
                }
                break;   /* the nearest lower layer is the one it replaces */
            }
        }
    }
    for (size_t i = 0; i < layer_files->n; i++)
        cpio_tree_free(&trees[i]);
    free(trees);
    return rc;
}
