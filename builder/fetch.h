/* fetch.h — what Debian's archive offers, and downloading it through apt.
 *
 * The mechanics only: ask apt (metadata, no download) which versions of a
 * package it offers; download one version (or apt's candidate) with
 * `apt-get source --download-only` or `apt-get download` (authenticated by
 * the archive's signed indices); keep verified files in
 * CACHE/sources/<sha256>/<file>. Which version to take, and what a stale pin
 * means, is sources.c's policy. apt runs with the builder's environment, so
 * APT_CONFIG points every call at another archive (the pin test's own). */
#ifndef TNB_FETCH_H
#define TNB_FETCH_H

#include "recipe.h"

/* A downloaded file, not yet in the cache. */
struct offered {
    char *version;        /* Debian version, e.g. 6.1.192-2 */
    char *file;           /* file name (debian-src) or member (debian-deb; a directory's ends in '/') */
    char *sha256;
    char *path;           /* downloaded file (in a temporary directory) */
    char *tmpdir;         /* remove with offered_free */
};

/* A debian-deb member naming a directory ("lib/firmware/rtl_nic/": it ends in '/'):
 * the fetcher packs that directory of the .deb as a reproducible tar (names sorted,
 * mtime 0, uid/gid 0 numeric, modes u=rwX,go=rX, GNU format) whose one top directory
 * is the member's last component; the pin is that tar's sha256. */
int fetch_member_is_dir(const char *member);
/* CACHE/sources/<sha256>/<base name of file> (a directory member: <last component>.tar). */
char *fetch_cached_path(const char *cache_dir, const char *sha256, const char *file);
/* Versions of the recipe's Debian package the archive offers, apt's preferred first
 * (`apt-cache madison`: Sources records for debian-src, Packages for debian-deb). */
int fetch_offered_versions(const struct recipe *r, const char *log_path, struct strv *versions, struct diag *d);
/* Download `version` (NULL: apt's candidate) of the recipe's package. */
int fetch_download(const struct recipe *r, const char *version, const char *cache_dir, const char *log_path,
                   struct offered *o, struct diag *d);
/* Move a downloaded file into the source cache; o->path then names the cached file. */
int fetch_store(struct offered *o, const char *cache_dir, struct diag *d);
void offered_free(struct offered *o);

#endif
