/* layer.c — see layer.h. */
#define _GNU_SOURCE
#include "layer.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "cpio_spec.h"
#include "fsutil.h"
#include "hosttree.h"
#include "xz.h"

static int add_entries(const char *top, const struct recipe *layer, struct cpio_tree *tree, struct diag *d)
{
    for (size_t i = 0; i < layer->n_entries; i++) {
        struct cpio_entry e;
        memset(&e, 0, sizeof e);
        struct diag inner = {0};
        if (cpio_parse_spec_line(layer->entries[i].text, top, &e, &inner) < 0 ||
            cpio_entry_check_source(&e, &inner) < 0) {
            cpio_entry_free(&e);
            return diag_fail(d, EXIT_INPUT, "%s:%d: %s", layer->path, layer->entries[i].line, inner.msg);
        }
        e.origin = xasprintf("%s:%d", layer->path, layer->entries[i].line);
        int rc = cpio_add(tree, &e, CPIO_DUP_REPLACE, d);
        cpio_entry_free(&e);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int layer_collect(const char *top, const struct recipe *layer, const struct strv *package_targets,
                  struct cpio_tree *tree, struct diag *d)
{
    for (size_t i = 0; i < package_targets->n; i++)
        if (is_dir(package_targets->v[i]) &&
            cpio_add_host_tree(tree, package_targets->v[i], "", CPIO_DUP_REPLACE, d) < 0)
            return -1;
    if (layer->overlay) {
        char *dir = xasprintf("%s/%s", top, layer->overlay);
        int rc = cpio_add_host_tree(tree, dir, "", CPIO_DUP_REPLACE, d);
        free(dir);
        if (rc < 0)
            return -1;
    }
    return add_entries(top, layer, tree, d);
}

int layer_pack(const struct cpio_tree *tree, long long mtime, struct buf *xz, struct diag *d)
{
    struct buf raw = {0};
    int rc = cpio_write(tree, (uint32_t)mtime, &raw, d);
    if (rc == 0)
        rc = xz_compress(raw.data, raw.len, xz, d);
    buf_free(&raw);
    return rc;
}

unsigned layer_normal_mode(enum cpio_type type, unsigned perm)
{
    switch (type) {
    case CPIO_DIR: return 0755;
    case CPIO_SYMLINK: return 0777;
    case CPIO_FILE:
        if ((perm & 077) == 0)   /* owner-only stays owner-only */
            return perm & 0100 ? 0700 : 0600;
        return perm & 0100 ? 0755 : 0644;
    default: return perm & 0777;
    }
}

void layer_normalise_modes(struct cpio_tree *tree)
{
    for (size_t i = 0; i < tree->n; i++)
        tree->e[i].perm = layer_normal_mode(tree->e[i].type, tree->e[i].perm);
}

int layer_add_from_dir(struct cpio_tree *tree, const char *dir, struct diag *d)
{
    struct cpio_tree add = {0};
    int rc = cpio_add_host_tree(&add, dir, "", CPIO_DUP_REPLACE, d);
    if (rc == 0)
        layer_normalise_modes(&add);
    for (size_t i = 0; rc == 0 && i < add.n; i++)
        rc = cpio_add(tree, &add.e[i], CPIO_DUP_REPLACE, d);
    cpio_tree_free(&add);
    return rc;
}

int layer_file_mode(const struct cpio_tree *tree)
{
    for (size_t i = 0; i < tree->n; i++) {
        const struct cpio_entry *e = &tree->e[i];
        if ((e->type == CPIO_FILE || e->type == CPIO_DIR) && !(e->perm & 0004))
            return 0600;
    }
    return 0644;
}

int layer_add_file_arg(struct cpio_tree *tree, const char *arg, struct diag *d)
{
    char *copy = xstrdup(arg);
    char *src = copy, *dest = strchr(copy, ':'), *mode_s = NULL;
    int rc = 0;
    if (!dest || !dest[1]) {
        free(copy);
        return diag_fail(d, EXIT_INPUT, "--file %s: expected SRC:DEST[:MODE]", arg);
    }
    *dest++ = 0;
    mode_s = strchr(dest, ':');
    if (mode_s)
        *mode_s++ = 0;
    struct cpio_entry e;
    memset(&e, 0, sizeof e);
    e.type = CPIO_FILE;
    struct stat st;
    if (!*src || stat(src, &st) < 0)
        rc = diag_fail(d, EXIT_INPUT, "--file %s: cannot read %s: %s", arg, *src ? src : "(empty)",
                       *src ? strerror(errno) : "no source given");
    else if (!S_ISREG(st.st_mode))
        rc = diag_fail(d, EXIT_INPUT, "--file %s: %s is not a regular file", arg, src);
    else if (mode_s && parse_octal_mode(mode_s, &e.perm) < 0)
        rc = diag_fail(d, EXIT_INPUT, "--file %s: bad mode \"%s\" (octal, at most 07777)", arg, mode_s);
    if (rc == 0) {
        if (!mode_s)
            e.perm = layer_normal_mode(CPIO_FILE, (unsigned)st.st_mode & 07777);
        e.path = dest;
        e.src_path = src;
        e.origin = (char *)arg;
        struct diag inner = {0};
        rc = cpio_add(tree, &e, CPIO_DUP_REPLACE, &inner);
        if (rc < 0)
            diag_fail(d, EXIT_INPUT, "--file %s: %s", arg, inner.msg);
    }
    free(copy);
    return rc;
}
