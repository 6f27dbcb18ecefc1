/* cpio.h — build initramfs archives in the cpio "newc" format (magic 070701).
 *
 * Contract
 *  - A cpio_tree is a set of entries keyed by normalised path ("dev/console": no leading
 *    "/" or "./", no "//", no "." or ".." components). t->e is kept sorted bytewise by
 *    path. Entries come from cpio_add (a deep copy); hosttree.h adds a host directory's,
 *    cpio_spec.h parses gen_init_cpio-style text lines into entries.
 *  - cpio_write is a pure function of the tree and the timestamp: records sorted by path
 *    (so parents precede children), missing parent directories synthesised (0755, root),
 *    inode numbers from 721 upwards, every mtime the given one, no hard links. Its output
 *    is byte-for-byte what the kernel's usr/gen_init_cpio (Linux 6.1) writes for the same
 *    sorted spec with `-t MTIME` (and file mtimes equal to MTIME); that includes its
 *    conventions: c_devmajor/c_devminor 3/1, c_check 0, c_nlink 2 for directories, FIFOs
 *    and sockets and 1 for everything else, symlink data = target plus a NUL (c_filesize =
 *    strlen(target) + 1), and the TRAILER!!! record padded with NULs to a multiple of 512
 *    bytes. Archives therefore concatenate: the kernel's unpacker resets at each trailer.
 *  - Not supported on purpose: hard links (the extra names of gen_init_cpio's `file`),
 *    ${VAR} expansion in spec locations (builds must not depend on the environment),
 *    device nodes / FIFOs / sockets copied from the host (declare them with spec lines).
 *  - Errors: -1 and a filled struct diag (EXIT_INPUT for bad input, EXIT_BUILD for I/O).
 */
#ifndef TNB_CPIO_H
#define TNB_CPIO_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

enum cpio_type { CPIO_FILE, CPIO_DIR, CPIO_SYMLINK, CPIO_CHR, CPIO_BLK, CPIO_FIFO, CPIO_SOCK };

struct cpio_entry {
    char *path;          /* normalised (see above): "dev/console" */
    enum cpio_type type;
    unsigned perm;       /* the 07777 bits */
    unsigned uid, gid;
    unsigned rmajor, rminor;  /* CHR/BLK only */
    char *link_target;   /* SYMLINK only */
    char *src_path;      /* FILE: contents read from this host file at write time, or ... */
    int src_scanned;     /* FILE from a directory scan: src_path must still be the object
                            scanned (src_dev/src_ino, no symlink) when it is read */
    unsigned long long src_dev, src_ino;
    struct buf data;     /* ... FILE: contents in memory when src_path is NULL */
    char *origin;        /* where it came from, for messages: "overlays/base/etc/inittab",
                            "recipes/base/recipe:12"; may be NULL */
};

struct cpio_tree {
    struct cpio_entry *e;
    size_t n, cap;
};

enum cpio_dup { CPIO_DUP_REPLACE, CPIO_DUP_ERROR };

/* Largest device numbers the kernel's MKDEV() can hold (12-bit major, 20-bit minor). */
enum { CPIO_MAX_MAJOR = 4095, CPIO_MAX_MINOR = 1048575 };

/* "file", "dir", "symlink", "char device", ...: for messages. */
const char *cpio_type_name(enum cpio_type type);
/* e->origin, or "(unknown origin)": for messages. */
const char *cpio_entry_origin(const struct cpio_entry *e);

/* Normalise a path as above into *out (caller frees); -1 + diag (EXIT_INPUT) if it is
   empty (also "/" or "a/..") or escapes the root with "..". */
int cpio_path_normalise(const char *in, char **out, struct diag *d);

/* Add a deep copy of e (e stays the caller's; e->path is normalised here). Same path
   twice: two directories merge (the later's perm/uid/gid/origin win); otherwise
   CPIO_DUP_REPLACE lets the later entry win and CPIO_DUP_ERROR fails naming both origins.
   Also refused (EXIT_INPUT): perm above 07777, a symlink without target, device numbers
   above CPIO_MAX_MAJOR/MINOR, the path "TRAILER!!!" (it would end the archive). */
int cpio_add(struct cpio_tree *t, const struct cpio_entry *e, enum cpio_dup dup, struct diag *d);

/* Serialise t (see the contract above) and append it to out. Reads src_path files here
   (through host_file_open: EXIT_BUILD naming the file and the archive path if unreadable,
   not a regular file, or no longer the file a directory walk saw);
   EXIT_INPUT if an entry's parent is in the tree but is not a directory. */
int cpio_write(const struct cpio_tree *t, uint32_t mtime, struct buf *out, struct diag *d);

void cpio_entry_free(struct cpio_entry *e);
void cpio_tree_free(struct cpio_tree *t);

#endif
