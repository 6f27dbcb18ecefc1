/* sources.c — see sources.h. */
#define _GNU_SOURCE
#include "sources.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "sha256.h"

/* What the up-front check found for one pinned source. */
struct pin_check {
    const struct recipe *r;
    int cached;              /* the pinned file is in the cache */
    int stale;               /* no pin, or the archive no longer offers the pinned version */
    struct strv offered;     /* apt's preferred version first */
};

static int check_pin(const struct recipe *r, const struct sources_opts *o, struct pin_check *c, struct diag *d)
{
    memset(c, 0, sizeof *c);
    c->r = r;
    if (r->sha256) {
        char *p = fetch_cached_path(o->cache_dir, r->sha256, r->source_file);
        c->cached = path_exists(p);
        free(p);
    }
    /* metadata only: nothing worth a log (a build whose sources are cached writes none) */
    if (fetch_offered_versions(r, NULL, &c->offered, d) < 0)
        return -1;
    c->stale = !r->version || !strv_contains(&c->offered, r->version);
    return 0;
}

static void describe_stale(const struct pin_check *c, struct buf *msg)
{
    const struct recipe *r = c->r;
    buf_printf(msg, "\n  %s:%d: %s ", r->path, r->key_line[KEY_VERSION] ? r->key_line[KEY_VERSION] : r->key_line[KEY_SOURCE],
               r->source_package);
    if (r->version)
        buf_printf(msg, "pinned %s is no longer offered", r->version);
    else
        buf_puts(msg, "is not pinned yet");
    if (c->offered.n)
        buf_printf(msg, "; the archive offers %s", c->offered.v[0]);
    else
        buf_puts(msg, "; the archive offers no version of it (are apt's deb-src lines there? `make deps`)");
    if (c->cached)
        buf_puts(msg, " (the pinned file is in the cache)");
}

/* All stale pins in one message, before anything is built. Frozen builds stop
 * on any stale pin whose file is not in the cache. */
static int report_stale(const struct pin_check *c, size_t n, int frozen, struct diag *d)
{
    struct buf msg = {0};
    size_t stale = 0, blocking = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].stale)
            continue;
        stale++;
        blocking += !c[i].cached;
        describe_stale(&c[i], &msg);
    }
    int rc = 0;
    if (frozen && blocking)
        rc = diag_fail(d, EXIT_BUILD,
                       "--frozen: %zu pinned source%s can't be had (not in the cache, not offered by the archive); "
                       "nothing was built:%s\n  Build without --frozen to use what the archive offers, or re-pin: "
                       "make repin",
                       blocking, blocking == 1 ? "" : "s", (char *)msg.data);
    else if (stale)
        fprintf(stderr, "tinynetboot: %zu stale pin%s (run 'make repin' to record what the archive offers):%s\n",
                stale, stale == 1 ? "" : "s", (char *)msg.data);
    buf_free(&msg);
    return rc;
}

static int verified(const char *path, const char *sha256, struct diag *d)
{
    char hex[SHA256_HEX_LEN + 1];
    return path_exists(path) && sha256_file(path, hex, d) == 0 && strcmp(hex, sha256) == 0;
}

static void use_file(struct source_use *u, const char *version, const char *file, const char *sha, const char *path,
                     int pinned)
{
    u->version = xstrdup(version);
    u->file = xstrdup(file);
    u->sha256 = xstrdup(sha);
    u->path = xstrdup(path);
    u->pinned = pinned;
}

/* The pinned version is offered: download exactly it; it must match the pin. */
static int fetch_pinned(const struct pin_check *c, const struct sources_opts *o, struct source_use *u,
                        struct diag *d)
{
    const struct recipe *r = c->r;
    struct offered of;
    int rc = fetch_download(r, r->version, o->cache_dir, o->log_path, &of, d);
    if (rc == 0 && (strcmp(of.sha256, r->sha256) != 0 || strcmp(of.file, r->source_file) != 0))
        rc = diag_fail(d, EXIT_BUILD,
                       "%s:%d: %s %s: the archive's file does not match the pin: expected %s sha256 %s, got %s "
                       "sha256 %s (a corrupt download, or the archive changed the file; nothing was unpacked)",
                       r->path, r->key_line[KEY_SHA256], r->source_package, r->version, r->source_file, r->sha256,
                       of.file, of.sha256);
    if (rc == 0)
        rc = fetch_store(&of, o->cache_dir, d);
    if (rc == 0)
        use_file(u, of.version, of.file, of.sha256, of.path, 1);
    offered_free(&of);
    return rc;
}

/* CACHE/sources/offered/<pkg>_<version>: "sha256 file" of an unpinned version
 * fetched before, so a stale pin costs one download, not one per build. */
static char *offered_index(const struct sources_opts *o, const struct recipe *r, const char *version)
{
    char *p = xasprintf("%s/sources/offered/%s_%s", o->cache_dir, r->source_package, version);
    for (char *c = p + strlen(o->cache_dir); *c; c++)
        if (*c == ':')
            *c = '_';
    return p;
}

static int reuse_offered(const struct sources_opts *o, const struct recipe *r, const char *version,
                         struct source_use *u, struct diag *d)
{
    char *idx = offered_index(o, r, version);
    struct buf text = {0};
    struct diag ignored = {0};
    int found = 0;
    if (path_exists(idx) && read_file(idx, &text, &ignored) == 0) {
        char sha[65], file[1024];
        if (sscanf((char *)text.data, "%64s %1023s", sha, file) == 2) {
            char *p = fetch_cached_path(o->cache_dir, sha, file);
            if (verified(p, sha, d)) {
                use_file(u, version, file, sha, p, 0);
                found = 1;
            }
            free(p);
        }
    }
    buf_free(&text);
    free(idx);
    return found;
}

static int fetch_newest(const struct pin_check *c, const struct sources_opts *o, struct source_use *u,
                        struct diag *d)
{
    const struct recipe *r = c->r;
    if (!c->offered.n)
        return diag_fail(d, EXIT_BUILD, "%s:%d: Debian's archive offers no version of %s (apt's lists: `make deps`)",
                         r->path, r->key_line[KEY_SOURCE], r->source_package);
    const char *newest = c->offered.v[0];
    if (!reuse_offered(o, r, newest, u, d)) {
        struct offered of;
        int rc = fetch_download(r, newest, o->cache_dir, o->log_path, &of, d);
        if (rc == 0)
            rc = fetch_store(&of, o->cache_dir, d);
        if (rc == 0) {
            use_file(u, of.version, of.file, of.sha256, of.path, 0);
            char *idx = offered_index(o, r, newest), *dir = dir_name(idx);
            char *line = xasprintf("%s %s\n", of.sha256, of.file);
            if (mkdir_p(dir, d) < 0 || write_file_atomic(idx, line, strlen(line), 0644, d) < 0)
                rc = -1;
            free(idx), free(dir), free(line);
        }
        offered_free(&of);
        if (rc < 0)
            return -1;
    }
    if (r->version)
        fprintf(stderr, "%s: pinned %s is no longer offered; building %s (sha256 %.12s...) -- run 'make repin' to "
                "record it\n", r->name, r->version, u->version, u->sha256);
    else
        fprintf(stderr, "%s: not pinned yet; building %s (sha256 %.12s...) -- run 'make repin RECIPE=%s' to pin it\n",
                r->name, u->version, u->sha256, r->name);
    return 0;
}

static int resolve_one(const struct pin_check *c, const struct sources_opts *o, struct source_use *u,
                       struct diag *d)
{
    const struct recipe *r = c->r;
    u->owner = r;
    if (c->cached) {
        char *p = fetch_cached_path(o->cache_dir, r->sha256, r->source_file);
        int ok = verified(p, r->sha256, d);
        if (ok)
            use_file(u, r->version, r->source_file, r->sha256, p, 1);
        else
            unlink(p);   /* a corrupted cache entry: fetch it again */
        free(p);
        if (ok)
            return 0;
    }
    if (!c->stale)
        return fetch_pinned(c, o, u, d);
    if (o->frozen)   /* the cached copy was corrupt */
        return diag_fail(d, EXIT_BUILD, "%s: --frozen: the cached pinned file was corrupt and %s %s is no longer offered",
                         r->path, r->source_package, r->version);
    return fetch_newest(c, o, u, d);
}

/* The owners (recipes pinning a Debian source) that `names` build from, in graph order. */
static void owners_of(const struct graph *g, const struct strv *names, const struct recipe ***owners, size_t *n)
{
    *owners = xcalloc(g->n + 1, sizeof **owners);
    *n = 0;
    for (size_t i = 0; i < g->n; i++) {
        int used = 0;
        for (size_t k = 0; k < names->n && !used; k++) {
            const struct recipe *r = graph_find(g, names->v[k]);
            used = r && graph_source_owner(g, r) == &g->r[i];
        }
        if (used)
            (*owners)[(*n)++] = &g->r[i];
    }
}

int sources_resolve(const struct graph *g, const struct strv *names, const struct sources_opts *o,
                    struct sources *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    const struct recipe **owners;
    size_t n;
    owners_of(g, names, &owners, &n);
    struct pin_check *checks = xcalloc(n + 1, sizeof *checks);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = check_pin(owners[i], o, &checks[i], d);
    if (rc == 0)
        rc = report_stale(checks, n, o->frozen, d);
    out->v = xcalloc(n + 1, sizeof *out->v);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = resolve_one(&checks[i], o, &out->v[i], d);
        out->n = i + 1;
    }
    for (size_t i = 0; i < n; i++)
        strv_free(&checks[i].offered);
    free(checks);
    free(owners);
    return rc;
}

const struct source_use *sources_for(const struct sources *s, const struct graph *g, const struct recipe *r)
{
    const struct recipe *owner = graph_source_owner(g, r);
    for (size_t i = 0; owner && i < s->n; i++)
        if (s->v[i].owner == owner)
            return &s->v[i];
    return NULL;
}

int sources_stale(const struct graph *g, const char *log_path, struct strv *stale, struct diag *d)
{
    struct sources_opts o = {"", log_path, 0};
    for (size_t i = 0; i < g->n; i++) {
        if (graph_source_owner(g, &g->r[i]) != &g->r[i])
            continue;
        struct pin_check c;
        int rc = check_pin(&g->r[i], &o, &c, d);
        if (rc == 0 && c.stale)
            strv_push(stale, g->r[i].name);
        strv_free(&c.offered);
        if (rc < 0)
            return -1;
    }
    return 0;
}

void sources_render(const struct sources *s, struct buf *out)
{
    buf_puts(out, "# tinynetboot release sources: recipe, Debian package, version, file, sha256, pin\n");
    for (size_t i = 0; i < s->n; i++) {
        const struct source_use *u = &s->v[i];
        buf_printf(out, "%s %s %s %s %s ", u->owner->name, u->owner->source_package, u->version, u->file, u->sha256);
        if (u->pinned)
            buf_puts(out, "pinned\n");
        else if (u->owner->version)
            buf_printf(out, "NOT PINNED (recipe pins %s)\n", u->owner->version);
        else
            buf_puts(out, "NOT PINNED (recipe has no pin)\n");
    }
}

size_t sources_unpinned(const struct sources *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += !s->v[i].pinned;
    return n;
}

void sources_free(struct sources *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].version);
        free(s->v[i].file);
        free(s->v[i].sha256);
        free(s->v[i].path);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}
