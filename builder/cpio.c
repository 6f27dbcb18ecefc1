/* cpio.c — newc archive writer; see cpio.h for the contract.
 *
 * Layout of a newc record (Documentation/driver-api/early-userspace/buffer-format.rst):
 * a 110-byte ASCII header ("070701" and 13 fields of 8 upper-case hex digits), the name
 * with its NUL, NULs up to a multiple of 4 from the start of the archive, the data, NULs
 * up to a multiple of 4 again. Written from the format description, not from
 * gen_init_cpio; that program is only used as an oracle by the unit tests. */
#define _GNU_SOURCE
#include "cpio.h"
#include "fsutil.h"
#include "hosttree.h"

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

const char *cpio_entry_origin(const struct cpio_entry *e)
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

int cpio_path_normalise(const char *in, char **out, struct diag *d)
{
    char *norm;
    if (path_normalise(in, PATH_DOTDOT_REFUSE, &norm) < 0)
        return diag_fail(d, EXIT_INPUT, "path \"%s\" escapes the archive root", in);
    if (!*norm) {
        free(norm);
        return diag_fail(d, EXIT_INPUT, "empty path \"%s\"", in);
    }
    *out = norm;
    return 0;
}

/* ---- adding entries ------------------------------------------------------------- */

static int entry_check(const struct cpio_entry *e, const char *path, struct diag *d)
{
    if (!type_is_valid(e->type))
        return diag_fail(d, EXIT_INPUT, "%s: \"%s\": invalid entry type %d",
                         cpio_entry_origin(e), path, (int)e->type);
    if (e->perm > 07777)
        return diag_fail(d, EXIT_INPUT, "%s: \"%s\": mode %o has more than the 07777 bits",
                         cpio_entry_origin(e), path, e->perm);
    if (strcmp(path, "TRAILER!!!") == 0)
        return diag_fail(d, EXIT_INPUT,
                         "%s: the path \"TRAILER!!!\" is reserved (it ends a cpio archive)",
                         cpio_entry_origin(e));
    if (e->type == CPIO_SYMLINK && (!e->link_target || !e->link_target[0]))
        return diag_fail(d, EXIT_INPUT, "%s: symlink \"%s\" has no target",
                         cpio_entry_origin(e), path);
    if ((e->type == CPIO_CHR || e->type == CPIO_BLK) &&
        (e->rmajor > CPIO_MAX_MAJOR || e->rminor > CPIO_MAX_MINOR))
        return diag_fail(d, EXIT_INPUT, "%s: device \"%s\": %u:%u is out of range (at most %u:%u)",
                         cpio_entry_origin(e), path, e->rmajor, e->rminor,
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
                  cpio_entry_origin(old), cpio_type_name(old->type), cpio_entry_origin(new),
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
        return diag_fail(d, EXIT_INPUT, "%s: entry without a path", cpio_entry_origin(e));
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

static int append_host_file(struct newc_writer *w, const struct cpio_entry *e, struct diag *d)
{
    int fd = host_file_open(e, d);
    if (fd < 0)
        return -1;
    int rc = read_fd(fd, e->src_path, w->out, d);
    close(fd);
    if (rc < 0) {
        char *why = xstrdup(d->msg);
        diag_fail(d, EXIT_BUILD, "%s (for \"%s\" from %s)", why, e->path, cpio_entry_origin(e));
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
                         e->path, cpio_entry_origin(e), size);
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
                          e->path, cpio_entry_origin(e), prefix, cpio_type_name(parent->type),
                          cpio_entry_origin(parent));
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
