/* log.c - console messages and the capture of libvncclient's log lines.
 *
 * libvncclient reports through two global function pointers (rfbClientLog,
 * rfbClientErr) that get no user data, so the captured line has to live in
 * a file-scope buffer: the only mutable global here, and the viewer is
 * single-threaded. */
#include "log.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rfb/rfbclient.h>

static char library_last[160];

/* One console line, written with one write(): the console is shared (rcS, a
 * shell prompt, the kernel), and a line written in pieces gets their text in
 * the middle of it. */
static void write_line(const char *prefix, const char *text, const char *end)
{
    char line[1024];
    snprintf(line, sizeof line, "%s%s%s", prefix, text, end);
    fputs(line, stderr);
}

void log_msg(const char *fmt, ...)
{
    char text[1000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    write_line("fbvnc: ", text, "\n");
}

/* Keep a copy without the trailing newline; blank lines do not count. */
static void remember(const char *line)
{
    size_t n = strcspn(line, "\n");
    if (n == 0)
        return;
    if (n >= sizeof library_last)
        n = sizeof library_last - 1;
    memcpy(library_last, line, n);
    library_last[n] = '\0';
}

static void library_log(const char *fmt, ...)
{
    char line[sizeof library_last];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *c = line; *c; c++)   /* server-sent reasons end up here: no control codes */
        if ((unsigned char)*c < 0x20 ? *c != '\n' : (unsigned char)*c >= 0x7f)
            *c = '?';
    remember(line);
    if (line[0] != '\0' && line[0] != '\n')
        write_line("fbvnc: vnc: ", line, strchr(line, '\n') ? "" : "\n");
}

void log_hook_library(void)
{
    rfbClientLog = library_log;
    rfbClientErr = library_log;
}

const char *log_library_last(void)
{
    return library_last;
}

void log_library_reset(void)
{
    library_last[0] = '\0';
}

int log_contains_nocase(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] && tolower((unsigned char)s[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}
