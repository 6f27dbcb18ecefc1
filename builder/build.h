/* build.h — `tinynetboot build`: packages, kernel and layers of the release,
 * each cached under CACHE/build/<name>-<key> where key is the sha256 of all of
 * its inputs, then assembled into OUTPUT/release. */
#ifndef TNB_BUILD_H
#define TNB_BUILD_H

#include "graph.h"

/* Everything a build needs to know, built once from the command line. */
struct build_ctx {
    const char *top;            /* the tree: recipes/, overlays/, kernel-configs/ */
    const char *recipes_dir;
    const char *output_dir;
    const char *cache_dir;
    int jobs;
    long long source_date_epoch;
    struct graph graph;
};

/* One recipe's result within a build. */
struct built {
    const struct recipe *r;
    char key[65];
    char *outdir;               /* packages and kernel: the cache entry */
    struct buf artifact;        /* layers: the .cpio.xz bytes */
    struct strv modules;        /* layers: the module files they carry */
};

int build_run(struct build_ctx *ctx, const struct strv *targets, struct diag *d);

#endif
