/* clients.c — see clients.h. */
#define _GNU_SOURCE
#include "clients.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

struct cparser {
    const char *path;
    char *dir;              /* for password-file paths */
    int line;
    struct diag *d;
};

/* "PATH:LINE: message", bad input. */
__attribute__((format(printf, 2, 3))) static int cerror(struct cparser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vdiag_fail_at(p->d, EXIT_INPUT, p->path, p->line, fmt, ap);
    va_end(ap);
    return r;
}

/* aa:bb:cc:dd:ee:ff or aa-bb-...; normalised to lower case with colons. */
static int parse_mac(const char *s, char out[18])
{
    if (strlen(s) != 17)
        return -1;
    for (int i = 0; i < 17; i++) {
        if (i % 3 == 2) {
            if (s[i] != ':' && s[i] != '-')
                return -1;
            out[i] = ':';
        } else {
            if (!isxdigit((unsigned char)s[i]))
                return -1;
            out[i] = (char)tolower((unsigned char)s[i]);
        }
    }
    out[17] = 0;
    return 0;
}

void mac_dashed(const char *mac, char out[18])
{
    for (int i = 0; i < 17; i++)
        out[i] = mac[i] == ':' ? '-' : mac[i];
    out[17] = 0;
}

static int is_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    return 1;
}

/* A layer path as served: relative, no "..", ends in .cpio.xz/.cpio.gz/.cpio. */
static int is_layer_path(const char *s)
{
    if (!*s || s[0] == '/' || strstr(s, "..") || !menu_text_ok(s, NULL) || strchr(s, ' ') || strchr(s, ','))
        return 0;
    size_t n = strlen(s);
    static const char *const ends[] = {".cpio.xz", ".cpio.gz", ".cpio"};
    for (size_t i = 0; i < 3; i++) {
        size_t e = strlen(ends[i]);
        if (n > e && strcmp(s + n - e, ends[i]) == 0)
            return 1;
    }
    return 0;
}

static int read_password(struct cparser *p, const char *file, char **out)
{
    char *path = file[0] == '/' ? xstrdup(file) : xasprintf("%s/%s", p->dir, file);
    struct buf b = {0};
    struct diag inner = {0};
    int rc = read_file(path, &b, &inner);
    if (rc < 0)
        rc = cerror(p, "password-file %s: %s", file, strerror(errno ? errno : ENOENT));
    else {
        size_t len = strcspn((char *)b.data, "\r\n");
        if (len == 0)
            rc = cerror(p, "password-file %s: the first line is empty", file);
        else
            *out = xstrndup((char *)b.data, len);
    }
    if (b.data)
        memset(b.data, 0, b.len);   /* don't leave the plaintext lying around */
    buf_free(&b);
    free(path);
    return rc;
}

static int check_image(struct cparser *p, const char *image, const struct strv *images)
{
    if (strv_contains(images, image))
        return 0;
    struct buf known = {0};
    for (size_t i = 0; i < images->n; i++)
        buf_printf(&known, "%s%s", i ? ", " : "", images->v[i]);
    int rc = cerror(p, "unknown image \"%s\" (this release has: %s)", image, images->n ? (char *)known.data : "none");
    buf_free(&known);
    return rc;
}

static int apply_key(struct cparser *p, struct client_section *s, const char *key, const char *value,
                     const struct strv *images, const char *release_dir)
{
    if (!*value)
        return cerror(p, "%s needs a value", key);
    if (!strcmp(key, "image")) {
        if (s->image)
            return cerror(p, "image given twice in this section");
        if (check_image(p, value, images) < 0)
            return -1;
        s->image = xstrdup(value);
    } else if (!strcmp(key, "kernel") || !strcmp(key, "kernel-efi")) {
        enum firmware fw = key[6] ? FW_EFI : FW_BIOS;
        if (s->kernel[fw])
            return cerror(p, "%s given twice in this section", key);
        if (!is_name(value))
            return cerror(p, "%s \"%s\": expected a kernel recipe name", key, value);
        s->kernel[fw] = xstrdup(value);
        s->kernel_line[fw] = p->line;
    } else if (!strcmp(key, "label") || !strcmp(key, "cmdline")) {
        char **field = key[0] == 'l' ? &s->label : &s->cmdline;
        if (*field)
            return cerror(p, "%s given twice in this section", key);
        if (!(key[0] == 'l' ? menu_text_ok(value, NULL) : cmdline_text_ok(value, NULL)))
            return cerror(p, "%s contains characters boot menus cannot carry safely", key);
        *field = xstrdup(value);
    } else if (!strcmp(key, "layer")) {
        if (!is_layer_path(value))
            return cerror(p, "layer \"%s\": expected a relative path ending in .cpio.xz, .cpio.gz or .cpio", value);
        if (release_dir) {
            char *full = xasprintf("%s/%s", release_dir, value);
            int found = path_exists(full);
            free(full);
            if (!found)
                return cerror(p, "layer \"%s\" is not in the release directory %s", value, release_dir);
        }
        strv_push(&s->layers, value);
    } else if (!strcmp(key, "password-file")) {
        if (s->password)
            return cerror(p, "password-file given twice in this section");
        return read_password(p, value, &s->password);
    } else if (!strcmp(key, "group")) {
        if (!s->is_client)
            return cerror(p, "a group cannot belong to a group");
        if (s->group)
            return cerror(p, "group given twice in this section");
        s->group = xstrdup(value);
    } else {
        return cerror(p, "unknown key \"%s\" (image, kernel, kernel-efi, label, cmdline, layer, password-file, group)", key);
    }
    return 0;
}

static int open_section(struct cparser *p, struct clients *c, char **w, size_t n)
{
    int is_client = strcmp(w[0], "client") == 0;
    if (n < 2 || n > (size_t)(is_client ? 3 : 2))
        return cerror(p, is_client ? "expected: client MAC [NAME]" : "expected: group NAME");
    c->s = xrealloc(c->s, (c->n + 1) * sizeof *c->s);
    struct client_section *s = &c->s[c->n];
    memset(s, 0, sizeof *s);
    s->is_client = is_client;
    s->line = p->line;
    c->n++;
    if (is_client) {
        if (parse_mac(w[1], s->mac) < 0)
            return cerror(p, "malformed MAC address \"%s\" (expected aa:bb:cc:dd:ee:ff)", w[1]);
        for (size_t i = 0; i + 1 < c->n; i++)
            if (c->s[i].is_client && !strcmp(c->s[i].mac, s->mac))
                return cerror(p, "MAC %s already listed on line %d", s->mac, c->s[i].line);
        if (n == 3 && !is_name(w[2]))
            return cerror(p, "bad client name \"%s\" (letters, digits, '-', '_')", w[2]);
        s->name = xstrdup(n == 3 ? w[2] : s->mac);
    } else {
        if (!is_name(w[1]))
            return cerror(p, "bad group name \"%s\" (letters, digits, '-', '_')", w[1]);
        if (clients_group(c, w[1]))
            return cerror(p, "group \"%s\" defined twice", w[1]);
        s->name = xstrdup(w[1]);
    }
    return 0;
}

const struct client_section *clients_group(const struct clients *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!c->s[i].is_client && c->s[i].name && !strcmp(c->s[i].name, name))
            return &c->s[i];
    return NULL;
}

/* Section headers start at column 0; keys are indented under them. */
static int parse_line(struct cparser *p, char *line, struct clients *c, const struct strv *images,
                      const char *release_dir)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    int indented = line[0] == ' ' || line[0] == '\t';
    char *s = line + strspn(line, " \t\r");
    size_t len = strlen(s);
    while (len && strchr(" \t\r", s[len - 1]))
        s[--len] = 0;
    if (!*s)
        return 0;
    if (!indented) {
        char *w[4] = {NULL, NULL, NULL, NULL};
        size_t n = 0;
        for (char *save = NULL, *t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
            if (n < 4)
                w[n++] = t;
            else
                return cerror(p, "too many words on a section line");
        if (strcmp(w[0], "group") && strcmp(w[0], "client"))
            return cerror(p, "expected \"group NAME\" or \"client MAC [NAME]\" (keys are indented under them), "
                             "not \"%s\"", w[0]);
        return open_section(p, c, w, n);
    }
    if (!c->n)
        return cerror(p, "an indented key before any \"group\" or \"client\" line");
    size_t klen = strcspn(s, " \t");
    char *value = s + klen + strspn(s + klen, " \t");
    s[klen] = 0;
    return apply_key(p, &c->s[c->n - 1], s, value, images, release_dir);
}

/* After parsing: groups resolve, every section ends up with an image. */
static int resolve(struct cparser *p, struct clients *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct client_section *s = &c->s[i];
        p->line = s->line;
        if (s->group && !clients_group(c, s->group))
            return cerror(p, "client %s: unknown group \"%s\"", s->mac, s->group);
        const struct client_section *g = s->group ? clients_group(c, s->group) : NULL;
        if (!s->image && !(g && g->image))
            return cerror(p, "%s %s has no image (give \"image\" or a group that has one)",
                          s->is_client ? "client" : "group", s->is_client ? s->mac : s->name);
    }
    return 0;
}

int clients_parse(const char *path, const char *text, const struct strv *images, const char *release_dir,
                  struct clients *c, struct diag *d)
{
    memset(c, 0, sizeof *c);
    struct cparser p = {path, dir_name(path), 0, d};
    int rc = 0;
    for (char *line; rc == 0 && (line = next_line(&text)); free(line)) {
        p.line++;
        rc = parse_line(&p, line, c, images, release_dir);
    }
    if (rc == 0)
        rc = resolve(&p, c);
    free(p.dir);
    if (rc < 0)
        clients_free(c);
    return rc;
}

int clients_load(const char *path, const struct strv *images, const char *release_dir, struct clients *c,
                 struct diag *d)
{
    struct buf text = {0};
    memset(c, 0, sizeof *c);
    if (read_file(path, &text, d) < 0) {
        d->status = EXIT_INPUT;
        return -1;
    }
    int nul = buf_nul_line(&text);
    if (nul) {
        buf_free(&text);
        return diag_fail_at(d, EXIT_INPUT, path, nul, "contains a NUL byte");
    }
    int rc = clients_parse(path, (char *)text.data, images, release_dir, c, d);
    buf_free(&text);
    return rc;
}

void clients_free(struct clients *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct client_section *s = &c->s[i];
        free(s->name);
        free(s->group);
        free(s->image);
        for (int fw = 0; fw < FW_COUNT; fw++)
            free(s->kernel[fw]);
        free(s->label);
        free(s->cmdline);
        strv_free(&s->layers);
        if (s->password) {
            memset(s->password, 0, strlen(s->password));
            free(s->password);
        }
    }
    free(c->s);
    memset(c, 0, sizeof *c);
}
