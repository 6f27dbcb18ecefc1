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

/* The entry at path in the stack trees[0..top] as the kernel leaves it: the
   nearest layer from top down that has it (*layer says which). */
static const struct cpio_entry *stack_lookup(const struct cpio_tree *trees, size_t top, const char *path, size_t *layer)
{
    for (size_t l = top + 1; l-- > 0;) {
        const struct cpio_entry *e = find_entry(&trees[l], path);
        if (e) {
            if (layer)
                *layer = l;
            return e;
        }
    }
    return NULL;
}

enum { MAX_LINK_HOPS = 40 };   /* the kernel's own limit on nested symlinks */

/* Where the kernel's unpacker writes path when trees[0..top] are already
   unpacked: directory components are followed through symlinks (its open()
   follows them; only the last component is replaced, not followed). A new
   string, or NULL on a symlink loop. */
static char *resolve_path(const struct cpio_tree *trees, size_t top, const char *path)
{
    struct buf done = {0}, rest = {0};
    buf_puts(&done, "");
    buf_puts(&rest, path);
    int hops = 0;
    while (rest.len) {
        char *r = (char *)rest.data;
        size_t len = strcspn(r, "/");
        int last = r[len] == 0;
        char *comp = xstrndup(r, len);
        char *after = xstrdup(last ? "" : r + len + 1);
        if (!strcmp(comp, "..")) {
            char *slash = strrchr((char *)done.data, '/');
            done.len = slash ? (size_t)(slash - (char *)done.data) : 0;
            done.data[done.len] = 0;
        } else if (*comp && strcmp(comp, ".")) {
            size_t keep = done.len;
            buf_printf(&done, "%s%s", keep ? "/" : "", comp);
            const struct cpio_entry *e = last ? NULL : stack_lookup(trees, top, (char *)done.data, NULL);
            if (e && e->type == CPIO_SYMLINK) {
                done.len = e->link_target[0] == '/' ? 0 : keep;   /* absolute: from the root */
                done.data[done.len] = 0;
                char *next = xasprintf("%s/%s", e->link_target, after);
                free(after);
                after = next;
                if (++hops > MAX_LINK_HOPS) {
                    free(comp);
                    free(after);
                    buf_free(&rest);
                    buf_free(&done);
                    return NULL;
                }
            }
        }
        free(comp);
        rest.len = 0;
        buf_puts(&rest, after + strspn(after, "/"));
        free(after);
    }
    buf_free(&rest);
    return (char *)done.data;
}

static void report(struct buf *out, const struct strv *files, size_t upper, size_t lower, const char *path,
                   const struct cpio_entry *o, const struct cpio_entry *e)
{
    buf_printf(out, "%s: %s overrides %s (%s -> %s%s", path, base_name(files->v[upper]), base_name(files->v[lower]),
               cpio_type_name(o->type), cpio_type_name(e->type), same_content(o, e) ? ", identical" : "");
    if (strcmp(path, e->path))
        buf_printf(out, ", as %s through a symlink", e->path);
    buf_puts(out, ")\n");
}

/* Overrides by one entry of layer upper; the count of paths it overrides (0 or 1). */
static size_t entry_overrides(const struct cpio_tree *trees, const struct strv *files, size_t upper,
                              const struct cpio_entry *e, struct buf *out)
{
    char *path = resolve_path(trees, upper, e->path);
    if (!path) {
        buf_printf(out, "%s: %s writes it through a symlink loop\n", e->path, base_name(files->v[upper]));
        return 1;
    }
    size_t lower = 0, n = 0;
    const struct cpio_entry *o = upper ? stack_lookup(trees, upper - 1, path, &lower) : NULL;
    if (o && !(o->type == CPIO_DIR && e->type == CPIO_DIR)) {
        report(out, files, upper, lower, path, o, e);
        n = 1;
    }
    free(path);
    return n;
}

int stack_check(const struct strv *layer_files, struct buf *out, size_t *count, struct diag *d)
{
    struct cpio_tree *trees = xcalloc(layer_files->n, sizeof *trees);
    int rc = 0;
    *count = 0;
    for (size_t i = 0; i < layer_files->n && rc == 0; i++)
        rc = cpio_read_file(layer_files->v[i], &trees[i], d);
    for (size_t upper = 1; rc == 0 && upper < layer_files->n; upper++)
        for (size_t k = 0; k < trees[upper].n; k++)
            *count += entry_overrides(trees, layer_files, upper, &trees[upper].e[k], out);
    for (size_t i = 0; i < layer_files->n; i++)
        cpio_tree_free(&trees[i]);
    free(trees);
    return rc;
}
