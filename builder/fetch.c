/* fetch.c — see fetch.h. */
#define _GNU_SOURCE
#include "fetch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "sha256.h"

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static char *cached_path(const char *cache_dir, const char *sha, const char *file)
{
    return xasprintf("%s/sources/%s/%s", cache_dir, sha, base_name(file));
}

/* The first file in dir whose name ends with `suffix` and (if given) starts with `prefix`. */
static char *find_file(const char *dir, const char *prefix, const char *suffix, const char *not_suffix)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return NULL;
    struct strv hits = {0};
    struct dirent *e;
    size_t sl = strlen(suffix);
    while ((e = readdir(dh))) {
        size_t l = strlen(e->d_name);
        if (l < sl || strcmp(e->d_name + l - sl, suffix) != 0)
            continue;
        if (prefix && strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        if (not_suffix && l >= strlen(not_suffix) && strcmp(e->d_name + l - strlen(not_suffix), not_suffix) == 0)
            continue;
        strv_push(&hits, e->d_name);
    }
    closedir(dh);
    strv_sort(&hits);
    char *r = hits.n ? xstrdup(hits.v[0]) : NULL;
    strv_free(&hits);
    return r;
}

/* "pkg_1.2-3.dsc" or "pkg_1.2-3_all.deb" -> "1.2-3" (':' for an URL-encoded epoch). */
static char *version_from_name(const char *name)
{
    const char *us = strchr(name, '_');
    if (!us)
        return xstrdup("?");
    us++;
    size_t len = strcspn(us, "_");
    if (!us[len]) {                       /* .dsc: strip the extension */
        const char *dot = strrchr(us, '.');
        len = dot ? (size_t)(dot - us) : len;
    }
    char *v = xmalloc(len + 1);
    memcpy(v, us, len);
    v[len] = 0;
    char *enc = strstr(v, "%3a");
    if (enc) {
        *enc = ':';
        memmove(enc + 1, enc + 3, strlen(enc + 3) + 1);
    }
    return v;
}

static int download_src(const struct recipe *r, struct offered *o, const char *log_path, struct diag *d)
{
    const char *argv[] = {"apt-get", "source", "--download-only", "-q", r->source_package, NULL};
    struct run_opts ro = {argv, NULL, o->tmpdir, log_path, "apt-get source"};
    if (run_logged(&ro, d) < 0)
        return -1;
    char *prefix = xasprintf("%s_", r->source_package);
    char *dsc = find_file(o->tmpdir, prefix, ".dsc", NULL);
    free(prefix);
    o->version = dsc ? version_from_name(dsc) : xstrdup("?");
    free(dsc);
    /* the pinned name if it is there, else whatever orig tarball is offered */
    char *pinned = xasprintf("%s/%s", o->tmpdir, r->source_file);
    if (path_exists(pinned))
        o->file = xstrdup(r->source_file);
    free(pinned);
    if (!o->file) {
        char *pfx = xasprintf("%s_", r->source_package);
        DIR *dh = opendir(o->tmpdir);
        struct dirent *e;
        while (dh && (e = readdir(dh)))
            if (strstr(e->d_name, ".orig.tar.") && !strstr(e->d_name, ".asc") &&
                strncmp(e->d_name, pfx, strlen(pfx)) == 0 && !o->file)
                o->file = xstrdup(e->d_name);
        if (dh)
            closedir(dh);
        free(pfx);
    }
    if (!o->file)
        return diag_fail(d, EXIT_BUILD, "%s:%d: Debian offers %s %s without an upstream orig tarball",
                         r->path, r->key_line[KEY_SOURCE], r->source_package, o->version);
    o->path = xasprintf("%s/%s", o->tmpdir, o->file);
    return 0;
}

static int download_deb(const struct recipe *r, struct offered *o, const char *log_path, struct diag *d)
{
    const char *argv[] = {"apt-get", "download", "-q", r->source_package, NULL};
    struct run_opts ro = {argv, NULL, o->tmpdir, log_path, "apt-get download"};
    if (run_logged(&ro, d) < 0)
        return -1;
    char *prefix = xasprintf("%s_", r->source_package);
    char *deb = find_file(o->tmpdir, prefix, ".deb", NULL);
    free(prefix);
    if (!deb)
        return diag_fail(d, EXIT_BUILD, "apt-get download %s left no .deb", r->source_package);
    o->version = version_from_name(deb);
    o->file = xstrdup(r->source_file);
    o->path = xasprintf("%s/%s", o->tmpdir, base_name(r->source_file));
    char *debpath = xasprintf("%s/%s", o->tmpdir, deb);
    char *member = xasprintf("./%s", r->source_file);
    /* the member is streamed out of the .deb's data tarball */
    const char *script = "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\" > \"$3\"";
    const char *argv2[] = {"sh", "-c", script, "sh", debpath, member, o->path, NULL};
    struct run_opts ro2 = {argv2, NULL, o->tmpdir, log_path, "extracting from the .deb"};
    int rc = run_logged(&ro2, d);
    free(debpath);
    free(member);
    free(deb);
    return rc;
}

int fetch_offered(const struct recipe *r, const char *cache_dir, const char *log_path,
                  struct offered *o, struct diag *d)
{
    memset(o, 0, sizeof *o);
    o->tmpdir = xasprintf("%s/tmp/fetch-%s-%ld", cache_dir, r->name, (long)getpid());
    if (rm_rf(o->tmpdir, d) < 0 || mkdir_p(o->tmpdir, d) < 0)
        return -1;
    int rc = r->source_type == SOURCE_DEBIAN_DEB ? download_deb(r, o, log_path, d)
                                                 : download_src(r, o, log_path, d);
    if (rc < 0)
        return -1;
    char hex[SHA256_HEX_LEN + 1];
    if (sha256_file(o->path, hex, d) < 0)
        return -1;
    o->sha256 = xstrdup(hex);
    return 0;
}

int fetch_store(const struct offered *o, const char *cache_dir, struct diag *d)
{
    char *dest = cached_path(cache_dir, o->sha256, o->file);
    char *dir = dir_name(dest);
    int rc = mkdir_p(dir, d);
    if (rc == 0 && rename(o->path, dest) < 0)
        rc = diag_fail(d, EXIT_BUILD, "rename %s -> %s: %s", o->path, dest, strerror(errno));
    free(dir);
    free(dest);
    return rc;
}

void offered_free(struct offered *o)
{
    struct diag ignored = {0};
    if (o->tmpdir)
        rm_rf(o->tmpdir, &ignored);
    free(o->version);
    free(o->file);
    free(o->sha256);
    free(o->path);
    free(o->tmpdir);
    memset(o, 0, sizeof *o);
}

static int stale_pin(const struct recipe *r, const struct offered *o, struct diag *d)
{
    if (strcmp(o->version, r->version) == 0 && strcmp(o->file, r->source_file) == 0)
        return diag_fail(d, EXIT_BUILD,
                         "%s:%d: sha256 mismatch for %s %s: expected %s, got %s (the download is "
                         "corrupt or the archive changed the file; nothing was unpacked)",
                         r->path, r->key_line[KEY_SHA256], r->source_file, o->version, r->sha256, o->sha256);
    return diag_fail(d, EXIT_BUILD,
                     "%s:%d: the pin is stale: the recipe pins %s %s (%s, sha256 %.12s...), but Debian's "
                     "archive now offers %s (%s, sha256 %.12s...) and the cache does not hold the pinned "
                     "file.\n  Re-pin to the offered version with one command:  make repin RECIPE=%s"
                     "  (runs: tinynetboot pin %s)",
                     r->path, r->key_line[KEY_VERSION], r->source_package, r->version, r->source_file,
                     r->sha256, o->version, o->file, o->sha256, r->name, r->name);
}

int fetch_source(const struct recipe *r, const char *cache_dir, const char *log_path, char **path,
                 struct diag *d)
{
    *path = cached_path(cache_dir, r->sha256, r->source_file);
    char hex[SHA256_HEX_LEN + 1];
    if (path_exists(*path)) {
        if (sha256_file(*path, hex, d) < 0)
            return -1;
        if (strcmp(hex, r->sha256) == 0)
            return 0;
        unlink(*path);   /* a corrupted cache entry: fetch it again */
    }
    struct offered o;
    int rc = fetch_offered(r, cache_dir, log_path, &o, d);
    if (rc == 0 && strcmp(o.sha256, r->sha256) != 0)
        rc = stale_pin(r, &o, d);
    if (rc == 0)
        rc = fetch_store(&o, cache_dir, d);
    offered_free(&o);
    return rc;
}
