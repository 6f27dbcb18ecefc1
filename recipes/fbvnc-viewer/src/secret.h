/* secret.h - the VNC password, from a file a site layer provides
 * (never from the kernel command line, which anyone can read). */
#ifndef FBVNC_SECRET_H
#define FBVNC_SECRET_H

#include <stddef.h>

/* The first line of path (without CR/LF) in a malloc()ed string the caller
 * wipes and frees, or NULL with a reason in err (missing, empty, unreadable).
 * VNC authentication uses the first 8 characters. */
char *secret_read(const char *path, char *err, size_t errlen);

#endif
