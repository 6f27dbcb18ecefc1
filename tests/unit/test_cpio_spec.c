/* test_cpio_spec.c — gen_init_cpio-style spec lines (cpio_spec.h): every line type,
 * every refusal with its exact message, and the check of a `file` line's source. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cpio_spec.h"
#include "tap.h"

static void test_spec_errors(struct tap *t)
{
    static const struct {
        const char *line, *msg;
    } cases[] = {
        {"nod dev/console 0600 0 0", "nod: expected 8 fields, got 5"},
        {"nod dev/console 0600 0 0 c 5 1 9", "nod: expected 8 fields, got 9"},
        {"file a", "file: expected 6 fields, got 2"},
        {"file a b 0644 0 0 a2", "file: expected 6 fields, got 7"},
        {"dir a 0755 0", "dir: expected 5 fields, got 4"},
        {"slink a b 0777 0", "slink: expected 6 fields, got 5"},
        {"pipe a 0600 0 0 0", "pipe: expected 5 fields, got 6"},
        {"sock a", "sock: expected 5 fields, got 2"},
        {"dir a 0x12 0 0", "bad mode \"0x12\" (expected octal, at most 07777)"},
        {"dir a 0758 0 0", "bad mode \"0758\" (expected octal, at most 07777)"},
        {"dir a 10000 0 0", "bad mode \"10000\" (expected octal, at most 07777)"},
        {"dir a -755 0 0", "bad mode \"-755\" (expected octal, at most 07777)"},
        {"dev a 0600 0 0", "unknown entry type \"dev\""},
        {"nod a 0600 0 0 x 5 1", "bad device type \"x\" (expected c or b)"},
        {"nod a 0600 0 0 cb 5 1", "bad device type \"cb\" (expected c or b)"},
        {"nod a 0600 0 0 c five 1", "bad major \"five\" (expected a decimal number)"},
        {"nod a 0600 0 0 b 5 0x1", "bad minor \"0x1\" (expected a decimal number)"},
        {"nod a 0600 0 0 c 4096 1", "bad major \"4096\" (at most 4095)"},
        {"nod a 0600 0 0 c 1 1048576", "bad minor \"1048576\" (at most 1048575)"},
        {"dir a 0755 -1 0", "bad uid \"-1\" (expected a decimal number)"},
        {"dir a 0755 0 4294967296", "bad gid \"4294967296\" (at most 4294967295)"},
        {"dir a 0755 99999999999999999999999 0",
         "bad uid \"99999999999999999999999\" (at most 4294967295)"},
        {"dir ../a 0755 0 0", "path \"../a\" escapes the archive root"},
        {"dir / 0755 0 0", "empty path \"/\""},
        {"", "empty line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cpio_entry e;
        struct diag d = {0};
        int r = cpio_parse_spec_line(cases[i].line, NULL, &e, &d);
        ok(t, r == -1 && d.status == EXIT_INPUT, "\"%s\" is refused", cases[i].line);
        is_str(t, d.msg, cases[i].msg, "... with the message");
    }
}

static void test_spec_parsing(struct tap *t)
{
    struct cpio_entry e;
    struct diag d = {0};
    ok(t, cpio_spec_line_is_blank("") && cpio_spec_line_is_blank("  \t\n") &&
              cpio_spec_line_is_blank("# nod x") && cpio_spec_line_is_blank("  # x"),
       "blank and comment lines are recognised");
    ok(t, !cpio_spec_line_is_blank("dir a 0755 0 0"), "a spec line is not blank");

    is_int(t, cpio_parse_spec_line("file /sbin/init init.sh 0755 0 0\n", "/base", &e, &d), 0,
           "file line parses (trailing newline)");
    ok(t, e.type == CPIO_FILE && e.perm == 0755 && !e.origin, "... type, perm, no origin");
    is_str(t, e.path, "sbin/init", "... path normalised");
    is_str(t, e.src_path, "/base/init.sh", "... location joined to base_dir");
    cpio_entry_free(&e);

    cpio_parse_spec_line("file a /abs/x 0644 0 0", "/base", &e, &d);
    is_str(t, e.src_path, "/abs/x", "an absolute location is kept");
    cpio_entry_free(&e);
    cpio_parse_spec_line("file a rel/x 0644 0 0", NULL, &e, &d);
    is_str(t, e.src_path, "rel/x", "without base_dir, a relative location is kept");
    cpio_entry_free(&e);

    is_int(t, cpio_parse_spec_line("nod\tdev/sda\t0660 0 6 b 8 1\r\n", NULL, &e, &d), 0,
           "nod line parses (tabs, CRLF)");
    ok(t, e.type == CPIO_BLK && e.perm == 0660 && e.gid == 6 && e.rmajor == 8 && e.rminor == 1,
       "... block device 8:1, gid 6");
    cpio_entry_free(&e);
    cpio_parse_spec_line("nod dev/console 0600 0 0 c 5 1", NULL, &e, &d);
    ok(t, e.type == CPIO_CHR && e.rmajor == 5 && e.rminor == 1, "c gives a char device");
    cpio_entry_free(&e);

    cpio_parse_spec_line("slink bin/sh ../x//busybox 0777 1 2", NULL, &e, &d);
    ok(t, e.type == CPIO_SYMLINK && e.uid == 1 && e.gid == 2, "slink parses");
    is_str(t, e.link_target, "../x//busybox", "... target verbatim");
    cpio_entry_free(&e);

    cpio_parse_spec_line("dir tmp 1777 0 0", NULL, &e, &d);
    ok(t, e.type == CPIO_DIR && e.perm == 01777, "dir parses, sticky bit kept");
    cpio_entry_free(&e);
    cpio_parse_spec_line("pipe run/fifo 0600 4294967295 0", NULL, &e, &d);
    ok(t, e.type == CPIO_FIFO && e.uid == 4294967295u, "pipe parses, uid up to 2^32-1");
    cpio_entry_free(&e);
    cpio_parse_spec_line("sock run/log 0666 0 0", NULL, &e, &d);
    ok(t, e.type == CPIO_SOCK && e.perm == 0666, "sock parses");
    cpio_entry_free(&e);
}

static void test_check_source(struct tap *t)
{
    struct cpio_entry e;
    struct diag d = {0};
    cpio_parse_spec_line("file etc/x /nonexistent/tnb/x 0644 0 0", NULL, &e, &d);
    ok(t, cpio_entry_check_source(&e, &d) == -1 && d.status == EXIT_INPUT &&
              strstr(d.msg, "file source \"/nonexistent/tnb/x\""),
       "a missing file source is bad input (%s)", d.msg);
    cpio_entry_free(&e);
    d = (struct diag){0};
    cpio_parse_spec_line("file etc/x /tmp 0644 0 0", NULL, &e, &d);
    ok(t, cpio_entry_check_source(&e, &d) == -1 && d.status == EXIT_INPUT && strstr(d.msg, "is not a regular file"),
       "a directory as file source is bad input (%s)", d.msg);
    cpio_entry_free(&e);
    d = (struct diag){0};
    cpio_parse_spec_line("dir etc 0755 0 0", NULL, &e, &d);
    is_int(t, cpio_entry_check_source(&e, &d), 0, "other types have no source to check");
    cpio_entry_free(&e);
}

int main(void)
{
    struct tap t = {0};
    test_spec_errors(&t);
    test_spec_parsing(&t);
    test_check_source(&t);
    return tap_done(&t);
}
