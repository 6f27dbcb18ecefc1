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

/* Modes as a site layer wants them whatever the umask of whoever made the
 * files: directories 0755, files 0755 if the owner may execute else 0644,
 * except owner-only files (no group/other bits: keys, passwords), which stay
 * 0600/0700. Set-id and sticky bits are dropped. */
unsigned layer_normal_mode(enum cpio_type type, unsigned perm);
void layer_normalise_modes(struct cpio_tree *tree);
/* `--from DIR`: everything under DIR, modes normalised; only these new
 * entries are normalised, so an earlier --file/--entry's explicit mode stays
 * unless DIR has the same path (then the later one wins, as for any path). */
int layer_add_from_dir(struct cpio_tree *tree, const char *dir, struct diag *d);
/* The mode of a layer file holding tree: 0600 when any file or directory in
 * it is not world-readable (a password, a key: whoever can read the layer
 * file can unpack them), else 0644. */
int layer_file_mode(const struct cpio_tree *tree);
/* `--file SRC:DEST[:MODE]`: one host file placed at DEST. */
int layer_add_file_arg(struct cpio_tree *tree, const char *arg, struct diag *d);

#endif
