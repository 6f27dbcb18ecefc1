/* hosttree.h — a host directory as cpio entries: the walk behind a layer's package
 * trees, its overlay and `tinynetboot layer --from`.
 *
 * Contract
 *  - Directory listings are sorted (list_dir_sorted), so the entries and the errors come
 *    in a stable order whatever the file system.
 *  - What the walk saw is what gets written: each regular file's st_dev/st_ino is kept in
 *    its entry and checked again by host_file_open when cpio_write reads it.
 *  - Errors: -1 and a filled struct diag (EXIT_INPUT for what the user must change,
 *    EXIT_BUILD for I/O). */
#ifndef TNB_HOSTTREE_H
#define TNB_HOSTTREE_H

#include "cpio.h"

/* Walk host directory `dir` and add everything under it (not `dir` itself), placed under
   dest_prefix ("" or NULL = archive root): regular files (perm = the host file's 07777
   bits, uid/gid 0, contents read at write time), directories (likewise), symlinks kept as
   symlinks (target verbatim, perm 0777). Device nodes, FIFOs and sockets are refused
   (EXIT_INPUT) naming the host path. origin = the host path. Directory listings are
   sorted, so errors are reported in a stable order. A file is read again at write time:
   it is opened with O_NOFOLLOW and must still be the inode the scan saw (st_dev, st_ino,
   a regular file), else cpio_write fails (EXIT_BUILD) naming it: a file swapped for a
   symlink (or another file, or a parent for a link) meanwhile never leaks into a layer. */
int cpio_add_host_tree(struct cpio_tree *t, const char *dir, const char *dest_prefix,
                       enum cpio_dup dup, struct diag *d);

/* Open e's host file (e->src_path) for reading: -1 + diag (EXIT_BUILD, naming the host file,
   the archive path and the origin) when it is missing, not a regular file, or, for a
   scanned entry, a symlink now or not the inode the scan saw. O_NONBLOCK: a FIFO put
   there must not hang the build. The caller closes the descriptor. */
int host_file_open(const struct cpio_entry *e, struct diag *d);

#endif
