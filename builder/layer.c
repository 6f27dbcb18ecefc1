/* layer.c — see layer.h. */
#define _GNU_SOURCE
#include "layer.h"

#include <stdlib.h>
#include <string.h>

#include "xz.h"

static int add_entries(const char *top, const struct recipe *layer, struct cpio_tree *tree, struct diag *d)
{
    for (size_t i = 0; i < layer->n_entries; i++) {
        struct cpio_entry e;
        memset(&e, 0, sizeof e);
        struct diag inner = {0};
        if (cpio_parse_spec_line(layer->entries[i].text, top, &e, &inner) < 0)
            return diag_fail(d, EXIT_INPUT, "%s:%d: %s", layer->path, layer->entries[i].line, inner.msg);
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
