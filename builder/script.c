/* script.c — see script.h. */
#define _GNU_SOURCE
#include "script.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "run.h"

/* Every layer's userspace is static i386 (musl): it runs on each kernel
 * flavour, x86_64 ones included (IA32_EMULATION). */
#define USERSPACE_ARCH "i386"

const char *script_target_arch(const struct build_state *s, const struct recipe *r)
{
    (void)s;
    return r->kind == KIND_KERNEL && r->arch ? r->arch : USERSPACE_ARCH;
}

static char *env_name(const char *prefix, const char *name)
{
    char *s = xasprintf("%s%s", prefix, name);
    for (char *c = s; *c; c++)
        *c = *c == '-' ? '_' : (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    return s;
}

/* The whole environment of a build script (recipes/README.md lists it). */
static void script_env(const struct build_state *s, const struct built *b, const char *src, const char *scratch,
                       const struct strv *extra, struct strv *env)
{
    strv_push(env, "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    strv_push_owned(env, xasprintf("HOME=%s", scratch));
    strv_push_owned(env, xasprintf("TMPDIR=%s", scratch));
    strv_push(env, "LC_ALL=C");
    strv_push(env, "TZ=UTC");
    strv_push_owned(env, xasprintf("SOURCE_DATE_EPOCH=%lld", s->ctx->source_date_epoch));
    strv_push_owned(env, xasprintf("JOBS=%d", s->ctx->jobs));
    strv_push_owned(env, xasprintf("SRC=%s", src));
    char *rdir = abs_path(b->r->dir);
    strv_push_owned(env, xasprintf("RECIPE_DIR=%s", rdir));
    free(rdir);
    strv_push_owned(env, xasprintf("OUT=%s", b->outdir));
    strv_push_owned(env, xasprintf("TARGET_ARCH=%s", script_target_arch(s, b->r)));
    for (size_t i = 0; i < b->r->depends.n; i++) {
        const struct built *dep = build_get(s, b->r->depends.v[i]);
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
static int kernel_phases(const struct build_state *s, const struct built *b, const char *src, const char *work,
                         const char *log, struct diag *d)
{
    struct strv frags = {0};
    struct kconfig_reqs reqs = {0};
    struct buf mini = {0}, dotconfig = {0};
    graph_kernel_fragments(&s->ctx->graph, b->r, &frags);
    char *mini_path = xasprintf("%s/miniconfig", b->outdir);
    char *kbuild = xasprintf("%s/obj", work);
    char *dotconfig_path = xasprintf("%s/.config", kbuild);
    struct strv extra = {0}, env = {0};
    strv_push_owned(&extra, xasprintf("KCONFIG_FRAGMENT=%s", mini_path));
    strv_push_owned(&extra, xasprintf("KBUILD_DIR=%s", kbuild));
    script_env(s, b, src, work, &extra, &env);

    int rc = kconfig_collect(s->ctx->top, &frags, &reqs, &mini, d);
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

static int prepare_source(const struct build_state *s, const struct built *b, const char *work, const char *log,
                          char **src, struct diag *d)
{
    if (b->r->source_type == SOURCE_LOCAL)
        return copy_local(b->r, work, log, src, d);
    const struct source_use *u = sources_for(&s->sources, &s->ctx->graph, b->r);
    if (!u)
        return diag_fail(d, EXIT_BUILD, "%s: no source was resolved for it", b->r->path);
    return unpack(u->path, work, log, src, d);
}

int script_build(const struct build_state *s, const struct built *b, const char *log, struct diag *d)
{
    char *src = NULL;
    /* keyed, so builds of two configurations of one recipe never share a work dir */
    char *work = xasprintf("%s/work/%s-%.16s", s->ctx->output_dir, b->r->name, b->key);
    char *target = xasprintf("%s/target", b->outdir), *staging = xasprintf("%s/staging", b->outdir);
    int rc = rm_rf(work, d);
    if (rc == 0)
        rc = prepare_source(s, b, work, log, &src, d);
    if (rc == 0)
        rc = mkdir_p(target, d) < 0 || mkdir_p(staging, d) < 0 ? -1 : 0;
    if (rc == 0 && b->r->kind == KIND_KERNEL) {
        rc = kernel_phases(s, b, src, work, log, d);
    } else if (rc == 0) {
        struct strv env = {0};
        script_env(s, b, src, work, NULL, &env);
        rc = run_script(b, NULL, &env, src, log, d);
        strv_free(&env);
    }
    struct diag ignored = {0};
    rm_rf(work, &ignored);   /* a kernel tree is over a gigabyte */
    free(target);
    free(staging);
    free(src);
    free(work);
    return rc;
}
