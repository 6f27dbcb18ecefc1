/* fetch.h — pinned sources from Debian's archive, cached outside the clone.
 *
 * A recipe pins a file (an upstream orig tarball from `apt-get source`, or a
 * tarball inside a binary .deb) by sha256. Verified files live in
 * CACHE/sources/<sha256>/<file>, so a cache that holds the pinned file keeps
 * building even after Debian's archive has moved on. When the archive offers
 * something else, the error names both versions and the one-command re-pin. */
#ifndef TNB_FETCH_H
#define TNB_FETCH_H

#include "recipe.h"

/* What Debian's archive offers now for a recipe's source. */
struct offered {
    char *version;        /* Debian version, e.g. 6.1.192-2 */
    char *file;           /* file name (debian-src) or member (debian-deb) */
    char *sha256;
    char *path;           /* downloaded file (in a temporary directory) */
    char *tmpdir;         /* remove with offered_free */
};

/* Path of the verified pinned source in the cache, downloading it if needed. */
int fetch_source(const struct recipe *r, const char *cache_dir, const char *log_path, char **path,
                 struct diag *d);
/* Download what the archive offers now (for `tinynetboot pin`). */
int fetch_offered(const struct recipe *r, const char *cache_dir, const char *log_path,
                  struct offered *o, struct diag *d);
/* Move an offered file into the source cache (after a re-pin). */
int fetch_store(const struct offered *o, const char *cache_dir, struct diag *d);
void offered_free(struct offered *o);

#endif
