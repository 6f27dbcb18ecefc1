/* cache.h — the build cache: CACHE/build/<name>-<key>/, one entry per package
 * or kernel and set of inputs.
 *
 * The key is the sha256 of everything that can change the output: the cache
 * format, SOURCE_DATE_EPOCH, the recipe directory, the source file actually
 * used, the dependencies' keys, a kernel's fragments. An entry counts only
 * once `.complete` is in it; a second builder wanting the same entry waits
 * on its lock instead of writing into it. */
#ifndef TNB_CACHE_H
#define TNB_CACHE_H

#include "build.h"
#include "progress.h"

/* Key b, then reuse its cache entry or build it (script.c) into a fresh one. */
int cache_build(const struct build_state *s, struct built *b, struct progress *p, struct diag *d);
/* OUTPUT/logs/NAME.log */
char *cache_log_path(const struct build_ctx *ctx, const char *name);

#endif
