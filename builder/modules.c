/* modules.c — see modules.h. */
#define _GNU_SOURCE
#include "modules.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

/* One line of modules.dep: "kernel/fs/nfs/nfs.ko: kernel/fs/lockd/lockd.ko ..." */
struct moddep {
    char *path;
    struct strv deps;
};

struct modindex {
    struct moddep *m;
    size_t n;
};

static void index_free(struct modindex *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->m[i].path);
        strv_free(&ix->m[i].deps);
    }
    free(ix->m);
}

static void parse_dep(const char *text, struct modindex *ix)
{
    for (char *line; (line = next_line(&text)); free(line)) {
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = 0;
            ix->m = xrealloc(ix->m, (ix->n + 1) * sizeof *ix->m);
            struct moddep *md = &ix->m[ix->n++];
            md->path = xstrdup(line);
            memset(&md->deps, 0, sizeof md->deps);
            char *save = NULL;
            for (char *w = strtok_r(colon + 1, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
                strv_push(&md->deps, w);
        }
    }
}

/* "nfs" matches ".../nfs.ko"; '-' and '_' are the same in module names. */
static int name_matches(const char *path, const char *name)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(name);
    if (strncmp(base + n, ".ko", 4) != 0 && strcmp(base + n, ".ko") != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = base[i] == '-' ? '_' : base[i], b = name[i] == '-' ? '_' : name[i];
        if (a != b || !a)
            return 0;
    }
    return 1;
}

static const struct moddep *find_by_name(const struct modindex *ix, const char *name)
{
    for (size_t i = 0; i < ix->n; i++)
        if (name_matches(ix->m[i].path, name))
            return &ix->m[i];
    return NULL;
}

static const struct moddep *find_by_path(const struct modindex *ix, const char *path)
{
    for (size_t i = 0; i < ix->n; i++)
        if (!strcmp(ix->m[i].path, path))
            return &ix->m[i];
    return NULL;
}

/* The one version directory under lib/modules. */
static char *version_dir(const char *modules_dir)
{
    DIR *dh = opendir(modules_dir);
    struct dirent *e;
    char *v = NULL;
    while (dh && (e = readdir(dh)))
        if (e->d_name[0] != '.' && !v)
            v = xstrdup(e->d_name);
    if (dh)
        closedir(dh);
    return v;
}

/* modules.builtin: the drivers this kernel has built in, one path per line
 * ("kernel/drivers/net/ethernet/intel/e1000/e1000.ko"). */
static void read_builtin(const char *root, struct modindex *ix)
{
    char *path = xasprintf("%s/modules.builtin", root);
    struct buf text = {0};
    struct diag ignored = {0};
    const char *p = read_file(path, &text, &ignored) == 0 && text.data ? (char *)text.data : "";
    for (char *line; (line = next_line(&p));) {
        ix->m = xrealloc(ix->m, (ix->n + 1) * sizeof *ix->m);
        ix->m[ix->n++] = (struct moddep){line, {0}};
    }
    buf_free(&text);
    free(path);
}

static void add_closure(const struct modindex *ix, const struct moddep *md, struct strv *chosen)
{
    if (strv_contains(chosen, md->path))
        return;
    for (size_t i = 0; i < md->deps.n; i++) {
        const struct moddep *dep = find_by_path(ix, md->deps.v[i]);
        if (dep)
            add_closure(ix, dep, chosen);
    }
    strv_push(chosen, md->path);   /* dependencies first */
}

static int add_generated(struct cpio_tree *tree, char *path, struct buf *text, char *origin,
                         struct diag *d)
{
    struct cpio_entry e;
    memset(&e, 0, sizeof e);
    e.type = CPIO_FILE;
    e.perm = 0644;
    e.path = path;
    e.data = *text;
    e.origin = origin;
    int rc = cpio_add(tree, &e, CPIO_DUP_REPLACE, d);
    free(path);
    return rc;
}

/* Beside the .ko files: modules.dep for them, and layer/<name>, the same
 * lines again: several layers' modules share the directory (and the last
 * layer's modules.dep wins), so a layer's init script reads its own list
 * there, e.g. to free the modules nothing loaded. */
static int add_files(const char *layer, const char *root, const char *version, const struct modindex *ix,
                     const struct strv *chosen, struct cpio_tree *tree, struct diag *d)
{
    struct buf dep = {0}, list = {0};
    int rc = 0;
    for (size_t i = 0; i < chosen->n && rc == 0; i++) {
        struct cpio_entry e;
        memset(&e, 0, sizeof e);
        e.type = CPIO_FILE;
        e.perm = 0644;
        e.path = xasprintf("lib/modules/%s/%s", version, chosen->v[i]);
        e.src_path = xasprintf("%s/%s", root, chosen->v[i]);
        e.origin = e.src_path;
        rc = cpio_add(tree, &e, CPIO_DUP_REPLACE, d);
        free(e.path);
        free(e.src_path);
        const struct moddep *md = find_by_path(ix, chosen->v[i]);
        buf_printf(&dep, "%s:", md->path);
        for (size_t k = 0; k < md->deps.n; k++)
            buf_printf(&dep, " %s", md->deps.v[k]);
        buf_puts(&dep, "\n");
    }
    buf_append(&list, dep.data, dep.len);
    if (rc == 0)
        rc = add_generated(tree, xasprintf("lib/modules/%s/modules.dep", version), &dep, "generated modules.dep", d);
    if (rc == 0)
        rc = add_generated(tree, xasprintf("lib/modules/%s/layer/%s", version, layer), &list,
                           "generated list of the layer's modules", d);
    buf_free(&dep);
    buf_free(&list);
    return rc;
}

int modules_add(const struct recipe *layer, const char *kernel_modules_dir, struct cpio_tree *tree,
                struct strv *carried, struct diag *d)
{
    char *version = version_dir(kernel_modules_dir);
    if (!version)
        return diag_fail(d, EXIT_INPUT, "%s:%d: the kernel was built without modules (give the layer a kconfig "
                         "fragment with =m symbols)", layer->path, layer->key_line[KEY_MODULES]);
    char *root = xasprintf("%s/%s", kernel_modules_dir, version);
    char *dep_path = xasprintf("%s/modules.dep", root);
    struct buf text = {0};
    struct modindex ix = {0};
    struct strv chosen = {0};
    int rc = read_file(dep_path, &text, d);
    if (rc == 0)
        parse_dep((char *)text.data, &ix);
    struct modindex builtin = {0};
    if (rc == 0)
        read_builtin(root, &builtin);
    for (size_t i = 0; rc == 0 && i < layer->modules.n; i++) {
        const struct moddep *md = find_by_name(&ix, layer->modules.v[i]);
        if (!md && find_by_name(&builtin, layer->modules.v[i]))
            continue;   /* this kernel builds the driver in (kernel-configs/README.md) */
        if (!md)
            rc = diag_fail(d, EXIT_INPUT, "%s:%d: module \"%s\" was not built by the kernel (is it =m in the "
                           "layer's kconfig fragment?)", layer->path, layer->key_line[KEY_MODULES], layer->modules.v[i]);
        else
            add_closure(&ix, md, &chosen);
    }
    if (rc == 0)
        rc = add_files(layer->name, root, version, &ix, &chosen, tree, d);
    for (size_t i = 0; rc == 0 && i < chosen.n; i++) {
        const char *base = strrchr(chosen.v[i], '/');
        strv_push(carried, base ? base + 1 : chosen.v[i]);
    }
    strv_free(&chosen);
    index_free(&builtin);
    index_free(&ix);
    buf_free(&text);
    free(dep_path);
    free(root);
    free(version);
    return rc;
}
