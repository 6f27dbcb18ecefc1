/* test_unpack_limits.c — reading layers has limits (issue 15, defect 8): a small
 * hostile layer must not exhaust the builder's memory. A stream whose header
 * names a 1 GiB dictionary, and ~80 KB of concatenated .xz or gzip members that
 * unpack to 300 MiB, are refused cleanly (EXIT_INPUT, output left as it was). */
#define _GNU_SOURCE
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cpio_read.h"
#include "tap.h"
#include "xz.h"

enum { XZ_STREAM_HEADER = 12, MIB = 1 << 20 };

/* Rewrite the first block header of an LZMA2-only .xz stream to name dict bytes. */
static int set_dict_size(struct buf *z, uint32_t dict)
{
    lzma_filter filters[LZMA_FILTERS_MAX + 1];
    lzma_block block;
    memset(&block, 0, sizeof block);
    block.version = 0;
    block.check = LZMA_CHECK_CRC32;
    block.filters = filters;
    uint8_t *hdr = z->data + XZ_STREAM_HEADER;
    block.header_size = lzma_block_header_size_decode(hdr[0]);
    if (lzma_block_header_decode(&block, NULL, hdr) != LZMA_OK || filters[0].id != LZMA_FILTER_LZMA2)
        return -1;
    ((lzma_options_lzma *)filters[0].options)->dict_size = dict;
    lzma_ret r = lzma_block_header_encode(&block, hdr);
    for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; i++)
        free(filters[i].options);
    return r == LZMA_OK ? 0 : -1;
}

/* n copies of one gzip member of MIB zero bytes. */
static void gzip_bomb(struct buf *out, int n)
{
    unsigned char *zeros = calloc(1, MIB), member[8192];
    z_stream s;
    memset(&s, 0, sizeof s);
    deflateInit2(&s, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    s.next_in = zeros;
    s.avail_in = MIB;
    s.next_out = member;
    s.avail_out = sizeof member;
    deflate(&s, Z_FINISH);
    size_t len = sizeof member - s.avail_out;
    deflateEnd(&s);
    for (int i = 0; i < n; i++)
        buf_append(out, member, len);
    free(zeros);
}

int main(void)
{
    struct tap t = {0};
    struct diag d = {0};
    struct buf z = {0}, out = {0}, plain = {0};
    buf_puts(&plain, "a small layer's worth of bytes\n");
    ok(&t, xz_compress_chain(plain.data, plain.len, XZ_CHAIN_LZMA2, &z, &d) == 0, "compress a small input");
    ok(&t, set_dict_size(&z, 1u << 30) == 0, "rewrite its block header to name a 1 GiB dictionary");
    buf_puts(&out, "kept");
    int rc = xz_decompress(z.data, z.len, &out, &d);
    ok(&t, rc == -1 && d.status == EXIT_INPUT, "a 1 GiB dictionary is refused (memory limit) (%s)", d.msg);
    ok(&t, strstr(d.msg, "memory") != NULL, "... saying why");
    ok(&t, out.len == 4 && !memcmp(out.data, "kept", 4), "... and the output is left as it was");
    buf_free(&z);

    /* ~300 MiB from 300 concatenated streams of 1 MiB of zeros */
    unsigned char *zeros = calloc(1, MIB);
    struct buf one = {0}, bomb = {0};
    xz_compress_chain(zeros, MIB, XZ_CHAIN_LZMA2, &one, &d);
    for (int i = 0; i < 300; i++)
        buf_append(&bomb, one.data, one.len);
    d = (struct diag){0};
    out.len = 4;
    rc = xz_decompress_concatenated(bomb.data, bomb.len, &out, &d);
    ok(&t, rc == -1 && d.status == EXIT_INPUT && strstr(d.msg, "more than 256 MiB"),
       "%zu bytes of .xz that unpack to 300 MiB are refused (%s)", bomb.len, d.msg);
    ok(&t, out.len == 4, "... and the output is left as it was");
    buf_free(&bomb);
    buf_free(&out);
    for (int i = 0; i < 50; i++)
        buf_append(&bomb, one.data, one.len);
    d = (struct diag){0};
    ok(&t, xz_decompress_concatenated(bomb.data, bomb.len, &out, &d) == 0 && out.len == 50u * MIB,
       "50 MiB (under the limit) still unpacks");
    buf_free(&out);
    buf_free(&bomb);

    /* the same through cpio_read_file with gzip members */
    char path[] = "/tmp/tnb-test-limits.XXXXXX";
    int fd = mkstemp(path);
    gzip_bomb(&bomb, 300);
    ok(&t, fd >= 0 && write(fd, bomb.data, bomb.len) == (ssize_t)bomb.len, "write a %zu-byte gzip layer", bomb.len);
    close(fd);
    struct cpio_tree tree = {0};
    d = (struct diag){0};
    rc = cpio_read_file(path, &tree, &d);
    ok(&t, rc == -1 && d.status == EXIT_INPUT && strstr(d.msg, "more than 256 MiB"),
       "a gzip layer that unpacks to 300 MiB is refused, naming the file (%s)", d.msg);
    ok(&t, strstr(d.msg, path) != NULL, "... naming the file");
    unlink(path);
    cpio_tree_free(&tree);
    buf_free(&bomb);
    buf_free(&one);
    buf_free(&plain);
    free(zeros);
    return tap_done(&t);
}
