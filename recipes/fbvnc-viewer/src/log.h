/* log.h - messages for the serial console (stderr), and a capture of what
 * libvncclient logs, so that the status screen can say why a connection
 * failed (the library reports errors only as log text). */
#ifndef FBVNC_LOG_H
#define FBVNC_LOG_H

#include <stddef.h>

/* "fbvnc: <message>\n" on stderr. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Route libvncclient's rfbClientLog/rfbClientErr through log_msg and
 * remember the last line it printed. */
void log_hook_library(void);

/* The last line libvncclient logged since log_library_reset(), "" if none. */
const char *log_library_last(void);
void log_library_reset(void);

/* Nonzero when s contains needle, ignoring ASCII case. */
int log_contains_nocase(const char *s, const char *needle);

#endif
