/* run_image.h — what `tinynetboot run` boots: an image of the release exactly as
 * its menus serve it, plus site layers.
 *
 * The image's menu entry comes from menu_build (menu.h), so its kernel, its
 * layer files (layout.c's stack for the firmware, modules archives included)
 * and its command line are the menus' own; site layers go on top, and all
 * initrds are concatenated into one file for QEMU's -initrd (cpio archives
 * stack: each ends with a trailer that resets the kernel's unpacker). */
#ifndef TNB_RUN_IMAGE_H
#define TNB_RUN_IMAGE_H

#include "graph.h"

struct run_image {
    char *kernel;             /* absolute path of the kernel file */
    char *kernel_arch;        /* its recipe's arch: "i386", "x86_64" */
    struct strv initrds;      /* absolute paths, bottom to top, site layers last */
    char *cmdline;            /* the menu entry's (without initrd=) */
};

/* Resolve image `name` of the release in release_dir for firmware fw; every
 * file must exist. -1 + diag (EXIT_INPUT) for an unknown image or a missing
 * file, naming the images the release has. */
int run_image_resolve(const struct graph *g, const char *release_dir, const char *name, enum firmware fw,
                      const struct strv *sites, struct run_image *out, struct diag *d);
void run_image_free(struct run_image *ri);
/* Concatenate the initrds into path (created 0600). */
int run_image_cat_initrds(const struct run_image *ri, const char *path, struct diag *d);

#endif
