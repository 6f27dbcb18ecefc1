/* test_util.c — write_file_atomic never writes through a planted file or
 * symlink (issue 15, defect 3): not at the old predictable temp name
 * PATH.tmp.<pid>, not at the target itself. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static char *slurp(const char *path)
{
    struct buf b = {0};
    struct diag d = {0};
    if (read_file(path, &b, &d) < 0)
        return NULL;
    return (char *)b.data ? (char *)b.data : calloc(1, 1);
}

static void put(const char *path, const char *text, int mode)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, (mode_t)mode);
}

static int count_entries(const char *dir)
{
    DIR *dh = opendir(dir);
    int n = 0;
    for (struct dirent *e; dh && (e = readdir(dh));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (dh)
        closedir(dh);
    return n;
}

static int is_regular_with_mode(const char *path, int mode)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (int)(st.st_mode & 07777) == mode;
}

int main(void)
{
    struct tap t = {0};
    struct diag d = {0};
    char dir[] = "/tmp/tnb-test-util.XXXXXX";
    if (!mkdtemp(dir))
        tap_bail_out(&t, "mkdtemp failed");
    char *outside = xasprintf("%s/outside", dir), *target = xasprintf("%s/site.cpio.xz", dir);
    char *old_tmp = xasprintf("%s.tmp.%ld", target, (long)getpid());
    put(outside, "precious\n", 0644);

    /* someone who can write the directory plants a link at the old temp name */
    if (symlink(outside, old_tmp) < 0)
        tap_bail_out(&t, "symlink failed");
    ok(&t, write_file_atomic(target, "secret\n", 7, 0600, &d) == 0, "write succeeds with a link at PATH.tmp.<pid>");
    char *text = slurp(outside);
    is_str(&t, text, "precious\n", "the file the planted temp link points to is untouched");
    free(text);
    ok(&t, is_regular_with_mode(outside, 0644), "... and keeps its mode (no chmod through the link)");
    ok(&t, is_regular_with_mode(target, 0600), "the target is a new regular file, mode 0600");
    text = slurp(target);
    is_str(&t, text, "secret\n", "... holding the data");
    free(text);
    unlink(old_tmp);
    unlink(target);

    /* a link at the target itself is replaced, never written through */
    if (symlink(outside, target) < 0)
        tap_bail_out(&t, "symlink failed");
    ok(&t, write_file_atomic(target, "secret\n", 7, 0600, &d) == 0, "write succeeds over a symlinked target");
    text = slurp(outside);
    is_str(&t, text, "precious\n", "the symlinked target's destination is untouched");
    free(text);
    ok(&t, is_regular_with_mode(target, 0600), "the link was replaced by a regular file");

    /* write_file_if_changed must not keep a link that happens to point at the same bytes */
    unlink(target);
    if (symlink(outside, target) < 0)
        tap_bail_out(&t, "symlink failed");
    ok(&t, write_file_if_changed(target, "precious\n", 9, 0644, &d) == 0, "write_file_if_changed over a symlink");
    ok(&t, is_regular_with_mode(target, 0644), "... replaces the link by a regular file");

    is_int(&t, count_entries(dir), 2, "no temp file is left behind (outside and the target only)");

    /* failure: the directory does not exist; nothing is created */
    char *nodir = xasprintf("%s/missing/file", dir);
    ok(&t, write_file_atomic(nodir, "x", 1, 0644, &d) < 0 && d.status == EXIT_BUILD, "a missing directory fails cleanly");
    is_int(&t, count_entries(dir), 2, "... and leaves nothing behind");

    struct diag rmd = {0};
    rm_rf(dir, &rmd);
    free(nodir);
    free(outside);
    free(target);
    free(old_tmp);
    return tap_done(&t);
}
