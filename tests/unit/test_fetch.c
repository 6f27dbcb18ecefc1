/* test_fetch.c — the pure parts of fetch.h: which debian-deb members name a
 * directory of the .deb (packed by the fetcher as a tar), and where a source file
 * lives in the cache. Downloads are tested against a real apt in tests/pins. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "tap.h"

static void test_member_is_dir(struct tap *t)
{
    ok(t, fetch_member_is_dir("lib/firmware/rtl_nic/"), "\"lib/firmware/rtl_nic/\" names a directory");
    ok(t, fetch_member_is_dir("rtl_nic/"), "\"rtl_nic/\" names a directory");
    ok(t, !fetch_member_is_dir("usr/src/linux-source-6.1.tar.xz"), "a tarball member is a file");
    ok(t, !fetch_member_is_dir("busybox_1.35.0.orig.tar.bz2"), "a debian-src file is a file");
    ok(t, !fetch_member_is_dir("/") && !fetch_member_is_dir(""), "\"/\" and \"\" are not directory members");
}

static void test_cached_path(struct tap *t)
{
    static const struct {
        const char *file, *want;
    } cases[] = {
        {"busybox_1.35.0.orig.tar.bz2", "/c/sources/abc/busybox_1.35.0.orig.tar.bz2"},
        {"usr/src/linux-source-6.1.tar.xz", "/c/sources/abc/linux-source-6.1.tar.xz"},
        {"lib/firmware/rtl_nic/", "/c/sources/abc/rtl_nic.tar"},
        {"rtl_nic/", "/c/sources/abc/rtl_nic.tar"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = fetch_cached_path("/c", "abc", cases[i].file);
        is_str(t, p, cases[i].want, "cached as %s: %s", cases[i].want + strlen("/c/sources/abc/"), cases[i].file);
        free(p);
    }
}

int main(void)
{
    struct tap t = {0};
    test_member_is_dir(&t);
    test_cached_path(&t);
    return tap_done(&t);
}
