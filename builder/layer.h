/* layer.h — one initramfs layer: files from packages' target trees, the
 * layer's overlay directory and its declared special entries, serialised as a
 * deterministic cpio newc archive and compressed with xz (CRC32 check). */
#ifndef TNB_LAYER_H
#define TNB_LAYER_H

#include "cpio.h"
#include "recipe.h"

/* Fill tree for a layer recipe. package_targets: the `target` directory of
 * each of its packages, in recipe order (later ones and then the overlay win
 * when paths repeat). */
int layer_collect(const char *top, const struct recipe *layer, const struct strv *package_targets,
                  struct cpio_tree *tree, struct diag *d);
/* Serialise and compress a tree. */
int layer_pack(const struct cpio_tree *tree, long long mtime, struct buf *xz, struct diag *d);

#endif
