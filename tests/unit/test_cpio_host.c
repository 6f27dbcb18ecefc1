/* test_cpio_host.c — a host directory packed into a layer (issue 15, defect 4):
 * a file swapped for a symlink (or another file) between the scan and the
 * write must not leak what the link points to; the write fails naming it. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "hosttree.h"
#include "tap.h"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static int contains(const struct buf *b, const char *s)
{
    return b->data && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

int main(void)
{
    struct tap t = {0};
    char dir[] = "/tmp/tnb-test-cpio-host.XXXXXX";
    if (!mkdtemp(dir))
        tap_bail_out(&t, "mkdtemp failed");
    char *tree_dir = xasprintf("%s/tree", dir), *etc = xasprintf("%s/tree/etc", dir);
    char *motd = xasprintf("%s/motd", etc), *secret = xasprintf("%s/host-secret", dir);
    char *other = xasprintf("%s/other", dir);
    mkdir(tree_dir, 0755);
    mkdir(etc, 0755);
    put(motd, "hello\n");
    put(secret, "HOST-SECRET-42\n");
    chmod(secret, 0600);

    struct cpio_tree tr = {0};
    struct buf out = {0};
    struct diag d = {0};
    ok(&t, cpio_add_host_tree(&tr, tree_dir, "", CPIO_DUP_REPLACE, &d) == 0, "scan the directory");
    ok(&t, cpio_write(&tr, 1700000000, &out, &d) == 0 && contains(&out, "hello"), "unchanged: packs");
    buf_free(&out);

    /* swap the scanned file for a symlink to a host secret */
    unlink(motd);
    if (symlink(secret, motd) < 0)
        tap_bail_out(&t, "symlink failed");
    d = (struct diag){0};
    ok(&t, cpio_write(&tr, 1700000000, &out, &d) < 0, "a file swapped for a symlink after the scan: the write fails");
    ok(&t, strstr(d.msg, motd) != NULL, "... naming the path (%s)", d.msg);
    ok(&t, !contains(&out, "HOST-SECRET-42"), "... and the link's target is nowhere in the output");

    /* swap it for another regular file (a rename over it) */
    put(other, "other file\n");   /* made before the old one goes: a different inode */
    unlink(motd);
    rename(other, motd);
    d = (struct diag){0};
    buf_free(&out);
    ok(&t, cpio_write(&tr, 1700000000, &out, &d) < 0 && strstr(d.msg, motd) != NULL,
       "a file replaced by another after the scan: the write fails naming it (%s)", d.msg);

    /* a parent directory swapped for a symlink to a directory with the same name inside */
    char *etc2 = xasprintf("%s/etc2", dir), *motd2 = xasprintf("%s/etc2/motd", dir);
    cpio_tree_free(&tr);
    ok(&t, cpio_add_host_tree(&tr, tree_dir, "", CPIO_DUP_REPLACE, &d) == 0, "scan again");
    mkdir(etc2, 0755);
    put(motd2, "HOST-SECRET-42\n");
    unlink(motd);
    rmdir(etc);
    if (symlink(etc2, etc) < 0)
        tap_bail_out(&t, "symlink failed");
    d = (struct diag){0};
    buf_free(&out);
    ok(&t, cpio_write(&tr, 1700000000, &out, &d) < 0 && !contains(&out, "HOST-SECRET-42"),
       "a parent directory swapped for a symlink: the write fails (%s)", d.msg);

    buf_free(&out);
    cpio_tree_free(&tr);
    struct diag rmd = {0};
    rm_rf(dir, &rmd);
    free(tree_dir);
    free(etc);
    free(motd);
    free(secret);
    free(other);
    free(etc2);
    free(motd2);
    return tap_done(&t);
}
