/* test_cpio_read.c — the cpio reader against the writer, and concatenation. */
#include <stdlib.h>
#include <string.h>

#include "cpio.h"
#include "cpio_spec.h"
#include "cpio_read.h"
#include "tap.h"

static void add_line(struct cpio_tree *t, const char *line)
{
    struct cpio_entry e;
    struct diag d = {0};
    memset(&e, 0, sizeof e);
    if (cpio_parse_spec_line(line, ".", &e, &d) == 0)
        cpio_add(t, &e, CPIO_DUP_REPLACE, &d);
    cpio_entry_free(&e);
}

int main(void)
{
    struct tap t = {0};
    struct cpio_tree a = {0}, b = {0}, back = {0};
    struct diag d = {0};
    add_line(&a, "nod /dev/console 0600 0 0 c 5 1");
    add_line(&a, "slink /bin/sh busybox 0777 0 0");
    add_line(&a, "dir /etc 0755 0 0");
    struct cpio_entry f;
    memset(&f, 0, sizeof f);
    f.path = "etc/motd";
    f.type = CPIO_FILE;
    f.perm = 0644;
    buf_puts(&f.data, "hello\n");
    cpio_add(&a, &f, CPIO_DUP_REPLACE, &d);
    buf_free(&f.data);
    add_line(&b, "dir /etc 0755 0 0");
    memset(&f, 0, sizeof f);
    f.path = "etc/motd";
    f.type = CPIO_FILE;
    f.perm = 0600;
    buf_puts(&f.data, "site\n");
    cpio_add(&b, &f, CPIO_DUP_REPLACE, &d);
    buf_free(&f.data);

    struct buf one = {0}, two = {0};
    ok(&t, cpio_write(&a, 1700000000, &one, &d) == 0, "write archive a");
    ok(&t, cpio_write(&b, 1700000000, &two, &d) == 0, "write archive b");
    ok(&t, cpio_read(one.data, one.len, &back, &d) == 0, "read a back");
    is_int(&t, back.n, a.n + 2, "every entry comes back, plus the parents the writer made (bin, dev)");
    int same = 1;
    for (size_t i = 0; same && i < a.n; i++) {
        same = 0;
        for (size_t k = 0; k < back.n; k++)
            if (!strcmp(a.e[i].path, back.e[k].path))
                same = a.e[i].type == back.e[k].type && a.e[i].perm == back.e[k].perm;
    }
    ok(&t, same, "paths, types and modes survive the round trip");
    struct buf again = {0};
    ok(&t, cpio_write(&back, 1700000000, &again, &d) == 0 && again.len == one.len &&
           !memcmp(again.data, one.data, one.len), "re-serialising what was read gives the same bytes");
    cpio_tree_free(&back);

    buf_append(&one, two.data, two.len);   /* a stack: a then b */
    ok(&t, cpio_read(one.data, one.len, &back, &d) == 0, "two concatenated archives read as one stack");
    const struct cpio_entry *motd = NULL;
    for (size_t i = 0; i < back.n; i++)
        if (!strcmp(back.e[i].path, "etc/motd"))
            motd = &back.e[i];
    ok(&t, motd && motd->data.len == 5 && !memcmp(motd->data.data, "site\n", 5) && motd->perm == 0600,
       "the upper archive's file wins, as in the kernel");
    cpio_tree_free(&back);

    struct buf junk = {0};
    buf_puts(&junk, "070701zzzz");
    ok(&t, cpio_read(junk.data, junk.len, &back, &d) < 0, "a truncated header is refused");
    is_int(&t, d.status, EXIT_INPUT, "... as bad input");
    cpio_tree_free(&back);
    buf_free(&junk);
    buf_free(&one);
    buf_free(&two);
    buf_free(&again);
    cpio_tree_free(&a);
    cpio_tree_free(&b);
    return tap_done(&t);
}
