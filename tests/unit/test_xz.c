/* test_xz.c — unit tests for builder/xz.c (TAP on stdout). Takes no arguments and reads
 * no files: the inputs are generated here. liblzma's own block-header decoder is used to
 * check what the encoder wrote into the stream. */
#include "../../builder/xz.h"
#include "tap.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>

enum {
    XZ_HEADER_SIZE = 12,   /* stream header: magic(6) flags(2) crc32(4) */
    XZ_CHECK_CRC32 = 0x01, /* low nibble of the second stream-flags byte */
};

/* Deterministic bytes that compress somewhat, like a mix of code and text. */
static void fill_sample(struct buf *b, size_t n)
{
    uint32_t x = 12345;
    static const char words[] = "init console busybox mount /proc /sys /dev ";
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        unsigned char c = (x >> 16) & 3 ? (unsigned char)words[i % (sizeof words - 1)]
                                        : (unsigned char)(x >> 24);
        buf_append(b, &c, 1);
    }
}

/* x86 code-like sample: CALL rel32 instructions (E8 xx xx xx xx) to a few targets,
   which is what the BCJ filter rewrites. */
static void fill_calls(struct buf *b, size_t n)
{
    static const unsigned char body[] = {0x55, 0x89, 0xe5, 0x83, 0xec, 0x08, 0x8b, 0x45, 0x08};
    while (b->len + sizeof body + 5 <= n) {
        buf_append(b, body, sizeof body);
        uint32_t target = 0x1000u * (uint32_t)(b->len % 7);
        uint32_t rel = target - (uint32_t)(b->len + 5);
        unsigned char call[5] = {0xe8, (unsigned char)rel, (unsigned char)(rel >> 8),
                                 (unsigned char)(rel >> 16), (unsigned char)(rel >> 24)};
        buf_append(b, call, sizeof call);
    }
}

static void test_round_trip(struct tap *t, const char *what, const struct buf *in,
                            enum xz_chain chain)
{
    struct buf z = {0}, back = {0};
    struct diag d = {0};
    const char *chain_name = chain == XZ_CHAIN_X86_LZMA2 ? "x86+lzma2" : "lzma2";
    if (!is_int(t, xz_compress_chain(in->data, in->len, chain, &z, &d), 0, "%s/%s: compresses",
                what, chain_name))
        tap_diag(t, "%s", d.msg);
    if (!is_int(t, xz_decompress(z.data, z.len, &back, &d), 0, "%s/%s: decompresses", what,
                chain_name))
        tap_diag(t, "%s", d.msg);
    is_mem(t, back.data, back.len, in->data, in->len, "%s/%s: round trip gives the input back",
           what, chain_name);
    buf_free(&z);
    buf_free(&back);
}

static void test_round_trips(struct tap *t)
{
    struct buf empty = {0}, one = {0}, sample = {0}, calls = {0};
    buf_append(&one, "x", 1);
    fill_sample(&sample, 300000);
    fill_calls(&calls, 200000);
    for (int chain = XZ_CHAIN_LZMA2; chain <= XZ_CHAIN_X86_LZMA2; chain++) {
        test_round_trip(t, "empty", &empty, (enum xz_chain)chain);
        test_round_trip(t, "1 byte", &one, (enum xz_chain)chain);
        test_round_trip(t, "300 kB sample", &sample, (enum xz_chain)chain);
        test_round_trip(t, "200 kB of calls", &calls, (enum xz_chain)chain);
    }
    buf_free(&one);
    buf_free(&sample);
    buf_free(&calls);
}

static void test_stream_header(struct tap *t)
{
    struct buf in = {0}, z = {0};
    struct diag d = {0};
    fill_sample(&in, 1000);
    xz_compress(in.data, in.len, &z, &d);
    static const unsigned char magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
    ok(t, z.len > XZ_HEADER_SIZE && memcmp(z.data, magic, sizeof magic) == 0,
       "output starts with the .xz magic");
    is_int(t, z.data[6], 0x00, "stream flags byte 6 is 0");
    is_int(t, z.data[7], XZ_CHECK_CRC32, "stream flags byte 7: check type CRC32");
    ok(t, z.len >= 2 && memcmp(z.data + z.len - 2, "YZ", 2) == 0, "output ends with the footer");
    buf_free(&in);
    buf_free(&z);
}

/* The filter chain of the first block, as liblzma reads it back. */
static int first_block_filters(const struct buf *z, lzma_filter *filters, lzma_block *block)
{
    memset(block, 0, sizeof *block);
    block->version = 0;
    block->check = LZMA_CHECK_CRC32;
    block->filters = filters;
    block->header_size = lzma_block_header_size_decode(z->data[XZ_HEADER_SIZE]);
    return lzma_block_header_decode(block, NULL, z->data + XZ_HEADER_SIZE) == LZMA_OK ? 0 : -1;
}

static void free_filters(lzma_filter *filters)
{
    for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; i++)
        free(filters[i].options);
}

static void test_filters_and_dictionary(struct tap *t, size_t n, uint32_t want_dict)
{
    struct buf in = {0}, z = {0};
    struct diag d = {0};
    fill_sample(&in, n);
    xz_compress(in.data, in.len, &z, &d);
    lzma_filter filters[LZMA_FILTERS_MAX + 1];
    lzma_block block;
    if (!ok(t, first_block_filters(&z, filters, &block) == 0, "%zu bytes: block header decodes",
            n)) {
        buf_free(&in);
        buf_free(&z);
        return;
    }
    size_t i = 0;
    if (XZ_CHAIN_DEFAULT == XZ_CHAIN_X86_LZMA2)
        is_int(t, filters[i++].id, LZMA_FILTER_X86, "%zu bytes: first filter is x86 BCJ", n);
    is_int(t, filters[i].id, LZMA_FILTER_LZMA2, "%zu bytes: then LZMA2", n);
    const lzma_options_lzma *opt = filters[i].options;
    is_int(t, opt ? opt->dict_size : 0, want_dict, "%zu bytes: dictionary %u", n, want_dict);
    is_int(t, filters[i + 1].id, LZMA_VLI_UNKNOWN, "%zu bytes: nothing else in the chain", n);
    free_filters(filters);
    buf_free(&in);
    buf_free(&z);
}

static void test_dictionary_sizes(struct tap *t)
{
    /* the header stores 2^k or 3 * 2^(k-1): the smallest such size >= the input */
    test_filters_and_dictionary(t, 100, 4096);
    test_filters_and_dictionary(t, 5000, 6144);
    test_filters_and_dictionary(t, 100000, 131072);
    test_filters_and_dictionary(t, 200000, 262144);
}

static void test_determinism(struct tap *t)
{
    struct buf in = {0}, a = {0}, b = {0};
    struct diag d = {0};
    fill_sample(&in, 150000);
    fill_calls(&in, 300000);
    xz_compress(in.data, in.len, &a, &d);
    xz_compress(in.data, in.len, &b, &d);
    is_mem(t, a.data, a.len, b.data, b.len, "same input, same output");
    buf_free(&b);
    buf_append(&b, "prefix", 6);
    xz_compress(in.data, in.len, &b, &d);
    ok(t, b.len == a.len + 6 && memcmp(b.data + 6, a.data, a.len) == 0,
       "xz_compress appends to a non-empty buffer");
    buf_free(&in);
    buf_free(&a);
    buf_free(&b);
}

static void test_bad_input(struct tap *t)
{
    struct buf in = {0}, z = {0}, out = {0};
    struct diag d = {0};
    fill_sample(&in, 5000);
    xz_compress(in.data, in.len, &z, &d);
    buf_append(&out, "keep", 4);

    is_int(t, xz_decompress("not xz at all", 13, &out, &d), -1, "garbage is refused");
    is_int(t, d.status, EXIT_INPUT, "... with EXIT_INPUT: %s", d.msg);
    is_int(t, xz_decompress(z.data, z.len - 5, &out, &d), -1, "a truncated stream is refused");
    ok(t, d.msg[0] != 0, "... %s", d.msg);

    struct buf corrupt = {0};
    buf_append(&corrupt, z.data, z.len);
    corrupt.data[corrupt.len / 2] ^= 0x55;
    is_int(t, xz_decompress(corrupt.data, corrupt.len, &out, &d), -1,
           "a corrupted stream is refused");

    buf_append(&z, "junk", 4);
    is_int(t, xz_decompress(z.data, z.len, &out, &d), -1, "trailing bytes are refused");
    ok(t, strstr(d.msg, "trailing") != NULL, "... %s", d.msg);
    is_str(t, (char *)out.data, "keep", "failed decompressions leave the output as it was");
    buf_free(&corrupt);
    buf_free(&in);
    buf_free(&z);
    buf_free(&out);
}

int main(void)
{
    struct tap t = {0};
    test_round_trips(&t);
    test_stream_header(&t);
    test_dictionary_sizes(&t);
    test_determinism(&t);
    test_bad_input(&t);
    return tap_done(&t);
}
