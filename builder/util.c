/* util.c — see util.h. */
#define _GNU_SOURCE
#include "util.h"
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int diag_fail(struct diag *d, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    d->status = status;
    return -1;
}

int vdiag_fail_at(struct diag *d, int status, const char *file, int line, const char *fmt, va_list ap)
{
    char msg[sizeof d->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return diag_fail(d, status, "%s:%d: %s", file, line, msg);
}

int diag_fail_at(struct diag *d, int status, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vdiag_fail_at(d, status, file, line, fmt, ap);
    va_end(ap);
    return r;
}

static int text_without(const char *s, const char *refused, char *bad)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e || strchr(refused, *s)) {
            if (bad)
                *bad = *s >= 0x20 && *s <= 0x7e ? *s : '?';
            return 0;
        }
    return 1;
}

int menu_text_ok(const char *s, char *bad)
{
    return text_without(s, "\"'`$\\;{}&|#", bad);
}

int cmdline_text_ok(const char *s, char *bad)
{
    return text_without(s, "\"'`$\\;{}&|#<>()", bad);
}

static void out_of_memory(void)
{
    fputs("tinynetboot: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p)
        out_of_memory();
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;
    va_start(ap, fmt);
    int r = vasprintf(&p, fmt, ap);
    va_end(ap);
    if (r < 0)
        out_of_memory();
    return p;
}

void buf_reserve(struct buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void strv_push_owned(struct strv *s, char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = str;
}

void strv_push(struct strv *s, const char *str)
{
    strv_push_owned(s, xstrdup(str));
}

void strv_free(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

int strv_contains(const struct strv *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *s)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, cmp_str);
}

int read_fd(int fd, const char *name, struct buf *b, struct diag *d)
{
    size_t start = b->len;
    for (;;) {
        buf_reserve(b, 65536);
        ssize_t r = read(fd, b->data + b->len, 65536);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            b->len = start;
            b->data[b->len] = 0;
            return diag_fail(d, EXIT_BUILD, "%s: %s", name, strerror(e));
        }
        if (r == 0)
            break;
        b->len += (size_t)r;
    }
    b->data[b->len] = 0;
    return 0;
}

int buf_nul_line(const struct buf *b)
{
    const unsigned char *nul = b->len ? memchr(b->data, 0, b->len) : NULL;
    if (!nul)
        return 0;
    int line = 1;
    for (const unsigned char *p = b->data; p < nul; p++)
        line += *p == '\n';
    return line;
}

int read_file(const char *path, struct buf *b, struct diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
    int rc = read_fd(fd, path, b, d);
    close(fd);
    return rc;
}

static int write_all(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A new, exclusive temp file beside path (mkostemp: O_EXCL, random name, no
 * symlink followed), so nobody else who can write the directory can make us
 * write through their file or link. *tmp gets its name. */
static int open_temp_beside(const char *path, char **tmp, struct diag *d)
{
    *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkostemp(*tmp, O_CLOEXEC);
    if (fd < 0) {
        diag_fail(d, EXIT_BUILD, "%s: %s", *tmp, strerror(errno));
        free(*tmp);
        *tmp = NULL;
    }
    return fd;
}

int write_file_atomic(const char *path, const void *data, size_t n, int mode, struct diag *d)
{
    char *tmp;
    int fd = open_temp_beside(path, &tmp, d);
    if (fd < 0)
        return -1;
    /* fchmod on the fd: the umask must not change the mode we were asked for */
    if (fchmod(fd, (mode_t)mode) < 0 || write_all(fd, data, n) < 0 || fsync(fd) < 0) {
        diag_fail(d, EXIT_BUILD, "%s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int write_file_if_changed(const char *path, const void *data, size_t n, int mode, struct diag *d)
{
    struct buf old = {0};
    struct diag ignored = {0};
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n && (int)(st.st_mode & 07777) == mode &&
        read_file(path, &old, &ignored) == 0 && old.len == n && memcmp(old.data, data, n) == 0) {
        buf_free(&old);
        return 0;
    }
    buf_free(&old);
    return write_file_atomic(path, data, n, mode, d);
}

int mkdir_p(const char *path, struct diag *d)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            diag_fail(d, EXIT_BUILD, "mkdir %s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = 0;
    if (mkdir(p, 0755) < 0 && errno != EEXIST)
        r = diag_fail(d, EXIT_BUILD, "mkdir %s: %s", p, strerror(errno));
    free(p);
    return r;
}

int rm_rf(const char *path, struct diag *d)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir)
            return diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *child = xasprintf("%s/%s", path, e->d_name);
            int r = rm_rf(child, d);
            free(child);
            if (r < 0) {
                closedir(dir);
                return -1;
            }
        }
        closedir(dir);
        if (rmdir(path) < 0)
            return diag_fail(d, EXIT_BUILD, "rmdir %s: %s", path, strerror(errno));
        return 0;
    }
    if (unlink(path) < 0)
        return diag_fail(d, EXIT_BUILD, "rm %s: %s", path, strerror(errno));
    return 0;
}

int path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The lexical normal form of an absolute path (enough for paths we built
 * ourselves; no symlinks involved): "/a/./b/../c" is "/a/c", "/.." is "/". */
static char *clean_abs(const char *path)
{
    char *rel;
    path_normalise(path, PATH_DOTDOT_CLAMP, &rel);  /* cannot fail when clamping */
    char *r = xasprintf("/%s", rel);
    free(rel);
    return r;
}

char *abs_path(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    if (path[0] == '/')
        return clean_abs(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return xstrdup(path);
    char *joined = xasprintf("%s/%s", cwd, path);
    r = clean_abs(joined);
    free(joined);
    return r;
}

char *dir_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    char *r = xmalloc((size_t)(slash - path) + 1);
    memcpy(r, path, (size_t)(slash - path));
    r[slash - path] = 0;
    return r;
}
