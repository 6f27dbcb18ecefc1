/* sources.h — which source file each recipe builds from, decided before any work.
 *
 * Every recipe that pins a Debian source is checked first, all together: is the
 * pinned file in the cache, and which versions does the archive offer now
 * (apt metadata only)? Then:
 *   pinned file cached or offered  -> used, verified against the pin ("pinned")
 *   pin stale (version not offered), default build -> what the archive offers
 *       now is used, said once per source, and recorded as NOT PINNED
 *   pin stale, --frozen -> the build stops before anything is built, naming
 *       every stale pin at once
 * A pinned version whose file no longer matches its sha256 always stops the
 * build. The result is the release's provenance (OUTPUT/release/SOURCES). */
#ifndef TNB_SOURCES_H
#define TNB_SOURCES_H

#include "graph.h"

/* The source one recipe pins, as it is used in this build. */
struct source_use {
    const struct recipe *owner;
    char *version, *file, *sha256;
    char *path;                /* the verified file in the cache */
    int pinned;                /* 1: the recipe's own pin */
};

struct sources {
    struct source_use *v;
    size_t n;
};

struct sources_opts {
    const char *cache_dir;
    const char *log_path;      /* apt's output */
    int frozen;                /* only pinned files are accepted */
};

/* Resolve (and download when needed) the source of every recipe in `names`. */
int sources_resolve(const struct graph *g, const struct strv *names, const struct sources_opts *o,
                    struct sources *out, struct diag *d);
/* The source recipe r builds from (its own or its owner's); NULL for local sources. */
const struct source_use *sources_for(const struct sources *s, const struct graph *g, const struct recipe *r);
/* Pins that are stale: recipes whose pinned version the archive no longer offers
 * (for `tinynetboot pin` with no names). Appends recipe names. */
int sources_stale(const struct graph *g, const char *log_path, struct strv *stale, struct diag *d);
/* OUTPUT/release/SOURCES: one line per source used. */
void sources_render(const struct sources *s, struct buf *out);
size_t sources_unpinned(const struct sources *s);
void sources_free(struct sources *s);

#endif
