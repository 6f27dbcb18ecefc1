/* build.h — `tinynetboot build`: packages, kernels and layers of the release,
 * each cached under CACHE/build/<name>-<key> where key is the sha256 of all of
 * its inputs, then assembled into OUTPUT/release.
 *
 * The parts: sources.c decides every source before work starts; cache.c keys,
 * locks and reuses cache entries; script.c runs build scripts (and the
 * kernel's configure/check/compile phases); release.c stages and swaps the
 * release directory. This file orders the work and holds the build state. */
#ifndef TNB_BUILD_H
#define TNB_BUILD_H

#include "graph.h"
#include "sources.h"

/* Everything a build needs to know, built once from the command line. */
struct build_ctx {
    const char *top;            /* the tree: recipes/, overlays/, kernel-configs/ */
    const char *recipes_dir;
    const char *output_dir;
    const char *cache_dir;
    int jobs;
    int frozen;                 /* --frozen: only pinned sources */
    long long source_date_epoch;
    struct graph graph;
};

/* A layer's modules as built by one kernel (layout.h names the file). */
struct modules_archive {
    const struct recipe *kernel;
    struct buf artifact;        /* the .cpio.xz bytes */
    struct strv modules;        /* the module files it carries */
};

/* One recipe's result within a build. */
struct built {
    const struct recipe *r;
    int done;                   /* built (or found in the cache) in this run */
    char key[65];
    char *outdir;               /* packages and kernels: the cache entry */
    struct buf artifact;        /* layers: the .cpio.xz bytes */
    struct modules_archive *mods;   /* layers with modules: one per kernel that builds them */
    size_t n_mods;
};

/* One build: the results so far, found by recipe name. */
struct build_state {
    const struct build_ctx *ctx;
    const struct recipe *release;   /* the release recipe, when it is a target */
    struct built *by_recipe;        /* parallel to ctx->graph.r: the name index */
    struct sources sources;
};

/* The result for a recipe name (NULL for an unknown name). */
struct built *build_get(const struct build_state *s, const char *name);

int build_run(struct build_ctx *ctx, const struct strv *targets, struct diag *d);

#endif
