/* build.c — see build.h.
 *
 * Order: graph_order() puts packages before the kernel and layers that use
 * them. Each package or kernel is looked up in the cache by its input key; on
 * a miss its pinned source is fetched and verified, unpacked into
 * OUTPUT/work/<name>, and its build script runs with an emptied environment,
 * installing into the cache entry, which is marked complete only at the end.
 * Layers are cheap and are always re-serialised (deterministically). The
 * release directory only ever receives whole files (write + rename). */
#define _GNU_SOURCE
#include "build.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "kernel.h"
#include "layer.h"
#include "modules.h"
#include "run.h"
#include "sha256.h"
#include "sizes.h"

/* Bump when the way outputs are produced changes, so old cache entries are not reused. */
#define CACHE_FORMAT "tinynetboot-cache-1"

struct progress {
    size_t index, total;
    struct timespec start;
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_start(struct progress *p, const char *name, const char *doing)
{
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    fprintf(stderr, "[%zu/%zu] %-14s %s\n", p->index, p->total, name, doing);
}

static void progress_done(struct progress *p, const char *name, const char *how)
{
    fprintf(stderr, "[%zu/%zu] %-14s %s %.0fs\n", p->index, p->total, name, how, seconds_since(&p->start));
}

/* ---- input keys ---------------------------------------------------------- */

/* Hash every file below dir (names sorted, relative paths, exec bit, contents). */
static int hash_tree(struct sha256 *h, const char *dir, const char *rel, struct diag *d)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return diag_fail(d, EXIT_BUILD, "%s: %s", dir, strerror(errno));
    struct strv names = {0};
    struct dirent *e;
    while ((e = readdir(dh)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            strv_push(&names, e->d_name);
    closedir(dh);
    strv_sort(&names);
    int rc = 0;
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

static struct built *find_built(struct built *b, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(b[i].r->name, name) == 0)
            return &b[i];
    return NULL;
}

static const char *target_arch(const struct build_ctx *ctx)
{
    struct diag ignored = {0};
    const struct recipe *rel = graph_release(&ctx->graph, &ignored);
    const struct recipe *k = rel ? graph_find(&ctx->graph, rel->kernel) : NULL;
    return k && k->arch ? k->arch : "i386";
}

static int compute_key(const struct build_ctx *ctx, struct built *all, size_t n_built, struct built *b,
                       struct diag *d)
{
    struct sha256 h;
    sha256_begin(&h);
    sha256_add_str(&h, CACHE_FORMAT);
    char epoch[32];
    snprintf(epoch, sizeof epoch, "%lld", ctx->source_date_epoch);
    sha256_add_str(&h, epoch);
    sha256_add_str(&h, target_arch(ctx));
    int rc = hash_tree(&h, b->r->dir, "", d);
    for (size_t i = 0; rc == 0 && i < b->r->depends.n; i++) {
        struct built *dep = find_built(all, n_built, b->r->depends.v[i]);
        sha256_add_str(&h, dep->r->name);
        sha256_add_str(&h, dep->key);
    }
    if (rc == 0 && b->r->kind == KIND_KERNEL) {
        struct strv frags = {0};
        graph_kernel_fragments(&ctx->graph, b->r, &frags);
        for (size_t i = 0; i < frags.n && rc == 0; i++) {
            char *p = xasprintf("%s/%s", ctx->top, frags.v[i]);
            sha256_add_str(&h, frags.v[i]);
            rc = sha256_add_file(&h, p, d);
            free(p);
        }
        strv_free(&frags);
    }
    sha256_end(&h, b->key);
    return rc;
}

/* ---- running build scripts ----------------------------------------------- */

static char *env_name(const char *prefix, const char *name)
{
    char *s = xasprintf("%s%s", prefix, name);
    for (char *c = s; *c; c++)
        *c = *c == '-' ? '_' : (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    return s;
}

/* The whole environment of a build script (recipes/README.md lists it). */
static void script_env(const struct build_ctx *ctx, struct built *all, size_t n_built, const struct built *b,
                       const char *src, const char *scratch, const struct strv *extra, struct strv *env)
{
    strv_push(env, "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    strv_push_owned(env, xasprintf("HOME=%s", scratch));
    strv_push_owned(env, xasprintf("TMPDIR=%s", scratch));
    strv_push(env, "LC_ALL=C");
    strv_push(env, "TZ=UTC");
    strv_push_owned(env, xasprintf("SOURCE_DATE_EPOCH=%lld", ctx->source_date_epoch));
    strv_push_owned(env, xasprintf("JOBS=%d", ctx->jobs));
    strv_push_owned(env, xasprintf("SRC=%s", src));
    char *rdir = abs_path(b->r->dir);
    strv_push_owned(env, xasprintf("RECIPE_DIR=%s", rdir));
    free(rdir);
    strv_push_owned(env, xasprintf("OUT=%s", b->outdir));
    strv_push_owned(env, xasprintf("TARGET_ARCH=%s", target_arch(ctx)));
    for (size_t i = 0; i < b->r->depends.n; i++) {
        struct built *dep = find_built(all, n_built, b->r->depends.v[i]);
        char *var = env_name("DEP_", dep->r->name);
        strv_push_owned(env, xasprintf("%s=%s", var, dep->outdir));
        free(var);
    }
    for (size_t i = 0; extra && i < extra->n; i++)
        strv_push(env, extra->v[i]);
    strv_push_owned(env, NULL);   /* execve wants a NULL-terminated array */
}

static int run_script(const struct built *b, const char *phase, const struct strv *env, const char *src,
                      const char *log, struct diag *d)
{
    char *script = abs_path(b->r->dir);
    char *full = xasprintf("%s/%s", script, b->r->build);
    char *what = xasprintf("%s build%s%s", b->r->name, phase ? " " : "", phase ? phase : "");
    const char *argv[] = {"/bin/sh", "-e", full, phase, NULL};
    struct run_opts o = {argv, (const char *const *)env->v, src, log, what};
    int rc = run_logged(&o, d);
    free(script);
    free(full);
    free(what);
    return rc;
}

/* Unpack the verified tarball into work/src; SRC is its single top directory. */
static int unpack(const char *tarball, const char *work, const char *log, char **src, struct diag *d)
{
    char *dest = xasprintf("%s/src", work);
    int rc = mkdir_p(dest, d);
    const char *argv[] = {"tar", "-xf", tarball, "-C", dest, "--no-same-owner", NULL};
    struct run_opts o = {argv, NULL, NULL, log, "unpacking the source"};
    if (rc == 0)
        rc = run_logged(&o, d);
    if (rc < 0) {
        free(dest);
        return -1;
    }
    DIR *dh = opendir(dest);
    struct dirent *e;
    char *only = NULL;
    int count = 0;
    while (dh && (e = readdir(dh)))
        if (e->d_name[0] != '.') {
            count++;
            free(only);
            only = xstrdup(e->d_name);
        }
    if (dh)
        closedir(dh);
    if (count == 1) {
        *src = xasprintf("%s/%s", dest, only);
        free(dest);
    } else {
        *src = dest;
    }
    free(only);
    return 0;
}

/* A local source (our own code beside the recipe) is copied, so builds never write into the tree. */
static int copy_local(const struct recipe *r, const char *work, const char *log, char **src, struct diag *d)
{
    char *from = xasprintf("%s/%s", r->dir, r->source_file);
    *src = xasprintf("%s/src", work);
    int rc = mkdir_p(work, d);
    const char *argv[] = {"cp", "-a", from, *src, NULL};
    struct run_opts o = {argv, NULL, NULL, log, "copying the local source"};
    if (rc == 0)
        rc = is_dir(from) ? run_logged(&o, d) : diag_fail(d, EXIT_INPUT, "%s:%d: local source %s is not a directory",
                                                          r->path, r->key_line[KEY_SOURCE], from);
    free(from);
    return rc;
}

/* Kernel: merged miniconfig -> `build configure` -> check every request -> `build compile`. */
static int kernel_phases(struct build_ctx *ctx, struct built *all, size_t n_built, struct built *b,
                         const char *src, const char *work, const char *log, struct diag *d)
{
    struct strv frags = {0};
    struct kconfig_reqs reqs = {0};
    struct buf mini = {0}, dotconfig = {0};
    graph_kernel_fragments(&ctx->graph, b->r, &frags);
    char *mini_path = xasprintf("%s/miniconfig", b->outdir);
    char *kbuild = xasprintf("%s/obj", work);
    char *dotconfig_path = xasprintf("%s/.config", kbuild);
    struct strv extra = {0}, env = {0};
    strv_push_owned(&extra, xasprintf("KCONFIG_FRAGMENT=%s", mini_path));
    strv_push_owned(&extra, xasprintf("KBUILD_DIR=%s", kbuild));
    script_env(ctx, all, n_built, b, src, work, &extra, &env);

    int rc = kconfig_collect(ctx->top, &frags, &reqs, &mini, d);
    if (rc == 0)
        rc = mkdir_p(kbuild, d);
    if (rc == 0)
        rc = write_file_atomic(mini_path, mini.data, mini.len, 0644, d);
    if (rc == 0)
        rc = run_script(b, "configure", &env, src, log, d);
    if (rc == 0)
        rc = read_file(dotconfig_path, &dotconfig, d);
    if (rc == 0)
        rc = kconfig_verify((char *)dotconfig.data, &reqs, d);
    if (rc == 0)
        rc = run_script(b, "compile", &env, src, log, d);
    strv_free(&frags);
    kconfig_reqs_free(&reqs);
    buf_free(&mini);
    buf_free(&dotconfig);
    free(mini_path);
    free(kbuild);
    free(dotconfig_path);
    strv_free(&extra);
    strv_free(&env);
    return rc;
}

static int build_from_source(struct build_ctx *ctx, struct built *all, size_t n_built, struct built *b,
                             const char *log, struct diag *d)
{
    char *tarball = NULL, *src = NULL;
    /* keyed, so builds of two configurations of one recipe never share a work dir */
    char *work = xasprintf("%s/work/%s-%.16s", ctx->output_dir, b->r->name, b->key);
    int local = b->r->source_type == SOURCE_LOCAL;
    int rc = local ? 0 : fetch_source(b->r, ctx->cache_dir, log, &tarball, d);
    if (rc == 0)
        rc = rm_rf(work, d);
    if (rc == 0)
        rc = local ? copy_local(b->r, work, log, &src, d) : unpack(tarball, work, log, &src, d);
    if (rc == 0)
        rc = rm_rf(b->outdir, d);
    char *target = xasprintf("%s/target", b->outdir), *staging = xasprintf("%s/staging", b->outdir);
    if (rc == 0)
        rc = mkdir_p(target, d) < 0 || mkdir_p(staging, d) < 0 ? -1 : 0;
    if (rc == 0 && b->r->kind == KIND_KERNEL)
        rc = kernel_phases(ctx, all, n_built, b, src, work, log, d);
    else if (rc == 0) {
        struct strv env = {0};
        script_env(ctx, all, n_built, b, src, work, NULL, &env);
        rc = run_script(b, NULL, &env, src, log, d);
        strv_free(&env);
    }
    if (rc == 0) {
        char *done = xasprintf("%s/.complete", b->outdir);
        rc = write_file_atomic(done, b->key, strlen(b->key), 0644, d);
        free(done);
    }
    struct diag ignored = {0};
    rm_rf(work, &ignored);   /* a kernel tree is over a gigabyte */
    free(target);
    free(staging);
    free(tarball);
    free(src);
    free(work);
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
        fprintf(stderr, "[%zu/%zu] %-14s waiting for another build of it (%s)\n", p->index, p->total, b->r->name, path);
        flock(fd, LOCK_EX);
    }
    free(dir);
    free(path);
    return fd;
}

static char *log_path(const struct build_ctx *ctx, const char *name)
{
    return xasprintf("%s/logs/%s.log", ctx->output_dir, name);
}

static int build_cached(struct build_ctx *ctx, struct built *all, size_t n_built, struct built *b,
                        struct progress *p, struct diag *d)
{
    if (compute_key(ctx, all, n_built, b, d) < 0)
        return -1;
    b->outdir = xasprintf("%s/build/%s-%.16s", ctx->cache_dir, b->r->name, b->key);
    int lock = lock_entry(ctx, b, p, d);
    if (lock < 0)
        return -1;
    char *done = xasprintf("%s/.complete", b->outdir);
    int hit = path_exists(done);
    free(done);
    if (hit) {
        fprintf(stderr, "[%zu/%zu] %-14s cached (%.16s)\n", p->index, p->total, b->r->name, b->key);
        close(lock);
        return 0;
    }
    char *log = log_path(ctx, b->r->name);
    unlink(log);
    progress_start(p, b->r->name, "building...");
    int rc = build_from_source(ctx, all, n_built, b, log, d);
    if (rc == 0)
        progress_done(p, b->r->name, "built in");
    else {
        fprintf(stderr, "[%zu/%zu] %-14s FAILED after %.0fs (log: %s)\n", p->index, p->total, b->r->name,
                seconds_since(&p->start), log);
        struct diag ignored = {0};
        rm_rf(b->outdir, &ignored);
    }
    close(lock);
    free(log);
    return rc;
}

/* ---- layers -------------------------------------------------------------- */

static int build_layer(struct build_ctx *ctx, struct built *all, size_t n_built, struct built *b,
                       struct progress *p, struct diag *d)
{
    progress_start(p, b->r->name, "packing...");
    struct strv targets = {0};
    int rc = 0;
    for (size_t i = 0; i < b->r->packages.n && rc == 0; i++) {
        struct built *pkg = find_built(all, n_built, b->r->packages.v[i]);
        const char *subtree = b->r->package_trees.v[i];
        char *dir = xasprintf("%s/%s", pkg->outdir, subtree);
        /* a package may install nothing into target (headers only); a tree asked for by name must exist */
        if (strcmp(subtree, "target") != 0 && !is_dir(dir))
            rc = diag_fail(d, EXIT_BUILD, "%s:%d: package %s installed no \"%s\" tree ($OUT/%s)", b->r->path,
                           b->r->key_line[KEY_PACKAGES], pkg->r->name, subtree, subtree);
        strv_push_owned(&targets, dir);
    }
    struct cpio_tree tree = {0};
    if (rc == 0)
        rc = layer_collect(ctx->top, b->r, &targets, &tree, d);
    if (rc == 0 && b->r->modules.n) {
        struct diag ignored = {0};
        const struct recipe *rel = graph_release(&ctx->graph, &ignored);
        struct built *k = rel ? find_built(all, n_built, rel->kernel) : NULL;
        if (!k)
            rc = diag_fail(d, EXIT_INPUT, "%s: a layer with modules needs the release's kernel", b->r->path);
        else {
            char *mods = xasprintf("%s/modules/lib/modules", k->outdir);
            rc = modules_add(b->r, mods, &tree, &b->modules, d);
            free(mods);
        }
    }
    if (rc == 0)
        rc = layer_pack(&tree, ctx->source_date_epoch, &b->artifact, d);
    cpio_tree_free(&tree);
    strv_free(&targets);
    if (rc == 0 && b->r->budget && (long long)b->artifact.len > b->r->budget)
        rc = diag_fail(d, EXIT_BUILD, "%s:%d: layer %s is %zu bytes (xz), over its budget of %lld by %lld",
                       b->r->path, b->r->key_line[KEY_BUDGET], b->r->name, b->artifact.len, b->r->budget,
                       (long long)b->artifact.len - b->r->budget);
    if (rc == 0)
        progress_done(p, b->r->name, "packed in");
    return rc;
}

/* ---- the release directory -----------------------------------------------
 * A build never edits OUTPUT/release in place: it fills a staging directory
 * (starting from hard links to the current release, so files it doesn't
 * produce, like menus, stay), then swaps the two with one renameat2
 * (RENAME_EXCHANGE). A build killed at any point leaves the old release whole. */

static int link_tree(const char *from, const char *to, struct diag *d)
{
    DIR *dh = opendir(from);
    if (!dh)
        return diag_fail(d, EXIT_BUILD, "%s: %s", from, strerror(errno));
    int rc = mkdir_p(to, d);
    struct dirent *e;
    while (rc == 0 && (e = readdir(dh))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *a = xasprintf("%s/%s", from, e->d_name), *b = xasprintf("%s/%s", to, e->d_name);
        struct stat st;
        if (lstat(a, &st) < 0)
            rc = diag_fail(d, EXIT_BUILD, "%s: %s", a, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = link_tree(a, b, d);
        else if (link(a, b) < 0)
            rc = diag_fail(d, EXIT_BUILD, "link %s: %s", b, strerror(errno));
        free(a);
        free(b);
    }
    closedir(dh);
    return rc;
}

/* Remove staging directories that killed builds left behind. */
static void remove_stale_staging(const char *output_dir)
{
    DIR *dh = opendir(output_dir);
    struct dirent *e;
    struct diag ignored = {0};
    while (dh && (e = readdir(dh)))
        if (strncmp(e->d_name, ".release.", 9) == 0) {
            char *p = xasprintf("%s/%s", output_dir, e->d_name);
            rm_rf(p, &ignored);
            free(p);
        }
    if (dh)
        closedir(dh);
}

/* A layer the release no longer has must not stay behind in it: menus offer
 * every image whose layers are in the release directory. */
static int remove_dropped_layers(const char *staging, const struct strv *layers, struct diag *d)
{
    DIR *dh = opendir(staging);
    if (!dh)
        return diag_fail(d, EXIT_BUILD, "%s: %s", staging, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dh))) {
        size_t n = strlen(e->d_name);
        if (n <= 8 || strcmp(e->d_name + n - 8, ".cpio.xz") != 0)
            continue;
        int kept = 0;
        for (size_t i = 0; i < layers->n && !kept; i++)
            kept = strlen(layers->v[i]) == n - 8 && strncmp(layers->v[i], e->d_name, n - 8) == 0;
        if (!kept && unlinkat(dirfd(dh), e->d_name, 0) < 0)
            rc = diag_fail(d, EXIT_BUILD, "%s/%s: %s", staging, e->d_name, strerror(errno));
    }
    closedir(dh);
    return rc;
}

static int stage_begin(const char *output_dir, const struct strv *layers, char **staging, struct diag *d)
{
    remove_stale_staging(output_dir);
    *staging = xasprintf("%s/.release.%ld", output_dir, (long)getpid());
    char *current = xasprintf("%s/release", output_dir);
    int rc = is_dir(current) ? link_tree(current, *staging, d) : mkdir_p(*staging, d);
    if (rc == 0)
        rc = remove_dropped_layers(*staging, layers, d);
    free(current);
    return rc;
}

static int stage_commit(const char *output_dir, const char *staging, struct diag *d)
{
    char *current = xasprintf("%s/release", output_dir);
    int rc = 0;
    if (is_dir(current)) {
        if (renameat2(AT_FDCWD, staging, AT_FDCWD, current, RENAME_EXCHANGE) < 0)
            rc = diag_fail(d, EXIT_BUILD, "swapping %s into place: %s", current, strerror(errno));
        else
            rm_rf(staging, d);   /* now the old release */
    } else if (rename(staging, current) < 0) {
        rc = diag_fail(d, EXIT_BUILD, "rename %s -> %s: %s", staging, current, strerror(errno));
    }
    free(current);
    return rc;
}

static int kernel_file(const struct built *k, const char *name, struct buf *out, struct diag *d)
{
    char *p = xasprintf("%s/%s", k->outdir, name);
    int rc = read_file(p, out, d);
    free(p);
    return rc;
}

static void sha256sums_line(struct buf *sums, const char *name, const struct buf *data)
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_of(data->data, data->len, hex);
    buf_printf(sums, "%s  %s\n", hex, name);
}

static int put_release_file(const char *dir, const char *name, const struct buf *data, struct diag *d)
{
    char *p = xasprintf("%s/%s", dir, name);
    int rc = write_file_if_changed(p, data->data, data->len, 0644, d);
    free(p);
    return rc;
}

/* Everything for the release is computed in memory first; only whole files
 * are then renamed into place, the checksums last. */
static int write_release(struct build_ctx *ctx, const struct recipe *rel, struct built *all, size_t n_built,
                         struct diag *d)
{
    struct built *k = find_built(all, n_built, rel->kernel);
    struct buf bz = {0}, breakdown = {0}, sizes = {0}, sums = {0};
    int rc = kernel_file(k, "bzImage", &bz, d);
    if (rc == 0)
        kernel_file(k, "breakdown.txt", &breakdown, &(struct diag){0});
    if (rc == 0)
        rc = kernel_check_budget(k->r->path, (long long)bz.len, k->r->budget, (char *)breakdown.data, d);
    char *dir = NULL;
    if (rc == 0)
        rc = stage_begin(ctx->output_dir, &rel->layers, &dir, d);

    struct size_row *rows = xcalloc(rel->layers.n + 1, sizeof *rows);
    struct strv names = {0};
    rows[0] = (struct size_row){"bzImage", (long long)bz.len, k->r->budget};
    if (rc == 0)
        rc = put_release_file(dir, "bzImage", &bz, d);
    sha256sums_line(&sums, "bzImage", &bz);
    for (size_t i = 0; rc == 0 && i < rel->layers.n; i++) {
        struct built *l = find_built(all, n_built, rel->layers.v[i]);
        char *file = xasprintf("%s.cpio.xz", l->r->name);
        strv_push_owned(&names, file);
        rows[i + 1] = (struct size_row){file, (long long)l->artifact.len, l->r->budget};
        rc = put_release_file(dir, file, &l->artifact, d);
        sha256sums_line(&sums, file, &l->artifact);
    }
    if (rc == 0)
        rc = sizes_check_images(&ctx->graph, rows, rel->layers.n + 1, d);
    if (rc == 0) {
        buf_puts(&sizes, "# tinynetboot release sizes (bytes; budgets from the recipes)\n");
        sizes_render(&ctx->graph, rows, rel->layers.n + 1, &sizes);
        for (size_t i = 0; i < rel->layers.n; i++) {
            struct built *l = find_built(all, n_built, rel->layers.v[i]);
            if (!l->modules.n)
                continue;
            buf_printf(&sizes, "%s carries %zu kernel module%s:", l->r->name, l->modules.n, l->modules.n == 1 ? "" : "s");
            for (size_t m = 0; m < l->modules.n; m++)
                buf_printf(&sizes, " %s", l->modules.v[m]);
            buf_puts(&sizes, "\n");
        }
        buf_puts(&sizes, "\n# kernel: where the bytes are (from the kernel build)\n");
        buf_append(&sizes, breakdown.data ? breakdown.data : (unsigned char *)"", breakdown.len);
        rc = put_release_file(dir, "sizes.txt", &sizes, d);
        fputs((char *)sizes.data, stdout);
    }
    if (rc == 0) {
        sha256sums_line(&sums, "sizes.txt", &sizes);
        rc = put_release_file(dir, "SHA256SUMS", &sums, d);
    }
    if (rc == 0)
        rc = stage_commit(ctx->output_dir, dir, d);
    else if (dir)
        rm_rf(dir, &(struct diag){0});
    free(rows);
    strv_free(&names);
    free(dir);
    buf_free(&bz);
    buf_free(&breakdown);
    buf_free(&sizes);
    buf_free(&sums);
    return rc;
}

int build_run(struct build_ctx *ctx, const struct strv *targets, struct diag *d)
{
    const struct recipe *rel = NULL;
    struct strv wanted = {0}, order = {0};
    if (targets->n == 0) {
        rel = graph_release(&ctx->graph, d);
        if (!rel)
            return -1;
        strv_push(&wanted, rel->name);
    } else {
        for (size_t i = 0; i < targets->n; i++)
            strv_push(&wanted, targets->v[i]);
    }
    int rc = graph_order(&ctx->graph, &wanted, &order, d);
    /* bad kernel fragments are bad input: found before anything is built */
    for (size_t i = 0; rc == 0 && i < order.n; i++) {
        const struct recipe *r = graph_find(&ctx->graph, order.v[i]);
        if (r->kind == KIND_KERNEL)
            rc = kernel_fragments_check(ctx->top, &ctx->graph, r, d);
    }
    struct built *all = xcalloc(order.n, sizeof *all);
    size_t n = 0;
    char *logs = xasprintf("%s/logs", ctx->output_dir);
    if (rc == 0)
        rc = mkdir_p(logs, d);
    free(logs);
    for (size_t i = 0; rc == 0 && i < order.n; i++) {
        struct built *b = &all[n++];
        b->r = graph_find(&ctx->graph, order.v[i]);
        struct progress p = {i + 1, order.n, {0, 0}};
        if (b->r->kind == KIND_PACKAGE || b->r->kind == KIND_KERNEL)
            rc = build_cached(ctx, all, n, b, &p, d);
        else if (b->r->kind == KIND_LAYER)
            rc = build_layer(ctx, all, n, b, &p, d);
        else
            rc = write_release(ctx, b->r, all, n, d);
    }
    for (size_t i = 0; i < n; i++) {
        free(all[i].outdir);
        buf_free(&all[i].artifact);
        strv_free(&all[i].modules);
    }
    free(all);
    strv_free(&wanted);
    strv_free(&order);
    return rc;
}
