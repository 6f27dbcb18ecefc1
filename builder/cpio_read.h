/* cpio_read.h — read initramfs archives back: newc records, possibly several
 * archives one after another (each ending in TRAILER!!!, NUL padding between),
 * inside .xz, .gz or no compression. Used to compare the layers of a stack,
 * whoever made them (us, GNU cpio, the kernel's gen_init_cpio). */
#ifndef TNB_CPIO_READ_H
#define TNB_CPIO_READ_H

#include "cpio.h"

/* Parse newc data into tree (paths normalised; file contents kept in memory). */
int cpio_read(const unsigned char *data, size_t n, struct cpio_tree *tree, struct diag *d);
/* A whole layer in memory: .xz, .gz or plain by its magic bytes, decompressed
   within the limits of xz.h, then parsed. Errors say "xz: ...", "gzip: ...". */
int cpio_read_layer(const unsigned char *data, size_t n, struct cpio_tree *tree, struct diag *d);
/* Read a layer file, decompressing by its magic bytes. */
int cpio_read_file(const char *path, struct cpio_tree *tree, struct diag *d);

#endif
