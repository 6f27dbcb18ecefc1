/* hosttree.c — see hosttree.h. A layer's files come from host directories (packages'
 * target trees, overlays, --from): this walks them into a cpio_tree and, at write time,
 * opens each file again only if it is still the object the walk saw. */
#define _GNU_SOURCE
#include "hosttree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

static int read_symlink(const char *path, size_t size_hint, char **out, struct diag *d)
{
    size_t cap = size_hint + 1 > 64 ? size_hint + 1 : 64;
    for (;;) {
        char *target = xmalloc(cap);
        ssize_t n = readlink(path, target, cap);
        if (n < 0) {
            free(target);
            return diag_fail(d, EXIT_BUILD, "readlink %s: %s", path, strerror(errno));
        }
        if ((size_t)n < cap) {
            target[n] = 0;
            *out = target;
            return 0;
        }
        free(target);
        cap *= 2;
    }
}

static int refuse_special_file(const char *host_path, mode_t mode, struct diag *d)
{
    const char *what = "a special file", *line = "nod";
    if (S_ISFIFO(mode)) {
        what = "a FIFO";
        line = "pipe";
    } else if (S_ISSOCK(mode)) {
        what = "a socket";
        line = "sock";
    } else if (S_ISCHR(mode) || S_ISBLK(mode)) {
        what = "a device node";
    }
    return diag_fail(d, EXIT_INPUT,
                     "%s: is %s; special files are not copied from the host, "
                     "declare it with a `%s` spec line instead",
                     host_path, what, line);
}

/* Fill e (everything but path and origin) from the host object at host_path. */
static int entry_from_host(const char *host_path, struct cpio_entry *e, struct diag *d)
{
    struct stat st;
    if (lstat(host_path, &st) < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", host_path, strerror(errno));
    e->perm = st.st_mode & 07777;
    if (S_ISREG(st.st_mode)) {
        e->type = CPIO_FILE;
        e->src_path = xstrdup(host_path);
        e->src_scanned = 1;
        e->src_dev = (unsigned long long)st.st_dev;
        e->src_ino = (unsigned long long)st.st_ino;
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        e->type = CPIO_DIR;
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        e->type = CPIO_SYMLINK;
        e->perm = 0777;
        return read_symlink(host_path, (size_t)st.st_size, &e->link_target, d);
    }
    return refuse_special_file(host_path, st.st_mode, d);
}

static int walk_host_dir(struct cpio_tree *t, const char *host_dir, const char *arc_dir,
                         enum cpio_dup dup, struct diag *d)
{
    struct strv names = {0};
    int r = list_dir_sorted(host_dir, &names, d);
    for (size_t i = 0; r == 0 && i < names.n; i++) {
        struct cpio_entry e = {0};
        char *host_path = join_path(host_dir, names.v[i]);
        e.path = join_path(arc_dir, names.v[i]);
        e.origin = xstrdup(host_path);
        r = entry_from_host(host_path, &e, d);
        if (r == 0)
            r = cpio_add(t, &e, dup, d);
        if (r == 0 && e.type == CPIO_DIR)
            r = walk_host_dir(t, host_path, e.path, dup, d);
        cpio_entry_free(&e);
        free(host_path);
    }
    strv_free(&names);
    return r;
}

int cpio_add_host_tree(struct cpio_tree *t, const char *dir, const char *dest_prefix,
                       enum cpio_dup dup, struct diag *d)
{
    char *prefix = NULL;
    if (dest_prefix && dest_prefix[0] && cpio_path_normalise(dest_prefix, &prefix, d) < 0)
        return -1;
    int r = walk_host_dir(t, dir, prefix, dup, d);
    free(prefix);
    return r;
}

/* Open e's host file for reading. A scanned file must still be the object the scan
   saw: O_NOFOLLOW refuses a symlink put in its place, and st_dev/st_ino catch another
   file (or a parent directory swapped for a link). O_NONBLOCK: a FIFO put there must
   not hang the build. */
int host_file_open(const struct cpio_entry *e, struct diag *d)
{
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (e->src_scanned ? O_NOFOLLOW : 0);
    int fd = open(e->src_path, flags);
    struct stat st;
    if (fd < 0) {
        if (errno == ELOOP && e->src_scanned)
            return diag_fail(d, EXIT_BUILD, "%s (for \"%s\"): is a symlink now, a file when it was scanned",
                             e->src_path, e->path);
        return diag_fail(d, EXIT_BUILD, "%s (for \"%s\" from %s): %s", e->src_path, e->path,
                         cpio_entry_origin(e), strerror(errno));
    }
    const char *why = NULL;
    if (fstat(fd, &st) < 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (e->src_scanned &&
             ((unsigned long long)st.st_dev != e->src_dev || (unsigned long long)st.st_ino != e->src_ino))
        why = "not the file that was scanned (replaced since)";
    if (why) {
        close(fd);
        return diag_fail(d, EXIT_BUILD, "%s (for \"%s\" from %s): %s", e->src_path, e->path,
                         cpio_entry_origin(e), why);
    }
    return fd;
}
