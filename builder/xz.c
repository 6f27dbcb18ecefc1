/* xz.c — see xz.h.
 *
 * The filter chain (measured with this code, liblzma 5.4.1, preset 9e, CRC32):
 *   input: cpio of an i386 static busybox 1.35.0 (glibc, defconfig, 2.3 MB) + its 398
 *   applet symlinks + dev/console etc., 2,366,464 bytes:
 *     LZMA2 alone      1,056,752 bytes
 *     x86 BCJ + LZMA2    993,744 bytes  (-63,008, -6.0%)
 *   the same plus a static i386 gen_init_cpio (3,184,128 bytes): 1,105,548 vs 1,053,472.
 * Both were decoded by the kernel's own lib/xz (Linux 6.1, XZ_DYNALLOC as init/initramfs.c
 * uses it); without XZ_DEC_X86 the BCJ stream is refused with XZ_OPTIONS_ERROR. The x86
 * decoder costs the kernel about 1.3 kB of i386 text, so BCJ pays for itself as soon as
 * a layer carries a few tens of kB of x86 code: see XZ_CHAIN_DEFAULT in xz.h for why it
 * is not the default yet. */
#include "xz.h"

#include <lzma.h>
#include <string.h>

enum {
    XZ_MIN_DICT = 4096,              /* liblzma's LZMA_DICT_SIZE_MIN */
    XZ_DECODE_CHUNK = 1 << 16,
};

static const char *lzma_ret_text(lzma_ret r)
{
    switch (r) {
    case LZMA_MEM_ERROR:
        return "out of memory";
    case LZMA_MEMLIMIT_ERROR:
        return "memory limit reached";
    case LZMA_FORMAT_ERROR:
        return "not in the .xz format";
    case LZMA_OPTIONS_ERROR:
        return "unsupported options";
    case LZMA_DATA_ERROR:
        return "corrupt data";
    case LZMA_BUF_ERROR:
        return "truncated data";
    case LZMA_UNSUPPORTED_CHECK:
        return "unsupported integrity check";
    case LZMA_PROG_ERROR:
        return "programming error";
    default:
        return "unexpected liblzma status";
    }
}

/* Smallest dictionary that covers n bytes, within [XZ_MIN_DICT, preset_size]. */
static uint32_t dict_size_for(size_t n, uint32_t preset_size)
{
    if (n < XZ_MIN_DICT)
        return XZ_MIN_DICT;
    return n < preset_size ? (uint32_t)n : preset_size;
}

static int lzma2_options(size_t n, lzma_options_lzma *opt, struct diag *d)
{
    if (lzma_lzma_preset(opt, 9 | LZMA_PRESET_EXTREME))
        return diag_fail(d, EXIT_BUILD, "xz: liblzma lacks preset 9e");
    opt->dict_size = dict_size_for(n, opt->dict_size);
    return 0;
}

int xz_compress_chain(const void *in, size_t n, enum xz_chain chain, struct buf *out,
                      struct diag *d)
{
    lzma_options_lzma opt;
    if (lzma2_options(n, &opt, d) < 0)
        return -1;
    lzma_filter filters[3];
    size_t nf = 0;
    if (chain == XZ_CHAIN_X86_LZMA2)
        filters[nf++] = (lzma_filter){.id = LZMA_FILTER_X86, .options = NULL};
    filters[nf++] = (lzma_filter){.id = LZMA_FILTER_LZMA2, .options = &opt};
    filters[nf] = (lzma_filter){.id = LZMA_VLI_UNKNOWN, .options = NULL};

    size_t bound = lzma_stream_buffer_bound(n);
    if (bound == 0)
        return diag_fail(d, EXIT_BUILD, "xz: %zu bytes is too much to compress", n);
    buf_reserve(out, bound);
    size_t pos = out->len;
    lzma_ret r = lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, in, n, out->data,
                                           &pos, out->len + bound);
    if (r != LZMA_OK) {
        out->data[out->len] = 0;
        return diag_fail(d, EXIT_BUILD, "xz: compression failed: %s", lzma_ret_text(r));
    }
    out->len = pos;
    out->data[out->len] = 0;
    return 0;
}

int xz_compress(const void *in, size_t n, struct buf *out, struct diag *d)
{
    return xz_compress_chain(in, n, XZ_CHAIN_DEFAULT, out, d);
}

/* Decode into out until the stream ends or fails; *too_big when more than
   LAYER_MAX_UNPACKED bytes would come out (out->len - start). */
static lzma_ret decode_all(lzma_stream *s, struct buf *out, size_t start, int *too_big)
{
    for (;;) {
        buf_reserve(out, XZ_DECODE_CHUNK);
        size_t room = LAYER_MAX_UNPACKED + 1 - (out->len - start);  /* one byte more: overflow */
        size_t avail = out->cap - out->len - 1;                     /* keep room for buf's NUL */
        s->next_out = out->data + out->len;
        s->avail_out = avail < room ? avail : room;
        lzma_ret r = lzma_code(s, LZMA_FINISH);
        out->len = (size_t)(s->next_out - out->data);
        if (out->len - start > LAYER_MAX_UNPACKED) {
            *too_big = 1;
            return LZMA_MEM_ERROR;
        }
        if (r != LZMA_OK)
            return r;
    }
}

static int decompress_flags(const void *in, size_t n, uint32_t flags, struct buf *out, struct diag *d);

int xz_decompress(const void *in, size_t n, struct buf *out, struct diag *d)
{
    return decompress_flags(in, n, 0, out, d);
}

int xz_decompress_concatenated(const void *in, size_t n, struct buf *out, struct diag *d)
{
    return decompress_flags(in, n, LZMA_CONCATENATED, out, d);
}

static int decompress_flags(const void *in, size_t n, uint32_t flags, struct buf *out, struct diag *d)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r = lzma_stream_decoder(&s, XZ_DECODE_MEMLIMIT, flags);
    if (r != LZMA_OK)
        return diag_fail(d, EXIT_BUILD, "xz: cannot start the decoder: %s", lzma_ret_text(r));
    size_t start = out->len;
    int too_big = 0;
    s.next_in = in;
    s.avail_in = n;
    r = decode_all(&s, out, start, &too_big);
    size_t trailing = s.avail_in;
    lzma_end(&s);
    if (r == LZMA_STREAM_END && trailing == 0) {
        out->data[out->len] = 0;
        return 0;
    }
    out->len = start;
    out->data[out->len] = 0;
    if (too_big)
        return diag_fail(d, EXIT_INPUT, "xz: decompresses to more than %zu MiB (the limit for a layer)",
                         LAYER_MAX_UNPACKED >> 20);
    if (r == LZMA_MEMLIMIT_ERROR)
        return diag_fail(d, EXIT_INPUT, "xz: the stream needs more than %llu MiB of memory to decode "
                         "(its dictionary is too large for a layer)", XZ_DECODE_MEMLIMIT >> 20);
    if (r == LZMA_STREAM_END)
        return diag_fail(d, EXIT_INPUT, "xz: %zu bytes of trailing data after the stream",
                         trailing);
    return diag_fail(d, EXIT_INPUT, "xz: decompression failed: %s", lzma_ret_text(r));
}
