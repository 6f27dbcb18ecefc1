/* fsutil.h — small path, directory and text helpers shared by the file makers.
 *
 * Contract
 *  - Pure string functions (path_normalise, join_path, next_line, parse_octal_mode) touch
 *    no file system; list_dir_sorted reads one directory.
 *  - Allocation follows util.h: out of memory aborts, so results are never NULL unless
 *    said otherwise.
 *  - No global state. */
#ifndef TNB_FSUTIL_H
#define TNB_FSUTIL_H

#include "util.h"

/* What a ".." does when nothing is left to remove. */
enum path_dotdot {
    PATH_DOTDOT_REFUSE,  /* an archive path: climbing above the root is an error */
    PATH_DOTDOT_CLAMP,   /* an absolute host path: "/.." is "/" */
};

/* The lexical normal form of a path, without a leading "/": components joined by one
   "/", no "." or empty components, each ".." removing the component before it.
   "/a/./b//../c/" gives "a/c"; "/" and "a/.." give "" (the caller decides whether an
   empty path means anything). Returns 0 and sets *out (caller frees), or -1 when a ".."
   would climb above the start under PATH_DOTDOT_REFUSE (*out untouched). */
int path_normalise(const char *in, enum path_dotdot dotdot, char **out);

/* 1 if s is a path inside a tree: relative, non-empty, no ".." component and no empty
   one ("a//b"; a trailing "/" is fine); else 0. */
int path_is_inside(const char *s);

/* The name of the directory holding path: "busybox" for "recipes/busybox/recipe". */
char *parent_dir_name(const char *path);

/* dir + "/" + name (no doubled "/" when dir ends in one); dir NULL or "" gives name. */
char *join_path(const char *dir, const char *name);

/* The names in dir except "." and "..", sorted bytewise (so that every caller that
   walks a directory sees a stable order). -1 + diag (EXIT_BUILD) if it cannot be read. */
int list_dir_sorted(const char *dir, struct strv *names, struct diag *d);

/* The next line of *text (without its "\n") as a new string, and *text moved past it;
   NULL at the end of the text. A last line without "\n" is a line; "" has none. */
char *next_line(const char **text);

/* A file mode written in octal: one or more digits 0-7 and nothing else (no sign, no
   blanks, no "0x"), at most 07777. 0 and *mode set, or -1. The one parser behind every
   MODE the user writes (spec lines, --entry, --file SRC:DEST:MODE). */
int parse_octal_mode(const char *s, unsigned *mode);

#endif
