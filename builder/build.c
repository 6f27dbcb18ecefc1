/* build.c — see build.h.
 *
 * Order: graph_order() puts packages before the kernels and layers that use
 * them. Fragments and sources are all checked before anything is built, so
 * bad input and stale pins show in the first second, not after a kernel. */
#define _GNU_SOURCE
#include "build.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "kernel.h"
#include "layer.h"
#include "modules.h"
#include "progress.h"
#include "release.h"

struct built *build_get(const struct build_state *s, const char *name)
{
    const struct recipe *r = graph_find(&s->ctx->graph, name);
    return r ? &s->by_recipe[r - s->ctx->graph.r] : NULL;
}

/* ---- layers -------------------------------------------------------------- */

static int package_trees(const struct build_state *s, const struct recipe *layer, struct strv *dirs, struct diag *d)
{
    for (size_t i = 0; i < layer->packages.n; i++) {
        const struct built *pkg = build_get(s, layer->packages.v[i]);
        const char *subtree = layer->package_trees.v[i];
        char *dir = xasprintf("%s/%s", pkg->outdir, subtree);
        strv_push_owned(dirs, dir);
        /* a package may install nothing into target (headers only); a tree asked for by name must exist */
        if (strcmp(subtree, "target") != 0 && !is_dir(dir))
            return diag_fail(d, EXIT_BUILD, "%s:%d: package %s installed no \"%s\" tree ($OUT/%s)", layer->path,
                             layer->key_line[KEY_PACKAGES], pkg->r->name, subtree, subtree);
    }
    return 0;
}

/* The modules of a layer as built by one kernel, packed on their own. */
static int pack_modules(const struct build_state *s, const struct recipe *layer, const struct built *k,
                        struct modules_archive *out, struct diag *d)
{
    struct cpio_tree tree = {0};
    char *mods = xasprintf("%s/modules/lib/modules", k->outdir);
    out->kernel = k->r;
    int rc = modules_add(layer, mods, &tree, &out->modules, d);
    if (rc == 0)
        rc = layer_pack(&tree, s->ctx->source_date_epoch, &out->artifact, d);
    free(mods);
    cpio_tree_free(&tree);
    return rc;
}

/* A layer's budget holds for what one client fetches: the layer and its kernel's modules. */
static int check_modules_budget(const struct built *b, const struct modules_archive *m, struct diag *d)
{
    long long total = (long long)(b->artifact.len + m->artifact.len);
    if (!b->r->budget || total <= b->r->budget)
        return 0;
    return diag_fail(d, EXIT_BUILD, "%s:%d: layer %s with %s's modules is %lld bytes (xz: %zu + %zu), over its "
                     "budget of %lld by %lld", b->r->path, b->r->key_line[KEY_BUDGET], b->r->name, m->kernel->name,
                     total, b->artifact.len, m->artifact.len, b->r->budget, total - b->r->budget);
}

/* A layer with modules: an archive per kernel that can boot it. */
static int build_modules(const struct build_state *s, struct built *b, struct diag *d)
{
    struct strv kernels = {0};
    graph_module_kernels(&s->ctx->graph, b->r, &kernels);
    int rc = kernels.n ? 0 : diag_fail(d, EXIT_INPUT, "%s:%d: no kernel of the release can build layer %s's modules",
                                       b->r->path, b->r->key_line[KEY_MODULES], b->r->name);
    b->mods = xcalloc(kernels.n + 1, sizeof *b->mods);
    for (size_t i = 0; rc == 0 && i < kernels.n; i++) {
        const struct built *k = build_get(s, kernels.v[i]);
        if (!k->done) {
            rc = diag_fail(d, EXIT_INPUT, "%s: layer %s needs kernel %s built first", b->r->path, b->r->name,
                           k->r->name);
            break;
        }
        struct modules_archive *m = &b->mods[b->n_mods++];
        rc = pack_modules(s, b->r, k, m, d);
        if (rc == 0)
            rc = check_modules_budget(b, m, d);
    }
    strv_free(&kernels);
    return rc;
}

static void built_free(struct built *b)
{
    free(b->outdir);
    buf_free(&b->artifact);
    for (size_t i = 0; i < b->n_mods; i++) {
        buf_free(&b->mods[i].artifact);
        strv_free(&b->mods[i].modules);
    }
    free(b->mods);
}

static int build_layer(const struct build_state *s, struct built *b, struct progress *p, struct diag *d)
{
    progress_start(p, b->r->name, "packing...");
    struct strv dirs = {0};
    struct cpio_tree tree = {0};
    int rc = package_trees(s, b->r, &dirs, d);
    if (rc == 0)
        rc = layer_collect(s->ctx->top, b->r, &dirs, &tree, d);
    if (rc == 0)
        rc = layer_pack(&tree, s->ctx->source_date_epoch, &b->artifact, d);
    cpio_tree_free(&tree);
    strv_free(&dirs);
    if (rc == 0 && b->r->budget && (long long)b->artifact.len > b->r->budget)
        rc = diag_fail(d, EXIT_BUILD, "%s:%d: layer %s is %zu bytes (xz), over its budget of %lld by %lld",
                       b->r->path, b->r->key_line[KEY_BUDGET], b->r->name, b->artifact.len, b->r->budget,
                       (long long)b->artifact.len - b->r->budget);
    if (rc == 0 && b->r->modules.n)
        rc = build_modules(s, b, d);
    if (rc == 0)
        progress_done(p, b->r->name, "packed in");
    return rc;
}

/* ---- the whole build ------------------------------------------------------- */

/* Targets: the release by default. An image names the recipes it needs. */
static int wanted_targets(struct build_state *s, const struct strv *targets, struct strv *wanted, struct diag *d)
{
    const struct graph *g = &s->ctx->graph;
    if (targets->n == 0) {
        s->release = graph_release(g, d);
        if (!s->release)
            return -1;
        strv_push(wanted, s->release->name);
        return 0;
    }
    for (size_t i = 0; i < targets->n; i++) {
        const struct recipe *r = graph_find(g, targets->v[i]);
        if (!r)
            return diag_fail(d, EXIT_INPUT, "build: no recipe named \"%s\"", targets->v[i]);
        if (r->kind == KIND_IMAGE)
            return diag_fail(d, EXIT_INPUT, "build: \"%s\" is an image (a menu entry): build the release, then "
                             "`tinynetboot menu` offers it", r->name);
        if (r->kind == KIND_RELEASE)
            s->release = r;
        strv_push(wanted, r->name);
    }
    return 0;
}

/* Bad input before any work: fragments of every kernel, then every source. */
static int check_inputs(struct build_state *s, const struct strv *order, struct diag *d)
{
    const struct build_ctx *ctx = s->ctx;
    for (size_t i = 0; i < order->n; i++) {
        const struct recipe *r = graph_find(&ctx->graph, order->v[i]);
        if (r->kind == KIND_KERNEL && kernel_fragments_check(ctx->top, &ctx->graph, r, d) < 0)
            return -1;
    }
    char *log = cache_log_path(ctx, "sources");   /* apt's downloads, appended */
    struct sources_opts so = {ctx->cache_dir, log, ctx->frozen};
    int rc = sources_resolve(&ctx->graph, order, &so, &s->sources, d);
    free(log);
    return rc;
}

static int build_one(struct build_state *s, struct built *b, struct progress *p, struct diag *d)
{
    int rc;
    switch (b->r->kind) {
    case KIND_PACKAGE:
    case KIND_KERNEL: rc = cache_build(s, b, p, d); break;
    case KIND_LAYER: rc = build_layer(s, b, p, d); break;
    case KIND_RELEASE: rc = release_write(s, d); break;
    case KIND_IMAGE:
    case KIND_COUNT:
    default: rc = diag_fail(d, EXIT_INPUT, "%s: nothing to build for a %s", b->r->path, recipe_kind_name(b->r->kind));
    }
    b->done = rc == 0;
    return rc;
}

static void say_unpinned(const struct sources *src)
{
    size_t n = sources_unpinned(src);
    if (n)
        fprintf(stderr, "tinynetboot: built with %zu source%s NOT PINNED (listed in SOURCES); "
                "run 'make repin' to record them\n", n, n == 1 ? "" : "s");
}

int build_run(struct build_ctx *ctx, const struct strv *targets, struct diag *d)
{
    struct build_state s = {ctx, NULL, xcalloc(ctx->graph.n + 1, sizeof(struct built)), {0}};
    for (size_t i = 0; i < ctx->graph.n; i++)
        s.by_recipe[i].r = &ctx->graph.r[i];
    struct strv wanted = {0}, order = {0};
    char *logs = xasprintf("%s/logs", ctx->output_dir);
    int rc = wanted_targets(&s, targets, &wanted, d);
    if (rc == 0)
        rc = graph_order(&ctx->graph, &wanted, &order, d);
    if (rc == 0)
        rc = mkdir_p(logs, d);
    if (rc == 0)
        rc = check_inputs(&s, &order, d);
    for (size_t i = 0; rc == 0 && i < order.n; i++) {
        struct progress p = {i + 1, order.n, {0, 0}};
        rc = build_one(&s, build_get(&s, order.v[i]), &p, d);
    }
    if (rc == 0)
        say_unpinned(&s.sources);
    for (size_t i = 0; i < ctx->graph.n; i++)
        built_free(&s.by_recipe[i]);
    free(s.by_recipe);
    sources_free(&s.sources);
    free(logs);
    strv_free(&wanted);
    strv_free(&order);
    return rc;
}
