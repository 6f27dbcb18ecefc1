/* test_fsutil.c — the shared path, directory, line and mode helpers (fsutil.h) and
 * xstrndup (util.h): one normaliser for archive and host paths, one octal-mode parser
 * for every MODE the user writes, one line reader. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "tap.h"

static void test_normalise_refuse(struct tap *t)
{
    static const struct {
        const char *in, *want;  /* want NULL: refused */
    } cases[] = {
        {"/./a//b/", "a/b"}, {"a/../b", "b"}, {"a/b/../../c", "c"}, {"..a/b..", "..a/b.."},
        {"", ""},            {"/", ""},       {"a/..", ""},         {"//.//", ""},
        {"..", NULL},        {"../x", NULL},  {"a/../../b", NULL},  {"/..", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        int r = path_normalise(cases[i].in, PATH_DOTDOT_REFUSE, &out);
        if (!cases[i].want) {
            ok(t, r == -1 && out == NULL, "refuse: \"%s\" climbs above the root", cases[i].in);
        } else if (is_int(t, r, 0, "refuse: \"%s\" is fine", cases[i].in)) {
            is_str(t, out, cases[i].want, "refuse: \"%s\"", cases[i].in);
        }
        free(out);
    }
}

static void test_normalise_clamp(struct tap *t)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"/..", ""}, {"/a/../..", ""}, {"/a/../../b", "b"}, {"/a/./b/../c/", "a/c"}, {"/", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        if (is_int(t, path_normalise(cases[i].in, PATH_DOTDOT_CLAMP, &out), 0, "clamp: \"%s\" is fine",
                   cases[i].in))
            is_str(t, out, cases[i].want, "clamp: \"%s\"", cases[i].in);
        free(out);
    }
    char *p = abs_path("/nonexistent-tnb/a/./b/../../..");
    is_str(t, p, "/", "abs_path of a missing path uses the same normaliser, clamped at /");
    free(p);
    p = abs_path("/nonexistent-tnb//x/./y/");
    is_str(t, p, "/nonexistent-tnb/x/y", "abs_path folds \"//\", \".\" and a trailing \"/\"");
    free(p);
}

static void test_inside_and_parent(struct tap *t)
{
    static const struct {
        const char *in;
        int want;
    } cases[] = {
        {"a", 1},  {"a/b", 1},  {"..a/b..", 1}, {"./a", 1}, {"", 0},    {"/a", 0},
        {"..", 0}, {"a/..", 0}, {"a/../b", 0},  {"a//b", 0}, {"a/", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        is_int(t, path_is_inside(cases[i].in), cases[i].want, "inside: \"%s\"", cases[i].in);
    char *s;
    is_str(t, s = parent_dir_name("recipes/busybox/recipe"), "busybox", "parent of recipes/busybox/recipe");
    free(s);
    is_str(t, s = parent_dir_name("recipe"), ".", "parent of a bare name: .");
    free(s);
    is_str(t, s = parent_dir_name("/recipe"), "", "parent of /recipe: the root, no name");
    free(s);
}

static void test_join_path(struct tap *t)
{
    char *s;
    is_str(t, s = join_path(NULL, "x"), "x", "join: no dir");
    free(s);
    is_str(t, s = join_path("", "x"), "x", "join: empty dir");
    free(s);
    is_str(t, s = join_path("a", "x"), "a/x", "join: dir without slash");
    free(s);
    is_str(t, s = join_path("a/", "x"), "a/x", "join: dir with a trailing slash");
    free(s);
}

static void test_next_line(struct tap *t)
{
    const char *text = "one\n\nthree\nlast";
    const char *want[] = {"one", "", "three", "last"};
    size_t n = 0;
    for (char *line; (line = next_line(&text)); free(line), n++)
        if (n < 4)
            is_str(t, line, want[n], "line %zu", n + 1);
    is_int(t, (long long)n, 4, "four lines, the last without a newline");
    const char *empty = "";
    ok(t, next_line(&empty) == NULL, "\"\" has no lines");
    const char *nl = "x\n";
    char *l1 = next_line(&nl);
    is_str(t, l1, "x", "\"x\\n\": one line");
    ok(t, next_line(&nl) == NULL, "... and nothing after the final newline");
    free(l1);
}

static void test_octal_mode(struct tap *t)
{
    static const struct {
        const char *in;
        long long want;  /* -1: refused */
    } cases[] = {
        {"0", 0},       {"644", 0644},  {"0755", 0755}, {"07777", 07777},  {"00000000000644", 0644},
        {"", -1},       {"8", -1},      {"010000", -1}, {"7777777777777777777", -1},
        {" 755", -1},   {"755 ", -1},   {"+755", -1},   {"-1", -1},        {"0x12", -1},
        {"0o755", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned mode = 12345;
        int r = parse_octal_mode(cases[i].in, &mode);
        if (cases[i].want < 0)
            ok(t, r == -1 && mode == 12345, "mode \"%s\" is refused and *mode untouched", cases[i].in);
        else if (is_int(t, r, 0, "mode \"%s\" parses", cases[i].in))
            is_int(t, mode, cases[i].want, "mode \"%s\" is %llo", cases[i].in, cases[i].want);
    }
}

static void test_list_dir(struct tap *t)
{
    char dir[] = "/tmp/tnb-test-fsutil.XXXXXX";
    if (!mkdtemp(dir))
        tap_bail_out(t, "mkdtemp failed");
    const char *names[] = {"b", "a", ".hidden", "c"};
    for (size_t i = 0; i < 4; i++) {
        char *p = join_path(dir, names[i]);
        mkdir(p, 0755);
        free(p);
    }
    struct strv got = {0};
    struct diag d = {0};
    if (is_int(t, list_dir_sorted(dir, &got, &d), 0, "list a directory") && is_int(t, (long long)got.n, 4, "four names"))
        ok(t, !strcmp(got.v[0], ".hidden") && !strcmp(got.v[1], "a") && !strcmp(got.v[2], "b") &&
               !strcmp(got.v[3], "c"), "sorted bytewise, without . and ..");
    strv_free(&got);
    rm_rf(dir, &d);
    ok(t, list_dir_sorted(dir, &got, &d) == -1 && d.status == EXIT_BUILD && strstr(d.msg, dir),
       "a missing directory: EXIT_BUILD naming it (%s)", d.msg);
    strv_free(&got);
}

static void test_xstrndup(struct tap *t)
{
    char *s = xstrndup("abcdef", 3);
    is_str(t, s, "abc", "xstrndup stops at n");
    free(s);
    s = xstrndup("ab", 10);
    is_str(t, s, "ab", "xstrndup stops at the NUL");
    free(s);
}

int main(void)
{
    struct tap t = {0};
    test_normalise_refuse(&t);
    test_normalise_clamp(&t);
    test_inside_and_parent(&t);
    test_join_path(&t);
    test_next_line(&t);
    test_octal_mode(&t);
    test_list_dir(&t);
    test_xstrndup(&t);
    return tap_done(&t);
}
