/* xz.h — .xz compression for initramfs layers, via liblzma.
 *
 * Contract
 *  - Output is one .xz stream with a CRC32 check (the kernel's lib/xz decoder knows only
 *    CRC32 and "none"), encoded single-threaded: the same input gives the same bytes.
 *  - Filter chain: XZ_CHAIN_DEFAULT (see xz.c for the measurement behind the choice).
 *    LZMA2 uses preset 9e, but its dictionary is shrunk to the smallest size that covers
 *    the input (at least 4 KiB): the kernel's initramfs unpacker vmalloc()s the whole
 *    dictionary size named in the stream header, and a dictionary larger than the input
 *    cannot make the output smaller.
 *  - Errors: -1 + diag (EXIT_BUILD for encoder/memory trouble, EXIT_INPUT for data that
 *    is not a valid single .xz stream). out is appended to; on error it is left as it was.
 */
#ifndef TNB_XZ_H
#define TNB_XZ_H

#include "util.h"

#include <stddef.h>

enum xz_chain {
    XZ_CHAIN_LZMA2,      /* LZMA2 alone */
    XZ_CHAIN_X86_LZMA2,  /* x86 BCJ, then LZMA2: needs CONFIG_XZ_DEC_X86=y in the kernel */
};

/* The chain xz_compress uses. x86 BCJ + LZMA2 is about 6% smaller on static i386 binaries
   (measured in xz.c) but the kernel that unpacks the layers must then have
   CONFIG_XZ_DEC_X86=y: that symbol defaults to y only while EXPERT is off, and
   kernel-configs/core.config sets CONFIG_EXPERT=y under allnoconfig, which turns it off;
   such a kernel refuses the layer (XZ_OPTIONS_ERROR). core.config asks for
   CONFIG_XZ_DEC_X86=y by name (and the builder checks kconfig granted it), so layers use it.
   Site layers made with plain `xz --check=crc32` (LZMA2 alone) still unpack, of course. */
#define XZ_CHAIN_DEFAULT XZ_CHAIN_X86_LZMA2

/* Limits when decoding (layers may come from anyone: a small hostile file must not
   exhaust the builder's memory): liblzma's memory limit (the dictionary a stream names:
   our layers use at most 64 MiB, what xz -9 does) and the total decoded size (a layer
   a client unpacks into RAM is far smaller). Over either: EXIT_INPUT, output unchanged. */
#define XZ_DECODE_MEMLIMIT (128ull << 20)
#define LAYER_MAX_UNPACKED ((size_t)256 << 20)

int xz_compress(const void *in, size_t n, struct buf *out, struct diag *d);
int xz_compress_chain(const void *in, size_t n, enum xz_chain chain, struct buf *out,
                      struct diag *d);
/* Decode exactly one .xz stream (for tests and `sizes`); trailing bytes are an error. */
int xz_decompress(const void *in, size_t n, struct buf *out, struct diag *d);
/* The same for several .xz streams one after the other (`cat a.xz b.xz`). */
int xz_decompress_concatenated(const void *in, size_t n, struct buf *out, struct diag *d);

#endif
