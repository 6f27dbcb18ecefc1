/* cpio.c — newc archive writer; see cpio.h for the contract.
 *
 * Layout of a newc record (Documentation/driver-api/early-userspace/buffer-format.rst):
 * a 110-byte ASCII header ("070701" and 13 fields of 8 upper-case hex digits), the name
 * with its NUL, NULs up to a multiple of 4 from the start of the archive, the data, NULs
 * up to a multiple of 4 again. Written from the format description, not from
 * gen_init_cpio; that program is only used as an oracle by the unit tests. */
#define _GNU_SOURCE
#include "cpio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- per-type facts ------------------------------------------------------------- */

struct type_info {
    const char *name;
    unsigned ifmt;   /* file type bits of c_mode (the Linux/POSIX values, not the host's) */
    unsigned nlink;  /* what gen_init_cpio writes */
};

static const struct type_info type_table[] = {
    [CPIO_FILE] = {"file", 0100000, 1},
    [CPIO_DIR] = {"directory", 0040000, 2},
    [CPIO_SYMLINK] = {"symlink", 0120000, 1},
    [CPIO_CHR] = {"char device", 0020000, 1},
    [CPIO_BLK] = {"block device", 0060000, 1},
    [CPIO_FIFO] = {"fifo", 0010000, 2},
    [CPIO_SOCK] = {"socket", 0140000, 2},
};

static int type_is_valid(enum cpio_type type)
{
    return (unsigned)type < sizeof type_table / sizeof type_table[0];
}

const char *cpio_type_name(enum cpio_type type)
{
    return type_is_valid(type) ? type_table[type].name : "invalid type";
}

static const char *origin_or_unknown(const struct cpio_entry *e)
{
    return e->origin ? e->origin : "(unknown origin)";
}

/* ---- entries and the tree ------------------------------------------------------- */

static char *strdup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void cpio_entry_free(struct cpio_entry *e)
{
    free(e->path);
    free(e->link_target);
    free(e->src_path);
    free(e->origin);
    buf_free(&e->data);
    memset(e, 0, sizeof *e);
}

void cpio_tree_free(struct cpio_tree *t)
{
    for (size_t i = 0; i < t->n; i++)
        cpio_entry_free(&t->e[i]);
    free(t->e);
    memset(t, 0, sizeof *t);
}

/* A deep copy of src whose path is `path` (taken over). */
static struct cpio_entry entry_copy(const struct cpio_entry *src, char *path)
{
    struct cpio_entry e = *src;
    e.path = path;
    e.link_target = strdup_or_null(src->link_target);
    e.src_path = strdup_or_null(src->src_path);
    e.origin = strdup_or_null(src->origin);
    e.data = (struct buf){0};
    if (src->data.len)
        buf_append(&e.data, src->data.data, src->data.len);
    return e;
}

/* Index of the first entry whose path is >= path (t->e is sorted by strcmp). */
static size_t tree_lower_bound(const struct cpio_tree *t, const char *path)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->e[mid].path, path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const struct cpio_entry *tree_find(const struct cpio_tree *t, const char *path)
{
    size_t i = tree_lower_bound(t, path);
    return i < t->n && strcmp(t->e[i].path, path) == 0 ? &t->e[i] : NULL;
}

static void tree_insert_at(struct cpio_tree *t, size_t i, struct cpio_entry e)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->e = xrealloc(t->e, t->cap * sizeof *t->e);
    }
    memmove(&t->e[i + 1], &t->e[i], (t->n - i) * sizeof *t->e);
    t->e[i] = e;
    t->n++;
}

/* ---- path normalisation --------------------------------------------------------- */

static void drop_last_component(struct buf *b)
{
    char *slash = strrchr((char *)b->data, '/');
    b->len = slash ? (size_t)(slash - (char *)b->data) : 0;
    b->data[b->len] = 0;
}

int cpio_path_normalise(const char *in, char **out, struct diag *d)
{
    struct buf b = {0};
    buf_reserve(&b, strlen(in));
    for (const char *p = in; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (b.len == 0) {
                buf_free(&b);
                return diag_fail(d, EXIT_INPUT, "path \"%s\" escapes the archive root", in);
            }
            drop_last_component(&b);
        } else if (len > 0 && !(len == 1 && p[0] == '.')) {
            if (b.len)
                buf_append(&b, "/", 1);
            buf_append(&b, p, len);
        }
        p += len;
        p += strspn(p, "/");
    }
    if (b.len == 0) {
        buf_free(&b);
        return diag_fail(d, EXIT_INPUT, "empty path \"%s\"", in);
    }
    *out = (char *)b.data;
    return 0;
}

/* ---- adding entries ------------------------------------------------------------- */

static int entry_check(const struct cpio_entry *e, const char *path, struct diag *d)
{
    if (!type_is_valid(e->type))
        return diag_fail(d, EXIT_INPUT, "%s: \"%s\": invalid entry type %d",
                         origin_or_unknown(e), path, (int)e->type);
    if (e->perm > 07777)
        return diag_fail(d, EXIT_INPUT, "%s: \"%s\": mode %o has more than the 07777 bits",
                         origin_or_unknown(e), path, e->perm);
    if (strcmp(path, "TRAILER!!!") == 0)
        return diag_fail(d, EXIT_INPUT,
                         "%s: the path \"TRAILER!!!\" is reserved (it ends a cpio archive)",
                         origin_or_unknown(e));
    if (e->type == CPIO_SYMLINK && (!e->link_target || !e->link_target[0]))
        return diag_fail(d, EXIT_INPUT, "%s: symlink \"%s\" has no target",
                         origin_or_unknown(e), path);
    if ((e->type == CPIO_CHR || e->type == CPIO_BLK) &&
        (e->rmajor > CPIO_MAX_MAJOR || e->rminor > CPIO_MAX_MINOR))
        return diag_fail(d, EXIT_INPUT, "%s: device \"%s\": %u:%u is out of range (at most %u:%u)",
                         origin_or_unknown(e), path, e->rmajor, e->rminor,
                         (unsigned)CPIO_MAX_MAJOR, (unsigned)CPIO_MAX_MINOR);
    return 0;
}

static void merge_directories(struct cpio_entry *old, const struct cpio_entry *new)
{
    old->perm = new->perm;
    old->uid = new->uid;
    old->gid = new->gid;
    free(old->origin);
    old->origin = strdup_or_null(new->origin);
}

/* `path` is taken over in every case. */
static int resolve_duplicate(struct cpio_entry *old, const struct cpio_entry *new, char *path,
                             enum cpio_dup dup, struct diag *d)
{
    if (old->type == CPIO_DIR && new->type == CPIO_DIR) {
        merge_directories(old, new);
        free(path);
        return 0;
    }
    if (dup == CPIO_DUP_ERROR) {
        diag_fail(d, EXIT_INPUT, "duplicate path \"%s\": %s (%s) and %s (%s)", path,
                  origin_or_unknown(old), cpio_type_name(old->type), origin_or_unknown(new),
                  cpio_type_name(new->type));
        free(path);
        return -1;
    }
    cpio_entry_free(old);
    *old = entry_copy(new, path);
    return 0;
}

int cpio_add(struct cpio_tree *t, const struct cpio_entry *e, enum cpio_dup dup, struct diag *d)
{
    char *path;
    if (!e->path)
        return diag_fail(d, EXIT_INPUT, "%s: entry without a path", origin_or_unknown(e));
    if (cpio_path_normalise(e->path, &path, d) < 0)
        return -1;
    if (entry_check(e, path, d) < 0) {
        free(path);
        return -1;
    }
    size_t i = tree_lower_bound(t, path);
    if (i < t->n && strcmp(t->e[i].path, path) == 0)
        return resolve_duplicate(&t->e[i], e, path, dup, d);
    tree_insert_at(t, i, entry_copy(e, path));
    return 0;
}

/* ---- host directory walk -------------------------------------------------------- */

static int list_dir_sorted(const char *dir, struct strv *names, struct diag *d)
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

static int read_symlink(const char *path, size_t size_hint, char **out, struct diag *d)
{
    size_t cap = size_hint + 1 > 64 ? size_hint + 1 : 64;
    for (;;) {
        char *target = xmalloc(cap);
        ssize_t n = readlink(path, target, cap);
        if (n < 0) {
            free(target);
            return diag_fail(d, EXIT_BUILD, "readlink %s: %s", path, strerror(errno));
        }
        if ((size_t)n < cap) {
            target[n] = 0;
            *out = target;
            return 0;
        }
        free(target);
        cap *= 2;
    }
}

static int refuse_special_file(const char *host_path, mode_t mode, struct diag *d)
{
    const char *what = "a special file", *line = "nod";
    if (S_ISFIFO(mode)) {
        what = "a FIFO";
        line = "pipe";
    } else if (S_ISSOCK(mode)) {
        what = "a socket";
        line = "sock";
    } else if (S_ISCHR(mode) || S_ISBLK(mode)) {
        what = "a device node";
    }
    return diag_fail(d, EXIT_INPUT,
                     "%s: is %s; special files are not copied from the host, "
                     "declare it with a `%s` spec line instead",
                     host_path, what, line);
}

/* Fill e (everything but path and origin) from the host object at host_path. */
static int entry_from_host(const char *host_path, struct cpio_entry *e, struct diag *d)
{
    struct stat st;
    if (lstat(host_path, &st) < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", host_path, strerror(errno));
    e->perm = st.st_mode & 07777;
    if (S_ISREG(st.st_mode)) {
        e->type = CPIO_FILE;
        e->src_path = xstrdup(host_path);
        e->src_scanned = 1;
        e->src_dev = (unsigned long long)st.st_dev;
        e->src_ino = (unsigned long long)st.st_ino;
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        e->type = CPIO_DIR;
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        e->type = CPIO_SYMLINK;
        e->perm = 0777;
        return read_symlink(host_path, (size_t)st.st_size, &e->link_target, d);
    }
    return refuse_special_file(host_path, st.st_mode, d);
}

static char *join_path(const char *dir, const char *name)
{
    if (!dir || !dir[0])
        return xstrdup(name);
    size_t len = strlen(dir);
    return xasprintf("%s%s%s", dir, dir[len - 1] == '/' ? "" : "/", name);
}

static int walk_host_dir(struct cpio_tree *t, const char *host_dir, const char *arc_dir,
                         enum cpio_dup dup, struct diag *d)
{
    struct strv names = {0};
    int r = list_dir_sorted(host_dir, &names, d);
    for (size_t i = 0; r == 0 && i < names.n; i++) {
        struct cpio_entry e = {0};
        char *host_path = join_path(host_dir, names.v[i]);
        e.path = join_path(arc_dir, names.v[i]);
        e.origin = xstrdup(host_path);
        r = entry_from_host(host_path, &e, d);
        if (r == 0)
            r = cpio_add(t, &e, dup, d);
        if (r == 0 && e.type == CPIO_DIR)
            r = walk_host_dir(t, host_path, e.path, dup, d);
        cpio_entry_free(&e);
        free(host_path);
    }
    strv_free(&names);
    return r;
}

int cpio_add_host_tree(struct cpio_tree *t, const char *dir, const char *dest_prefix,
                       enum cpio_dup dup, struct diag *d)
{
    char *prefix = NULL;
    if (dest_prefix && dest_prefix[0] && cpio_path_normalise(dest_prefix, &prefix, d) < 0)
        return -1;
    int r = walk_host_dir(t, dir, prefix, dup, d);
    free(prefix);
    return r;
}

/* ---- spec lines ----------------------------------------------------------------- */

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
    unsigned v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '7' && v <= 07777; p++)
        v = v * 8 + (unsigned)(*p - '0');
    if (p == s || *p || v > 07777)
        return diag_fail(d, EXIT_INPUT, "bad mode \"%s\" (expected octal, at most 07777)", s);
    *out = v;
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
    out->type = CPIO_FILE;
    if (parse_common(f, 2, out, d) < 0)
        return -1;
    out->src_path = f[1][0] == '/' ? xstrdup(f[1]) : join_path(base_dir, f[1]);
    return 0;
}

static int parse_dir_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    out->type = CPIO_DIR;
    return parse_common(f, 1, out, d);
}

static int parse_pipe_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    out->type = CPIO_FIFO;
    return parse_common(f, 1, out, d);
}

static int parse_sock_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    out->type = CPIO_SOCK;
    return parse_common(f, 1, out, d);
}

static int parse_slink_line(char **f, const char *base_dir, struct cpio_entry *out, struct diag *d)
{
    (void)base_dir;
    out->type = CPIO_SYMLINK;
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
    size_t nfields;  /* including the word itself */
    int (*parse)(char **args, const char *base_dir, struct cpio_entry *out, struct diag *d);
};

static const struct spec_handler spec_handlers[] = {
    {"file", 6, parse_file_line},   {"dir", 5, parse_dir_line},
    {"nod", 8, parse_nod_line},     {"slink", 6, parse_slink_line},
    {"pipe", 5, parse_pipe_line},   {"sock", 5, parse_sock_line},
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

/* ---- writing -------------------------------------------------------------------- */

struct newc_writer {
    struct buf *out;
    size_t start;       /* offset of the archive in out: padding is relative to it */
    unsigned mtime;
    unsigned next_ino;
};

/* Every field is printed as 8 hex digits, so it must hold (and only hold) 32 bits. */
_Static_assert(sizeof(unsigned) == 4, "newc header fields are printed from 32-bit unsigned");

struct newc_header {
    unsigned ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rmajor, rminor,
        namesize;
};

enum {
    NEWC_HEADER_SIZE = 110,
    NEWC_FILESIZE_OFFSET = 6 + 6 * 8,  /* magic, then ino mode uid gid nlink mtime */
    NEWC_FIRST_INO = 721,              /* as gen_init_cpio */
    NEWC_TRAILER_ALIGN = 512,          /* as gen_init_cpio */
    NEWC_MAX_SIZE = 0xFFFFFFFF,
};

static void put_header(struct newc_writer *w, const struct newc_header *h)
{
    buf_printf(w->out, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", h->ino,
               h->mode, h->uid, h->gid, h->nlink, h->mtime, h->filesize, h->devmajor,
               h->devminor, h->rmajor, h->rminor, h->namesize, 0u /* c_check */);
}

static void pad_to(struct newc_writer *w, size_t align)
{
    static const unsigned char zeros[NEWC_TRAILER_ALIGN];
    size_t rem = (w->out->len - w->start) % align;
    if (rem)
        buf_append(w->out, zeros, align - rem);
}

static void put_name(struct newc_writer *w, const char *name)
{
    buf_append(w->out, name, strlen(name) + 1);
    pad_to(w, 4);
}

static struct newc_header header_for(struct newc_writer *w, const char *path, enum cpio_type type,
                                     unsigned perm)
{
    return (struct newc_header){
        .ino = w->next_ino++,
        .mode = type_table[type].ifmt | perm,
        .nlink = type_table[type].nlink,
        .mtime = w->mtime,
        .devmajor = 3,  /* c_devmajor/c_devminor: what gen_init_cpio writes (trailer: 0/0) */
        .devminor = 1,
        .namesize = (unsigned)strlen(path) + 1,
    };
}

/* Rewrite c_filesize of the header at hdr_off (known only after reading the file). */
static void patch_filesize(struct newc_writer *w, size_t hdr_off, unsigned size)
{
    char hex[9];
    snprintf(hex, sizeof hex, "%08X", size);
    memcpy(w->out->data + hdr_off + NEWC_FILESIZE_OFFSET, hex, 8);
}

/* Open e's host file for reading. A scanned file must still be the object the scan
   saw: O_NOFOLLOW refuses a symlink put in its place, and st_dev/st_ino catch another
   file (or a parent directory swapped for a link). O_NONBLOCK: a FIFO put there must
   not hang the build. */
static int open_host_file(const struct cpio_entry *e, struct diag *d)
{
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (e->src_scanned ? O_NOFOLLOW : 0);
    int fd = open(e->src_path, flags);
    struct stat st;
    if (fd < 0) {
        if (errno == ELOOP && e->src_scanned)
            return diag_fail(d, EXIT_BUILD, "%s (for \"%s\"): is a symlink now, a file when it was scanned",
                             e->src_path, e->path);
        return diag_fail(d, EXIT_BUILD, "%s (for \"%s\" from %s): %s", e->src_path, e->path,
                         origin_or_unknown(e), strerror(errno));
    }
    const char *why = NULL;
    if (fstat(fd, &st) < 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (e->src_scanned &&
             ((unsigned long long)st.st_dev != e->src_dev || (unsigned long long)st.st_ino != e->src_ino))
        why = "not the file that was scanned (replaced since)";
    if (why) {
        close(fd);
        return diag_fail(d, EXIT_BUILD, "%s (for \"%s\" from %s): %s", e->src_path, e->path,
                         origin_or_unknown(e), why);
    }
    return fd;
}

static int append_host_file(struct newc_writer *w, const struct cpio_entry *e, struct diag *d)
{
    int fd = open_host_file(e, d);
    if (fd < 0)
        return -1;
    int rc = read_fd(fd, e->src_path, w->out, d);
    close(fd);
    if (rc < 0) {
        char *why = xstrdup(d->msg);
        diag_fail(d, EXIT_BUILD, "%s (for \"%s\" from %s)", why, e->path, origin_or_unknown(e));
        free(why);
    }
    return rc;
}

static int put_file(struct newc_writer *w, const struct cpio_entry *e, struct diag *d)
{
    struct newc_header h = header_for(w, e->path, CPIO_FILE, e->perm);
    h.uid = e->uid;
    h.gid = e->gid;
    size_t hdr_off = w->out->len;
    put_header(w, &h);
    put_name(w, e->path);
    size_t data_off = w->out->len;
    if (e->src_path) {
        if (append_host_file(w, e, d) < 0)
            return -1;
    } else if (e->data.len) {
        buf_append(w->out, e->data.data, e->data.len);
    }
    size_t size = w->out->len - data_off;
    if (size > NEWC_MAX_SIZE)
        return diag_fail(d, EXIT_INPUT, "\"%s\" (from %s): %zu bytes is too big for cpio",
                         e->path, origin_or_unknown(e), size);
    patch_filesize(w, hdr_off, (unsigned)size);
    pad_to(w, 4);
    return 0;
}

static void put_symlink(struct newc_writer *w, const struct cpio_entry *e)
{
    struct newc_header h = header_for(w, e->path, CPIO_SYMLINK, e->perm);
    h.uid = e->uid;
    h.gid = e->gid;
    h.filesize = (unsigned)strlen(e->link_target) + 1;  /* with its NUL, as gen_init_cpio */
    put_header(w, &h);
    put_name(w, e->path);
    buf_append(w->out, e->link_target, h.filesize);
    pad_to(w, 4);
}

static void put_dataless(struct newc_writer *w, const struct cpio_entry *e)
{
    struct newc_header h = header_for(w, e->path, e->type, e->perm);
    h.uid = e->uid;
    h.gid = e->gid;
    if (e->type == CPIO_CHR || e->type == CPIO_BLK) {
        h.rmajor = e->rmajor;
        h.rminor = e->rminor;
    }
    put_header(w, &h);
    put_name(w, e->path);
}

static int put_entry(struct newc_writer *w, const struct cpio_entry *e, struct diag *d)
{
    if (e->type == CPIO_FILE)
        return put_file(w, e, d);
    if (e->type == CPIO_SYMLINK)
        put_symlink(w, e);
    else
        put_dataless(w, e);
    return 0;
}

static void put_synthesised_dir(struct newc_writer *w, const char *path)
{
    struct newc_header h = header_for(w, path, CPIO_DIR, 0755);
    put_header(w, &h);
    put_name(w, path);
}

static void put_trailer(struct newc_writer *w)
{
    static const char name[] = "TRAILER!!!";
    struct newc_header h = {.nlink = 1, .namesize = sizeof name};
    put_header(w, &h);
    put_name(w, name);
    pad_to(w, NEWC_TRAILER_ALIGN);
}

/* Ancestors of every entry that the tree lacks, sorted and without duplicates; an
   ancestor that is in the tree but is not a directory is an error. */
static int missing_parents(const struct cpio_tree *t, struct strv *missing, struct diag *d)
{
    struct strv all = {0};
    for (size_t i = 0; i < t->n; i++) {
        const struct cpio_entry *e = &t->e[i];
        char *prefix = xstrdup(e->path);
        for (char *slash = strchr(prefix, '/'); slash; slash = strchr(slash + 1, '/')) {
            *slash = 0;
            const struct cpio_entry *parent = tree_find(t, prefix);
            if (!parent) {
                strv_push(&all, prefix);
            } else if (parent->type != CPIO_DIR) {
                diag_fail(d, EXIT_INPUT, "\"%s\" (from %s) is inside \"%s\", a %s (from %s)",
                          e->path, origin_or_unknown(e), prefix, cpio_type_name(parent->type),
                          origin_or_unknown(parent));
                free(prefix);
                strv_free(&all);
                return -1;
            }
            *slash = '/';
        }
        free(prefix);
    }
    strv_sort(&all);
    for (size_t i = 0; i < all.n; i++)
        if (missing->n == 0 || strcmp(missing->v[missing->n - 1], all.v[i]) != 0)
            strv_push(missing, all.v[i]);
    strv_free(&all);
    return 0;
}

/* Both t->e and missing are sorted and disjoint: merge them in path order. */
static int put_all_records(struct newc_writer *w, const struct cpio_tree *t,
                           const struct strv *missing, struct diag *d)
{
    size_t i = 0, j = 0;
    while (i < t->n || j < missing->n) {
        if (j == missing->n || (i < t->n && strcmp(t->e[i].path, missing->v[j]) < 0)) {
            if (put_entry(w, &t->e[i++], d) < 0)
                return -1;
        } else {
            put_synthesised_dir(w, missing->v[j++]);
        }
    }
    return 0;
}

int cpio_write(const struct cpio_tree *t, uint32_t mtime, struct buf *out, struct diag *d)
{
    struct newc_writer w = {.out = out, .start = out->len, .mtime = mtime,
                            .next_ino = NEWC_FIRST_INO};
    struct strv missing = {0};
    int r = missing_parents(t, &missing, d);
    if (r == 0)
        r = put_all_records(&w, t, &missing, d);
    if (r == 0)
        put_trailer(&w);
    strv_free(&missing);
    if (r < 0) {
        out->len = w.start;  /* leave no half-written archive behind */
        if (out->data)
            out->data[out->len] = 0;
    }
    return r;
}
