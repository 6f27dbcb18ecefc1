/* layout.h — the release directory's file names, and what a client fetches.
 *
 * One place answers "which files does this image's client download": the
 * kernel of its firmware, then each layer's archive, a layer that carries
 * kernel modules followed by its modules archive for that kernel. The
 * builder writes these names, sizes.txt adds them up, the menus hand them out.
 *
 *   <kernel>.bzImage              a kernel flavour, e.g. linux-pc.bzImage
 *   <layer>.cpio.xz               a layer, e.g. base.cpio.xz
 *   <layer>.<kernel>.cpio.xz      the modules of a layer built by one kernel,
 *                                 e.g. rescue.linux-pc.cpio.xz (names have no
 *                                 dots, so the two forms never collide) */
#ifndef TNB_LAYOUT_H
#define TNB_LAYOUT_H

#include "graph.h"

char *layout_kernel_file(const char *kernel);
char *layout_layer_file(const char *layer);
char *layout_modules_file(const char *layer, const char *kernel);

/* Appends the files a client booting `kernel` with these layers (bottom to
 * top, recipe names) fetches, in load order. */
void layout_stack(const struct graph *g, const struct recipe *kernel, const struct strv *layers, struct strv *files);
/* The same for an image recipe's clients of one firmware. */
void layout_image_stack(const struct graph *g, const struct recipe *image, enum firmware fw, struct strv *files);

#endif
