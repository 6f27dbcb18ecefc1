/* fsutil.c — see fsutil.h. */
#define _GNU_SOURCE
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void drop_last_component(struct buf *b)
{
    char *slash = strrchr((char *)b->data, '/');
    b->len = slash ? (size_t)(slash - (char *)b->data) : 0;
    b->data[b->len] = 0;
}

int path_normalise(const char *in, enum path_dotdot dotdot, char **out)
{
    struct buf b = {0};
    buf_append(&b, "", 0);  /* data is "" from the start, never NULL */
    for (const char *p = in + strspn(in, "/"); *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (b.len == 0 && dotdot == PATH_DOTDOT_REFUSE) {
                buf_free(&b);
                return -1;
            }
            drop_last_component(&b);
        } else if (!(len == 1 && p[0] == '.')) {
            if (b.len)
                buf_append(&b, "/", 1);
            buf_append(&b, p, len);
        }
        p += len;
        p += strspn(p, "/");
    }
    *out = (char *)b.data;
    return 0;
}

int path_is_inside(const char *s)
{
    if (!*s || s[0] == '/')
        return 0;
    const char *c = s;
    while (*c) {
        size_t len = strcspn(c, "/");
        if (len == 0 || (len == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += len;
        if (*c == '/')
            c++;
    }
    return 1;
}

char *parent_dir_name(const char *path)
{
    char *dir = dir_name(path);
    const char *slash = strrchr(dir, '/');
    char *base = xstrdup(slash ? slash + 1 : dir);
    free(dir);
    return base;
}

char *join_path(const char *dir, const char *name)
{
    if (!dir || !dir[0])
        return xstrdup(name);
    size_t len = strlen(dir);
    return xasprintf("%s%s%s", dir, dir[len - 1] == '/' ? "" : "/", name);
}

int list_dir_sorted(const char *dir, struct strv *names, struct diag *d)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return diag_fail(d, EXIT_BUILD, "%s: %s", dir, strerror(errno));
    struct dirent *de;
    errno = 0;
    while ((de = readdir(dh))) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            strv_push(names, de->d_name);
        errno = 0;
    }
    int err = errno;
    closedir(dh);
    if (err)
        return diag_fail(d, EXIT_BUILD, "%s: %s", dir, strerror(err));
    strv_sort(names);
    return 0;
}

char *next_line(const char **text)
{
    const char *s = *text;
    if (!*s)
        return NULL;
    size_t len = strcspn(s, "\n");
    *text = s + len + (s[len] == '\n');
    return xstrndup(s, len);
}

int parse_octal_mode(const char *s, unsigned *mode)
{
    unsigned v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '7' && v <= 07777; p++)  /* stops before v can overflow */
        v = v * 8 + (unsigned)(*p - '0');
    if (p == s || *p || v > 07777)
        return -1;
    *mode = v;
    return 0;
}
