/* graph.c — see graph.h. */
#define _GNU_SOURCE
#include "graph.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int check_kernels(const struct graph *g, struct diag *d);

static int cmp_recipe(const void *a, const void *b)
{
    return strcmp(((const struct recipe *)a)->name, ((const struct recipe *)b)->name);
}

struct recipe *graph_find(const struct graph *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->r[i].name, name) == 0)
            return &g->r[i];
    return NULL;
}

/* Each name in `names` (given on `key`'s line) must be a recipe of kind `want`. */
static int check_refs(const struct graph *g, const struct recipe *r, enum recipe_key key,
                      const struct strv *names, enum recipe_kind want, struct diag *d)
{
    for (size_t i = 0; i < names->n; i++) {
        const struct recipe *t = graph_find(g, names->v[i]);
        if (!t)
            return diag_fail(d, EXIT_INPUT, "%s:%d: %s: no recipe named \"%s\"", r->path,
                             r->key_line[key], recipe_key_name(key), names->v[i]);
        if (t->kind != want)
            return diag_fail(d, EXIT_INPUT, "%s:%d: %s: \"%s\" is a %s, not a %s", r->path,
                             r->key_line[key], recipe_key_name(key), names->v[i],
                             recipe_kind_name(t->kind), recipe_kind_name(want));
    }
    return 0;
}

/* Files a recipe names must exist (build script, fragments, overlay). */
static int check_files(const char *top, const struct recipe *r, struct diag *d)
{
    if (r->build) {
        char *p = xasprintf("%s/%s", r->dir, r->build);
        int ok = path_exists(p);
        free(p);
        if (!ok)
            return diag_fail(d, EXIT_INPUT, "%s:%d: build script \"%s\" not found beside the recipe",
                             r->path, r->key_line[KEY_BUILD], r->build);
    }
    for (size_t i = 0; i < r->kconfig.n; i++) {
        char *p = xasprintf("%s/%s", top, r->kconfig.v[i]);
        int ok = path_exists(p);
        free(p);
        if (!ok)
            return diag_fail(d, EXIT_INPUT, "%s:%d: kconfig fragment \"%s\" not found", r->path,
                             r->key_line[KEY_KCONFIG], r->kconfig.v[i]);
    }
    if (r->overlay) {
        char *p = xasprintf("%s/%s", top, r->overlay);
        int ok = is_dir(p);
        free(p);
        if (!ok)
            return diag_fail(d, EXIT_INPUT, "%s:%d: overlay \"%s\" is not a directory", r->path,
                             r->key_line[KEY_OVERLAY], r->overlay);
    }
    return 0;
}

static int pins_own_source(const struct recipe *r)
{
    return r->source_type == SOURCE_DEBIAN_SRC || r->source_type == SOURCE_DEBIAN_DEB;
}

const struct recipe *graph_source_owner(const struct graph *g, const struct recipe *r)
{
    if (r->source_type == SOURCE_RECIPE)
        r = graph_find(g, r->source_package);
    return r && pins_own_source(r) ? r : NULL;
}

/* One source, one pin: `source recipe X` names a recipe that pins a Debian
 * source itself, and no two recipes pin the same file of the same package. */
static int check_source(const struct graph *g, const struct recipe *r, struct diag *d)
{
    int line = r->key_line[KEY_SOURCE];
    if (r->source_type == SOURCE_RECIPE) {
        const struct recipe *o = graph_find(g, r->source_package);
        if (!o)
            return diag_fail(d, EXIT_INPUT, "%s:%d: source: no recipe named \"%s\"", r->path, line,
                             r->source_package);
        if (!pins_own_source(o))
            return diag_fail(d, EXIT_INPUT, "%s:%d: source: recipe \"%s\" pins no Debian source of its own",
                             r->path, line, o->name);
        return 0;
    }
    if (!pins_own_source(r))
        return 0;
    for (const struct recipe *o = g->r; o < r; o++)
        if (pins_own_source(o) && strcmp(o->source_package, r->source_package) == 0 &&
            strcmp(o->source_file, r->source_file) == 0)
            return diag_fail(d, EXIT_INPUT,
                             "%s:%d: %s %s is already pinned by %s:%d; take it from there with "
                             "\"source recipe %s\" (one source, one pin)",
                             r->path, line, r->source_package, r->source_file, o->path,
                             o->key_line[KEY_SOURCE], o->name);
    return 0;
}

static int check_recipe(const struct graph *g, const char *top, const struct recipe *r, struct diag *d)
{
    if (check_source(g, r, d) < 0)
        return -1;
    if (check_refs(g, r, KEY_DEPENDS, &r->depends, KIND_PACKAGE, d) < 0 ||
        check_refs(g, r, KEY_PACKAGES, &r->packages, KIND_PACKAGE, d) < 0 ||
        check_refs(g, r, KEY_LAYERS, &r->layers, KIND_LAYER, d) < 0)
        return -1;
    if (check_refs(g, r, KEY_KERNELS, &r->kernels, KIND_KERNEL, d) < 0)
        return -1;
    const enum recipe_key image_keys[] = {KEY_KERNEL, KEY_KERNEL_EFI};
    const char *image_kernels[] = {r->kernel, r->kernel_efi};
    for (size_t i = 0; i < 2; i++) {
        if (!image_kernels[i])
            continue;
        struct strv one = {0};
        strv_push(&one, image_kernels[i]);
        int rc = check_refs(g, r, image_keys[i], &one, KIND_KERNEL, d);
        strv_free(&one);
        if (rc < 0)
            return -1;
    }
    return check_files(top, r, d);
}

/* Depth-first visit; state 1 = on the current path (a cycle if seen again). */
static int visit(const struct graph *g, const struct recipe *r, char *state, struct strv *order,
                 struct diag *d)
{
    size_t idx = (size_t)(r - g->r);
    if (state[idx] == 2)
        return 0;
    if (state[idx] == 1)
        return diag_fail(d, EXIT_INPUT, "%s:%d: dependency cycle through \"%s\"", r->path,
                         r->key_line[KEY_DEPENDS] ? r->key_line[KEY_DEPENDS] : 1, r->name);
    state[idx] = 1;
    /* kernels come before layers: a layer that carries modules takes them from its kernel */
    for (size_t i = 0; i < r->kernels.n; i++)
        if (visit(g, graph_find(g, r->kernels.v[i]), state, order, d) < 0)
            return -1;
    struct strv module_kernels = {0};
    graph_module_kernels(g, r, &module_kernels);
    for (size_t i = 0; i < module_kernels.n; i++)
        if (visit(g, graph_find(g, module_kernels.v[i]), state, order, d) < 0) {
            strv_free(&module_kernels);
            return -1;
        }
    strv_free(&module_kernels);
    const struct strv *lists[] = {&r->depends, &r->packages, &r->layers};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            if (visit(g, graph_find(g, lists[l]->v[i]), state, order, d) < 0)
                return -1;
    state[idx] = 2;
    strv_push(order, r->name);
    return 0;
}

int graph_order(const struct graph *g, const struct strv *targets, struct strv *order, struct diag *d)
{
    char *state = xcalloc(g->n, 1);
    int rc = 0;
    for (size_t i = 0; i < targets->n && rc == 0; i++) {
        const struct recipe *r = graph_find(g, targets->v[i]);
        if (!r)
            rc = diag_fail(d, EXIT_INPUT, "no recipe named \"%s\"", targets->v[i]);
        else
            rc = visit(g, r, state, order, d);
    }
    free(state);
    return rc;
}

struct recipe *graph_release(const struct graph *g, struct diag *d)
{
    struct recipe *found = NULL;
    for (size_t i = 0; i < g->n; i++) {
        if (g->r[i].kind != KIND_RELEASE)
            continue;
        if (found) {
            diag_fail(d, EXIT_INPUT, "%s: a second release recipe (the first is %s)", g->r[i].path, found->path);
            return NULL;
        }
        found = &g->r[i];
    }
    if (!found)
        diag_fail(d, EXIT_INPUT, "no release recipe (kind release) in the recipes directory");
    return found;
}

/* Names of the sub-directories of dir holding a file called "recipe", sorted. */
static int list_recipe_dirs(const char *dir, struct strv *names, struct diag *d)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return diag_fail(d, EXIT_INPUT, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s/recipe", dir, e->d_name);
        if (path_exists(p))
            strv_push(names, e->d_name);
        free(p);
    }
    closedir(dh);
    strv_sort(names);
    return 0;
}

int graph_load(const char *recipes_dir, struct graph *g, struct diag *d)
{
    memset(g, 0, sizeof *g);
    struct strv names = {0};
    if (list_recipe_dirs(recipes_dir, &names, d) < 0)
        return -1;
    g->r = xcalloc(names.n, sizeof *g->r);
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        char *p = xasprintf("%s/%s/recipe", recipes_dir, names.v[i]);
        rc = recipe_load(p, &g->r[g->n], d);
        if (rc == 0)
            g->n++;
        else
            recipe_free(&g->r[g->n]);
        free(p);
    }
    strv_free(&names);
    if (rc < 0) {
        graph_free(g);
        return -1;
    }
    qsort(g->r, g->n, sizeof *g->r, cmp_recipe);
    /* fragment, overlay paths are relative to the tree top: the recipes dir's parent */
    char *top = dir_name(recipes_dir);
    for (size_t i = 0; i < g->n && rc == 0; i++)
        rc = check_recipe(g, top, &g->r[i], d);
    free(top);
    if (rc == 0) {
        struct strv all = {0}, order = {0};
        for (size_t i = 0; i < g->n; i++)
            strv_push(&all, g->r[i].name);
        rc = check_kernels(g, d);
        if (rc == 0)
            rc = graph_order(g, &all, &order, d);   /* finds cycles anywhere */
        strv_free(&all);
        strv_free(&order);
    }
    if (rc < 0)
        graph_free(g);
    return rc;
}

void graph_free(struct graph *g)
{
    for (size_t i = 0; i < g->n; i++)
        recipe_free(&g->r[i]);
    free(g->r);
    memset(g, 0, sizeof *g);
}

void graph_kernel_fragments(const struct graph *g, const struct recipe *kernel, struct strv *out)
{
    (void)g;
    for (size_t i = 0; i < kernel->kconfig.n; i++)
        if (!strv_contains(out, kernel->kconfig.v[i]))
            strv_push(out, kernel->kconfig.v[i]);
}

static const struct recipe *release_first_kernel(const struct graph *g)
{
    struct diag ignored = {0};
    const struct recipe *rel = graph_release(g, &ignored);
    return rel && rel->kernels.n ? graph_find(g, rel->kernels.v[0]) : NULL;
}

const struct recipe *graph_image_kernel(const struct graph *g, const struct recipe *image, enum firmware fw)
{
    if (fw == FW_EFI && image->kernel_efi)
        return graph_find(g, image->kernel_efi);
    if (image->kernel)
        return graph_find(g, image->kernel);
    return release_first_kernel(g);
}

/* The line that chose an image's kernel for fw (its layers line when the release's default applies). */
static int image_kernel_line(const struct recipe *img, enum firmware fw)
{
    enum recipe_key key = fw == FW_EFI && img->kernel_efi ? KEY_KERNEL_EFI : KEY_KERNEL;
    return img->key_line[key] ? img->key_line[key] : img->key_line[KEY_LAYERS];
}

const char *firmware_name(enum firmware fw)
{
    return fw == FW_EFI ? "UEFI" : "BIOS";
}

/* The first fragment of layer that kernel lacks, or NULL when it can boot the layer. */
const char *graph_missing_fragment(const struct recipe *kernel, const struct recipe *layer)
{
    for (size_t f = 0; f < layer->kconfig.n; f++)
        if (!strv_contains(&kernel->kconfig, layer->kconfig.v[f]))
            return layer->kconfig.v[f];
    return NULL;
}

void graph_module_kernels(const struct graph *g, const struct recipe *layer, struct strv *out)
{
    struct diag ignored = {0};
    const struct recipe *rel = layer->modules.n ? graph_release(g, &ignored) : NULL;
    for (size_t i = 0; rel && i < rel->kernels.n; i++) {
        const struct recipe *k = graph_find(g, rel->kernels.v[i]);
        if (k && !graph_missing_fragment(k, layer))
            strv_push(out, k->name);
    }
}

/* A layer of the release that carries modules needs a kernel to build them. */
static int check_module_layer(const struct graph *g, const struct recipe *layer, struct diag *d)
{
    struct strv kernels = {0};
    graph_module_kernels(g, layer, &kernels);
    size_t n = kernels.n;
    strv_free(&kernels);
    if (n == 0)
        return diag_fail(d, EXIT_INPUT, "%s:%d: layer %s carries kernel modules, but no kernel of the release has all "
                         "its fragments (%s), so none can build them", layer->path, layer->key_line[KEY_MODULES],
                         layer->name, layer->kconfig.n ? layer->kconfig.v[0] : "none");
    return 0;
}

/* Every fragment of every layer of an image must be in the kernel each of
 * its firmwares boots: a layer's needs are not added to a kernel silently. */
static int check_image_fragments(const struct graph *g, const struct recipe *img, struct diag *d)
{
    for (int fw = 0; fw < FW_COUNT; fw++) {
        const struct recipe *k = graph_image_kernel(g, img, (enum firmware)fw);
        int line = image_kernel_line(img, (enum firmware)fw);
        for (size_t l = 0; k && l < img->layers.n; l++) {
            const struct recipe *layer = graph_find(g, img->layers.v[l]);
            const char *missing = graph_missing_fragment(k, layer);
            if (missing)
                return diag_fail(d, EXIT_INPUT,
                                 "%s:%d: image %s boots layer %s on kernel %s (%s), which lacks the layer's fragment "
                                 "%s: add it to %s's kconfig, or boot another kernel",
                                 img->path, line, img->name, layer->name, k->name, firmware_name((enum firmware)fw),
                                 missing, k->path);
        }
    }
    return 0;
}

/* Images name kernels of the release, and each kernel has what its layers need. */
static int check_kernels(const struct graph *g, struct diag *d)
{
    struct diag ignored = {0};
    const struct recipe *rel = graph_release(g, &ignored);
    for (size_t i = 0; rel && i < g->n; i++) {
        const struct recipe *r = &g->r[i];
        if (r->kind == KIND_LAYER && r->modules.n && strv_contains(&rel->layers, r->name) &&
            check_module_layer(g, r, d) < 0)
            return -1;
        if (r->kind != KIND_IMAGE)
            continue;
        const enum recipe_key keys[] = {KEY_KERNEL, KEY_KERNEL_EFI};
        const char *names[] = {r->kernel, r->kernel_efi};
        for (size_t k = 0; k < 2; k++)
            if (names[k] && !strv_contains(&rel->kernels, names[k]))
                return diag_fail(d, EXIT_INPUT, "%s:%d: %s: kernel \"%s\" is not among the release's kernels (%s)",
                                 r->path, r->key_line[keys[k]], recipe_key_name(keys[k]), names[k], rel->path);
        if (check_image_fragments(g, r, d) < 0)
            return -1;
    }
    return 0;
}
