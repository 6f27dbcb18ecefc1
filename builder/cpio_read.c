/* cpio_read.c — see cpio_read.h. */
#define _GNU_SOURCE
#include "cpio_read.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "xz.h"

enum { NEWC_HEADER = 110 };

static size_t pad4(size_t x)
{
    return (x + 3) & ~(size_t)3;
}

/* One of the 13 8-hex-digit fields after the 6-byte magic. */
static int hex_field(const unsigned char *h, int index, unsigned long *out)
{
    unsigned long v = 0;
    for (int i = 0; i < 8; i++) {
        unsigned char c = h[6 + 8 * index + i];
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0)
            return -1;
        v = v * 16 + (unsigned long)digit;
    }
    *out = v;
    return 0;
}

static enum cpio_type type_of(unsigned long mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR: return CPIO_DIR;
    case S_IFLNK: return CPIO_SYMLINK;
    case S_IFCHR: return CPIO_CHR;
    case S_IFBLK: return CPIO_BLK;
    case S_IFIFO: return CPIO_FIFO;
    case S_IFSOCK: return CPIO_SOCK;
    default: return CPIO_FILE;
    }
}

/* Parse one record at data[*pos]; 1 = a record, 0 = trailer, -1 = error. */
static int read_record(const unsigned char *data, size_t n, size_t *pos, struct cpio_tree *tree, struct diag *d)
{
    const unsigned char *h = data + *pos;
    if (n - *pos < NEWC_HEADER || memcmp(h, "070701", 6) != 0)
        return diag_fail(d, EXIT_INPUT, "not a newc cpio record at offset %zu", *pos);
    unsigned long f[13];
    for (int i = 0; i < 13; i++)
        if (hex_field(h, i, &f[i]) < 0)
            return diag_fail(d, EXIT_INPUT, "bad hex in the cpio header at offset %zu", *pos);
    unsigned long mode = f[1], filesize = f[6], namesize = f[11];
    size_t name_at = *pos + NEWC_HEADER, data_at = pad4(name_at + namesize);
    if (namesize == 0 || name_at + namesize > n || data_at + filesize > n || data_at + filesize < data_at)
        return diag_fail(d, EXIT_INPUT, "truncated cpio record at offset %zu", *pos);
    char *name = xstrndup((const char *)data + name_at, namesize);
    *pos = pad4(data_at + filesize);
    if (!strcmp(name, "TRAILER!!!")) {
        free(name);
        return 0;
    }
    int rc = 1;
    if (strcmp(name, ".") != 0) {   /* "." (find's root) is the archive root itself */
        struct cpio_entry e;
        memset(&e, 0, sizeof e);
        e.path = name;
        e.type = type_of(mode);
        e.perm = (unsigned)(mode & 07777);
        e.uid = (unsigned)f[2];
        e.gid = (unsigned)f[3];
        e.rmajor = (unsigned)f[9];
        e.rminor = (unsigned)f[10];
        if (e.type == CPIO_SYMLINK)
            e.link_target = xstrndup((const char *)data + data_at, filesize);
        else if (e.type == CPIO_FILE)
            buf_append(&e.data, data + data_at, filesize);
        e.origin = "archive";
        if (cpio_add(tree, &e, CPIO_DUP_REPLACE, d) < 0)
            rc = -1;
        free(e.link_target);
        buf_free(&e.data);
    }
    free(name);
    return rc;
}

int cpio_read(const unsigned char *data, size_t n, struct cpio_tree *tree, struct diag *d)
{
    size_t pos = 0;
    for (;;) {
        while (pos < n && data[pos] == 0)   /* padding between concatenated archives */
            pos++;
        if (pos >= n)
            return 0;
        int r = read_record(data, n, &pos, tree, d);
        if (r < 0)
            return -1;
    }
}

/* gzip members one after the other, at most LAYER_MAX_UNPACKED bytes out. */
static int gunzip_all(const unsigned char *in, size_t n, struct buf *out, struct diag *d)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return diag_fail(d, EXIT_BUILD, "zlib: cannot start the decoder");
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    int r, too_big = 0;
    do {
        buf_reserve(out, 1 << 16);
        size_t room = LAYER_MAX_UNPACKED + 1 - out->len, avail = out->cap - out->len - 1;
        z.next_out = out->data + out->len;
        z.avail_out = (uInt)(avail < room ? avail : room);
        r = inflate(&z, Z_NO_FLUSH);
        out->len = (size_t)(z.next_out - out->data);
        too_big = out->len > LAYER_MAX_UNPACKED;
        if (r == Z_STREAM_END && z.avail_in > 0)   /* another gzip member follows */
            r = inflateReset(&z) == Z_OK ? Z_OK : Z_DATA_ERROR;
    } while (r == Z_OK && !too_big);
    inflateEnd(&z);
    if (too_big)
        return diag_fail(d, EXIT_INPUT, "gzip: decompresses to more than %zu MiB (the limit for a layer)",
                         LAYER_MAX_UNPACKED >> 20);
    if (r != Z_STREAM_END)
        return diag_fail(d, EXIT_INPUT, "gzip: corrupt or truncated data");
    return 0;
}

int cpio_read_layer(const unsigned char *data, size_t n, struct cpio_tree *tree, struct diag *d)
{
    struct buf plain = {0};
    int rc = 0;
    if (n >= 6 && !memcmp(data, "\xfd" "7zXZ", 6))
        rc = xz_decompress_concatenated(data, n, &plain, d);
    else if (n >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        rc = gunzip_all(data, n, &plain, d);
    else
        return cpio_read(data, n, tree, d);
    if (rc == 0)
        rc = cpio_read(plain.data, plain.len, tree, d);
    buf_free(&plain);
    return rc;
}

int cpio_read_file(const char *path, struct cpio_tree *tree, struct diag *d)
{
    struct buf raw = {0};
    if (read_file(path, &raw, d) < 0) {
        d->status = EXIT_INPUT;
        return -1;
    }
    struct diag inner = {0};
    int rc = cpio_read_layer(raw.data, raw.len, tree, &inner);
    if (rc < 0)
        diag_fail(d, EXIT_INPUT, "%s: %s", path, inner.msg);
    buf_free(&raw);
    return rc;
}
