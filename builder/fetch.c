/* fetch.c — see fetch.h. */
#define _GNU_SOURCE
#include "fetch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "run.h"
#include "sha256.h"

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int fetch_member_is_dir(const char *member)
{
    size_t len = strlen(member);
    return len > 1 && member[len - 1] == '/';
}

/* The file's name on disk: its base name; a directory member's tar "<last component>.tar". */
static char *file_name(const char *file)
{
    if (!fetch_member_is_dir(file))
        return xstrdup(base_name(file));
    char *dir = xstrndup(file, strlen(file) - 1);
    char *name = xasprintf("%s.tar", base_name(dir));
    free(dir);
    return name;
}

char *fetch_cached_path(const char *cache_dir, const char *sha, const char *file)
{
    char *name = file_name(file);
    char *p = xasprintf("%s/sources/%s/%s", cache_dir, sha, name);
    free(name);
    return p;
}

/* The first file in dir whose name ends with `suffix` and (if given) starts with `prefix`. */
static char *find_file(const char *dir, const char *prefix, const char *suffix, const char *not_suffix)
{
    struct strv names = {0};
    struct diag ignored = {0};
    char *r = NULL;
    size_t sl = strlen(suffix);
    if (list_dir_sorted(dir, &names, &ignored) < 0)
        strv_free(&names);  /* no directory: no file */
    for (size_t i = 0; !r && i < names.n; i++) {
        const char *name = names.v[i];
        size_t l = strlen(name);
        if (l < sl || strcmp(name + l - sl, suffix) != 0)
            continue;
        if (prefix && strncmp(name, prefix, strlen(prefix)) != 0)
            continue;
        if (not_suffix && l >= strlen(not_suffix) && strcmp(name + l - strlen(not_suffix), not_suffix) == 0)
            continue;
        r = xstrdup(name);
    }
    strv_free(&names);
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

/* "pkg" or "pkg=version": apt's way of asking for one version. */
static char *apt_spec(const struct recipe *r, const char *version)
{
    return version ? xasprintf("%s=%s", r->source_package, version) : xstrdup(r->source_package);
}

static int download_src(const struct recipe *r, const char *version, struct offered *o, const char *log_path,
                        struct diag *d)
{
    char *spec = apt_spec(r, version);
    const char *argv[] = {"apt-get", "source", "--download-only", "-q", spec, NULL};
    struct run_opts ro = {argv, NULL, o->tmpdir, log_path, "apt-get source"};
    int rc = run_logged(&ro, d);
    free(spec);
    if (rc < 0)
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

/* A file member is streamed out of the .deb's data tarball. */
static int stream_deb_file(const char *debpath, const char *file, const struct offered *o, const char *log_path,
                           struct diag *d)
{
    char *member = xasprintf("./%s", file);
    const char *script = "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\" > \"$3\"";
    const char *argv[] = {"sh", "-c", script, "sh", debpath, member, o->path, NULL};
    struct run_opts ro = {argv, NULL, o->tmpdir, log_path, "extracting from the .deb"};
    int rc = run_logged(&ro, d);
    free(member);
    return rc;
}

/* A directory member "a/b/dir/" is extracted, then packed as a tar whose one top
 * directory is "dir": names sorted, mtime 0, owner and group 0 (numeric, no names),
 * modes u=rwX,go=rX, GNU format. Nothing of the host (umask, clock, locale, user)
 * or of the environment (SOURCE_DATE_EPOCH) reaches it, so its sha256 can be pinned. */
static int pack_deb_dir(const char *debpath, const char *file, const struct offered *o, const char *log_path,
                        struct diag *d)
{
    char *dir = xstrndup(file, strlen(file) - 1);     /* "lib/firmware/rtl_nic" */
    char *slash = strrchr(dir, '/');
    char *parent = slash ? xstrndup(dir, (size_t)(slash - dir)) : xstrdup(".");
    const char *top = slash ? slash + 1 : dir;
    const char *script =
        "set -e; export LC_ALL=C; mkdir deb-data; "
        "dpkg-deb --fsys-tarfile \"$1\" > deb-data.tar; "
        "tar -xf deb-data.tar -C deb-data --no-same-owner \"./$2\"; "
        "test -d \"deb-data/$3/$4\" || { echo \"./$2 is not a directory in the .deb\" >&2; exit 1; }; "
        "cd \"deb-data/$3\"; "
        "tar --create --file=\"$5\" --format=gnu --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner "
        "--mode=u=rwX,go=rX -- \"$4\"";
    const char *argv[] = {"sh", "-c", script, "sh", debpath, dir, parent, top, o->path, NULL};
    struct run_opts ro = {argv, NULL, o->tmpdir, log_path, "packing a directory of the .deb"};
    int rc = run_logged(&ro, d);
    free(dir);
    free(parent);
    return rc;
}

static int download_deb(const struct recipe *r, const char *version, struct offered *o, const char *log_path,
                        struct diag *d)
{
    char *spec = apt_spec(r, version);
    const char *argv[] = {"apt-get", "download", "-q", spec, NULL};
    struct run_opts ro = {argv, NULL, o->tmpdir, log_path, "apt-get download"};
    int rc0 = run_logged(&ro, d);
    free(spec);
    if (rc0 < 0)
        return -1;
    char *prefix = xasprintf("%s_", r->source_package);
    char *deb = find_file(o->tmpdir, prefix, ".deb", NULL);
    free(prefix);
    if (!deb)
        return diag_fail(d, EXIT_BUILD, "apt-get download %s left no .deb", r->source_package);
    o->version = version_from_name(deb);
    o->file = xstrdup(r->source_file);
    char *name = file_name(r->source_file);
    o->path = xasprintf("%s/%s", o->tmpdir, name);
    free(name);
    char *debpath = xasprintf("%s/%s", o->tmpdir, deb);
    int rc = fetch_member_is_dir(r->source_file) ? pack_deb_dir(debpath, r->source_file, o, log_path, d)
                                                 : stream_deb_file(debpath, r->source_file, o, log_path, d);
    free(debpath);
    free(deb);
    return rc;
}

int fetch_download(const struct recipe *r, const char *version, const char *cache_dir, const char *log_path,
                   struct offered *o, struct diag *d)
{
    memset(o, 0, sizeof *o);
    o->tmpdir = xasprintf("%s/tmp/fetch-%s-%ld", cache_dir, r->name, (long)getpid());
    if (rm_rf(o->tmpdir, d) < 0 || mkdir_p(o->tmpdir, d) < 0)
        return -1;
    int rc = r->source_type == SOURCE_DEBIAN_DEB ? download_deb(r, version, o, log_path, d)
                                                 : download_src(r, version, o, log_path, d);
    if (rc < 0)
        return -1;
    char hex[SHA256_HEX_LEN + 1];
    if (sha256_file(o->path, hex, d) < 0)
        return -1;
    o->sha256 = xstrdup(hex);
    return 0;
}

int fetch_store(struct offered *o, const char *cache_dir, struct diag *d)
{
    char *dest = fetch_cached_path(cache_dir, o->sha256, o->file);
    char *dir = dir_name(dest);
    int rc = mkdir_p(dir, d);
    if (rc == 0 && rename(o->path, dest) < 0)
        rc = diag_fail(d, EXIT_BUILD, "rename %s -> %s: %s", o->path, dest, strerror(errno));
    free(dir);
    if (rc == 0) {
        free(o->path);
        o->path = dest;
    } else {
        free(dest);
    }
    return rc;
}

/* One `apt-cache madison` line: " pkg | version | URL suite/component [arch] Packages|Sources". */
static void madison_line(const char *line, int want_sources, struct strv *versions)
{
    const char *bar1 = strchr(line, '|');
    const char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
    if (!bar2)
        return;
    const char *end = line + strlen(line);
    while (end > bar2 && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *kind = want_sources ? "Sources" : "Packages";
    size_t kl = strlen(kind);
    if ((size_t)(end - bar2) < kl || strncmp(end - kl, kind, kl) != 0)
        return;
    const char *v = bar1 + 1;
    while (*v == ' ')
        v++;
    size_t len = (size_t)(bar2 - v);
    while (len && v[len - 1] == ' ')
        len--;
    char *ver = xmalloc(len + 1);
    memcpy(ver, v, len);
    ver[len] = 0;
    if (len && !strv_contains(versions, ver))
        strv_push(versions, ver);
    free(ver);
}

int fetch_offered_versions(const struct recipe *r, const char *log_path, struct strv *versions, struct diag *d)
{
    const char *argv[] = {"apt-cache", "madison", r->source_package, NULL};
    struct run_opts ro = {argv, NULL, NULL, log_path, "apt-cache madison"};
    struct buf out = {0};
    int rc = run_capture(&ro, &out, d);
    for (char *line = (char *)out.data; rc == 0 && line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        madison_line(line, r->source_type == SOURCE_DEBIAN_SRC, versions);
        line = nl ? nl + 1 : NULL;
    }
    buf_free(&out);
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
