/* cpio_spec.c — see cpio_spec.h. One handler per line type, as gen_init_cpio's
 * file_handler_table; the fields are split on blanks and counted before a handler runs. */
#define _GNU_SOURCE
#include "cpio_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"

enum { SPEC_MAX_FIELDS = 8 };

struct spec_fields {
    char *copy;                    /* the line, cut up in place */
    char *f[SPEC_MAX_FIELDS];      /* the first SPEC_MAX_FIELDS fields */
    size_t n;                      /* how many fields the line has (may exceed the array) */
};

static const char spec_blanks[] = " \t\r\n\v\f";

int cpio_entry_check_source(const struct cpio_entry *e, struct diag *d)
{
    struct stat st;
    if (e->type != CPIO_FILE)
        return 0;
    if (stat(e->src_path, &st) < 0)
        return diag_fail(d, EXIT_INPUT, "file source \"%s\": %s", e->src_path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return diag_fail(d, EXIT_INPUT, "file source \"%s\" is not a regular file", e->src_path);
    return 0;
}

int cpio_spec_line_is_blank(const char *line)
{
    line += strspn(line, spec_blanks);
    return *line == 0 || *line == '#';
}

static void split_fields(const char *line, struct spec_fields *sf)
{
    sf->copy = xstrdup(line);
    sf->n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(sf->copy, spec_blanks, &save); tok;
         tok = strtok_r(NULL, spec_blanks, &save)) {
        if (sf->n < SPEC_MAX_FIELDS)
            sf->f[sf->n] = tok;
        sf->n++;
    }
}

static int parse_mode(const char *s, unsigned *out, struct diag *d)
{
    if (parse_octal_mode(s, out) < 0)
        return diag_fail(d, EXIT_INPUT, "bad mode \"%s\" (expected octal, at most 07777)", s);
    return 0;
}

static int parse_decimal(const char *what, const char *s, uint32_t max, unsigned *out,
                         struct diag *d)
{
    uint64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        if (v <= max)  /* saturates above max; cannot overflow 64 bits */
            v = v * 10 + (uint64_t)(*p - '0');
    if (p == s || *p)
        return diag_fail(d, EXIT_INPUT, "bad %s \"%s\" (expected a decimal number)", what, s);
    if (v > max)
        return diag_fail(d, EXIT_INPUT, "bad %s \"%s\" (at most %lu)", what, s,
                         (unsigned long)max);
    *out = (unsigned)v;
    return 0;
}

/* NAME at f[0] and MODE UID GID at f[mode_at..]: what every kind of line has. */
static int parse_common(char **f, size_t mode_at, struct cpio_entry *out, struct diag *d)
{
    if (cpio_path_normalise(f[0], &out->path, d) < 0 ||
        parse_mode(f[mode_at], &out->perm, d) < 0 ||
        parse_decimal("uid", f[mode_at + 1], UINT32_MAX, &out->uid, d) < 0 ||
        parse_decimal("gid", f[mode_at + 2], UINT32_MAX, &out->gid, d) < 0)
        return -1;
    return 0;
}

static int parse_file_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    if (parse_common(f, 2, out, d) < 0)
        return -1;
    out->src_path = f[1][0] == '/' ? xstrdup(f[1]) : join_path(base_dir, f[1]);
    return 0;
}

/* dir, pipe, sock: NAME MODE UID GID and nothing else. */
static int parse_plain_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    return parse_common(f, 1, out, d);
}

static int parse_slink_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    if (parse_common(f, 2, out, d) < 0)
        return -1;
    out->link_target = xstrdup(f[1]);
    return 0;
}

static int parse_device_type(const char *s, enum cpio_type *out, struct diag *d)
{
    if (strcmp(s, "c") == 0)
        *out = CPIO_CHR;
    else if (strcmp(s, "b") == 0)
        *out = CPIO_BLK;
    else
        return diag_fail(d, EXIT_INPUT, "bad device type \"%s\" (expected c or b)", s);
    return 0;
}

static int parse_nod_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    if (parse_common(f, 1, out, d) < 0 || parse_device_type(f[4], &out->type, d) < 0 ||
        parse_decimal("major", f[5], CPIO_MAX_MAJOR, &out->rmajor, d) < 0 ||
        parse_decimal("minor", f[6], CPIO_MAX_MINOR, &out->rminor, d) < 0)
        return -1;
    return 0;
}

struct spec_handler {
    const char *word;
    size_t nfields;       /* including the word itself */
    enum cpio_type type;  /* nod: CPIO_CHR until its c|b field says otherwise */
    int (*parse)(char **args, const char *base_dir, struct cpio_entry *out, struct diag *d);
};

static const struct spec_handler spec_handlers[] = {
    {"file", 6, CPIO_FILE, parse_file_line},     {"dir", 5, CPIO_DIR, parse_plain_line},
    {"nod", 8, CPIO_CHR, parse_nod_line},        {"slink", 6, CPIO_SYMLINK, parse_slink_line},
    {"pipe", 5, CPIO_FIFO, parse_plain_line},    {"sock", 5, CPIO_SOCK, parse_plain_line},
};

static const struct spec_handler *find_spec_handler(const char *word)
{
    for (size_t i = 0; i < sizeof spec_handlers / sizeof spec_handlers[0]; i++)
        if (strcmp(spec_handlers[i].word, word) == 0)
            return &spec_handlers[i];
    return NULL;
}

static int parse_fields(const struct spec_fields *sf, const char *base_dir,
                        struct cpio_entry *out, struct diag *d)
{
    if (sf->n == 0)
        return diag_fail(d, EXIT_INPUT, "empty line");
    const struct spec_handler *h = find_spec_handler(sf->f[0]);
    if (!h)
        return diag_fail(d, EXIT_INPUT, "unknown entry type \"%s\"", sf->f[0]);
    if (sf->n != h->nfields)
        return diag_fail(d, EXIT_INPUT, "%s: expected %zu fields, got %zu", h->word, h->nfields,
                         sf->n);
    char *args[SPEC_MAX_FIELDS];
    memcpy(args, sf->f + 1, (sf->n - 1) * sizeof *args);
    out->type = h->type;
    return h->parse(args, base_dir, out, d);
}

int cpio_parse_spec_line(const char *line, const char *base_dir, struct cpio_entry *out,
                         struct diag *d)
{
    struct spec_fields sf;
    memset(out, 0, sizeof *out);
    split_fields(line, &sf);
    int r = parse_fields(&sf, base_dir, out, d);
    free(sf.copy);
    if (r < 0)
        cpio_entry_free(out);
    return r;
}
