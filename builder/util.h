/* util.h — small shared helpers: diagnostics, growable buffers, files.
 *
 * Error model: functions that can fail take a `struct diag *` and return -1
 * after filling it (status 1 = build failure, 2 = bad input); main() prints
 * "tinynetboot: <msg>" and exits with the status. No global state. */
#ifndef TNB_UTIL_H
#define TNB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { EXIT_BUILD = 1, EXIT_INPUT = 2 };

struct diag {
    int status;          /* 0 while no error */
    char msg[2048];
};

/* Fill d (printf-style) and return -1, so callers can `return diag_fail(...)`. */
int diag_fail(struct diag *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same, prefixed with "FILE:LINE: " (the form of every bad-input message). */
int diag_fail_at(struct diag *d, int status, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same with a va_list, for a parser's own error function (its path and line). */
int vdiag_fail_at(struct diag *d, int status, const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* 1 if s can go verbatim into a PXELINUX/iPXE/GRUB line or a DHCP config:
 * printable ASCII without quotes, '$', '`', '\\', ';', '{', '}', '&', '|'
 * or '#' (iPXE reads the words "&&" and "||" as operators, ";" as a command
 * separator and a word starting with "#" as a comment, and has no quoting;
 * '&' and '|' are GRUB metacharacters too). Else 0, and *bad (if given) is
 * the first offending character. */
int menu_text_ok(const char *s, char *bad);
/* menu_text_ok, and none of '<', '>', '(' or ')': a kernel command line sits
 * unquoted on GRUB's `linux` line, where those are metacharacters. */
int cmdline_text_ok(const char *s, char *bad);

/* Growable byte buffer; data is always NUL-terminated for convenience. */
struct buf {
    unsigned char *data;
    size_t len, cap;
};
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* Allocation that aborts on out-of-memory (the only sane reaction in a CLI). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* At most n bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable array of owned strings. */
struct strv {
    char **v;
    size_t n, cap;
};
void strv_push(struct strv *s, const char *str);       /* copies str */
void strv_push_owned(struct strv *s, char *str);       /* takes str */
void strv_free(struct strv *s);
int strv_contains(const struct strv *s, const char *str);
void strv_sort(struct strv *s);

/* Whole-file read into b (appends). -1 + diag (status 1) on error. */
int read_file(const char *path, struct buf *b, struct diag *d);
/* 0 if b holds no NUL byte (text files must not), else the 1-based line of the first. */
int buf_nul_line(const struct buf *b);
/* The same from an open fd (not closed); name is for messages. */
int read_fd(int fd, const char *name, struct buf *b, struct diag *d);
/* Write data to path atomically: a new temp file beside it (mkostemp,
 * "path.tmp.XXXXXX": exclusive, never through a planted file or symlink),
 * fchmod to mode, fsync, rename over path (a symlink at path is replaced,
 * never followed); on failure the temp file is removed. */
int write_file_atomic(const char *path, const void *data, size_t n, int mode, struct diag *d);
/* Like write_file_atomic, but leaves the file alone if it already holds these bytes. */
int write_file_if_changed(const char *path, const void *data, size_t n, int mode, struct diag *d);
int mkdir_p(const char *path, struct diag *d);
int rm_rf(const char *path, struct diag *d);
int path_exists(const char *path);
int is_dir(const char *path);
/* Absolute, normalised-enough form of path (realpath when it exists). */
char *abs_path(const char *path);
/* The directory part of path (newly allocated). */
char *dir_name(const char *path);

#endif
