/* cache.c — see cache.h. */
#define _GNU_SOURCE
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "script.h"
#include "sha256.h"

/* Bump when the way outputs are produced changes, so old cache entries are not reused. */
#define CACHE_FORMAT "tinynetboot-cache-2"

/* Hash every file below dir (names sorted, relative paths, exec bit, contents). */
static int hash_tree(struct sha256 *h, const char *dir, const char *rel, struct diag *d)
{
    struct strv names = {0};
    int rc = list_dir_sorted(dir, &names, d);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        char *path = xasprintf("%s/%s", dir, names.v[i]);
        char *relpath = xasprintf("%s%s%s", rel, *rel ? "/" : "", names.v[i]);
        struct stat st;
        if (lstat(path, &st) < 0)
            rc = diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = hash_tree(h, path, relpath, d);
        else {
            sha256_add_str(h, relpath);
            sha256_add_str(h, (st.st_mode & 0111) ? "x" : "-");
            if (S_ISLNK(st.st_mode)) {
                char target[4096];
                ssize_t n = readlink(path, target, sizeof target - 1);
                target[n < 0 ? 0 : n] = 0;
                sha256_add_str(h, target);
                /* a script shared with another recipe (linux-floppy/build -> ../linux-pc/build):
                 * what it points to is an input too */
                struct stat to;
                if (stat(path, &to) == 0 && S_ISREG(to.st_mode))
                    rc = sha256_add_file(h, path, d);
            } else {
                rc = sha256_add_file(h, path, d);
            }
        }
        free(path);
        free(relpath);
    }
    strv_free(&names);
    return rc;
}

static int hash_fragments(const struct build_state *s, const struct recipe *kernel, struct sha256 *h,
                          struct diag *d)
{
    struct strv frags = {0};
    graph_kernel_fragments(&s->ctx->graph, kernel, &frags);
    int rc = 0;
    for (size_t i = 0; i < frags.n && rc == 0; i++) {
        char *p = xasprintf("%s/%s", s->ctx->top, frags.v[i]);
        sha256_add_str(h, frags.v[i]);
        rc = sha256_add_file(h, p, d);
        free(p);
    }
    strv_free(&frags);
    return rc;
}

/* recipes/lib: the helpers package build scripts source (recipes/lib/build.sh); an input of
 * every package, none of a kernel (the kernel scripts do not source it). */
static int hash_build_lib(const struct build_state *s, const struct recipe *r, struct sha256 *h, struct diag *d)
{
    if (r->kind != KIND_PACKAGE)
        return 0;
    char *lib = xasprintf("%s/lib", s->ctx->recipes_dir);
    int rc = is_dir(lib) ? hash_tree(h, lib, "../lib", d) : 0;
    free(lib);
    return rc;
}

static int compute_key(const struct build_state *s, struct built *b, struct diag *d)
{
    struct sha256 h;
    sha256_begin(&h);
    sha256_add_str(&h, CACHE_FORMAT);
    char epoch[32];
    snprintf(epoch, sizeof epoch, "%lld", s->ctx->source_date_epoch);
    sha256_add_str(&h, epoch);
    sha256_add_str(&h, script_target_arch(s, b->r));
    /* the file actually used: a stale pin built from what the archive offers is another build */
    const struct source_use *src = sources_for(&s->sources, &s->ctx->graph, b->r);
    sha256_add_str(&h, src ? src->sha256 : "-");
    int rc = hash_tree(&h, b->r->dir, "", d);
    if (rc == 0)
        rc = hash_build_lib(s, b->r, &h, d);
    for (size_t i = 0; rc == 0 && i < b->r->depends.n; i++) {
        const struct built *dep = build_get(s, b->r->depends.v[i]);
        sha256_add_str(&h, dep->r->name);
        sha256_add_str(&h, dep->key);
    }
    if (rc == 0 && b->r->kind == KIND_KERNEL)
        rc = hash_fragments(s, b->r, &h, d);
    sha256_end(&h, b->key);
    return rc;
}

/* Two builders (two checkouts, two terminals) may want the same cache entry:
 * the second waits for the first instead of both writing into it. */
static int lock_entry(const struct build_ctx *ctx, const struct built *b, const struct progress *p, struct diag *d)
{
    char *dir = xasprintf("%s/build", ctx->cache_dir);
    char *path = xasprintf("%s.lock", b->outdir);
    int fd = mkdir_p(dir, d) < 0 ? -1 : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && d->status == 0)
        diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        char *msg = xasprintf("waiting for another build of it (%s)", path);
        progress_note(p, b->r->name, msg);
        free(msg);
        flock(fd, LOCK_EX);
    }
    free(dir);
    free(path);
    return fd;
}

char *cache_log_path(const struct build_ctx *ctx, const char *name)
{
    return xasprintf("%s/logs/%s.log", ctx->output_dir, name);
}

static int build_entry(const struct build_state *s, struct built *b, struct progress *p, struct diag *d)
{
    char *log = cache_log_path(s->ctx, b->r->name);
    unlink(log);
    progress_start(p, b->r->name, "building...");
    struct diag ignored = {0};
    int rc = rm_rf(b->outdir, d);
    if (rc == 0)
        rc = script_build(s, b, log, d);
    if (rc == 0) {
        char *done = xasprintf("%s/.complete", b->outdir);
        rc = write_file_atomic(done, b->key, strlen(b->key), 0644, d);
        free(done);
    }
    if (rc == 0) {
        progress_done(p, b->r->name, "built in");
    } else {
        fprintf(stderr, "[%zu/%zu] %-14s FAILED after %.0fs (log: %s)\n", p->index, p->total, b->r->name,
                progress_seconds(p), log);
        rm_rf(b->outdir, &ignored);
    }
    free(log);
    return rc;
}

int cache_build(const struct build_state *s, struct built *b, struct progress *p, struct diag *d)
{
    if (compute_key(s, b, d) < 0)
        return -1;
    b->outdir = xasprintf("%s/build/%s-%.16s", s->ctx->cache_dir, b->r->name, b->key);
    int lock = lock_entry(s->ctx, b, p, d);
    if (lock < 0)
        return -1;
    char *done = xasprintf("%s/.complete", b->outdir);
    int hit = path_exists(done);
    free(done);
    int rc = 0;
    if (hit) {
        char *msg = xasprintf("cached (%.16s)", b->key);
        progress_note(p, b->r->name, msg);
        free(msg);
    } else {
        rc = build_entry(s, b, p, d);
    }
    close(lock);
    return rc;
}
