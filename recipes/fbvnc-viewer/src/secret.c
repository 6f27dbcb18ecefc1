/* secret.c - read the VNC password file (plain text, first line). */
#include "secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *secret_read(const char *path, char *err, size_t errlen)
{
    char line[128] = "";
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "no password: %s: %s", path, strerror(errno));
        return NULL;
    }
    /* an empty file: fgets() returns NULL and leaves line[] as it was */
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0') {
        snprintf(err, errlen, "no password: %s is empty", path);
        return NULL;
    }
    char *copy = strdup(line);
    explicit_bzero(line, sizeof line);
    if (!copy)
        snprintf(err, errlen, "out of memory");
    return copy;
}
