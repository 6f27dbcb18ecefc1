/* test_secret.c - secret_read() (recipes/fbvnc-viewer/src/secret.c) on the
 * host, built with ASan+UBSan by tests/viewer/test-viewer-host.sh (TAP).
 *
 * secret.c is compiled with -ftrivial-auto-var-init=pattern, so a read of an
 * uninitialised buffer does not stop at a lucky NUL: an empty file used to
 * make strcspn() run off line[] (issue 15, defect 2), which ASan reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"

static int n, failed;

static void check(int cond, const char *what)
{
    n++;
    if (!cond)
        failed++;
    printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
}

static char *read_file_with(const char *dir, const char *content, size_t len, char *err, size_t errlen)
{
    char path[512];
    snprintf(path, sizeof path, "%s/passwd", dir);
    FILE *f = fopen(path, "w");
    if (!f || fwrite(content, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    return secret_read(path, err, errlen);
}

int main(void)
{
    char dir[] = "/tmp/tnb-secret.XXXXXX", err[160];
    if (!mkdtemp(dir))
        return 1;
    char *s;

    err[0] = '\0';
    s = read_file_with(dir, "", 0, err, sizeof err);
    check(s == NULL && strstr(err, "is empty") != NULL, "empty file: no password, \"is empty\"");
    free(s);

    err[0] = '\0';
    s = read_file_with(dir, "\n", 1, err, sizeof err);
    check(s == NULL && strstr(err, "is empty") != NULL, "a lone newline: no password, \"is empty\"");
    free(s);

    s = read_file_with(dir, "s3cret\r\nsecond line\n", 20, err, sizeof err);
    check(s != NULL && strcmp(s, "s3cret") == 0, "first line without CR/LF");
    free(s);

    s = read_file_with(dir, "nonewline", 9, err, sizeof err);
    check(s != NULL && strcmp(s, "nonewline") == 0, "no trailing newline");
    free(s);

    char big[400];
    memset(big, 'x', sizeof big);
    s = read_file_with(dir, big, sizeof big, err, sizeof err);
    check(s != NULL && strlen(s) < sizeof big, "a line longer than the buffer is cut, not overrun");
    free(s);

    char path[512];
    snprintf(path, sizeof path, "%s/passwd", dir);
    unlink(path);
    err[0] = '\0';
    s = secret_read(path, err, sizeof err);
    check(s == NULL && strstr(err, "no password") != NULL, "missing file: no password, with a reason");
    rmdir(dir);
    printf("1..%d\n", n);
    return failed != 0;
}
