/* test_recipe.c — unit tests of the recipe parser (builder/recipe.c). */
#include <stdlib.h>
#include <string.h>

#include "recipe.h"
#include "tap.h"

static const char good_package[] =
    "# a comment\n"
    "name     busybox   # trailing comment\n"
    "kind     package\n"
    "version  1:1.35.0-4\n"
    "source   debian-src busybox busybox_1.35.0.orig.tar.bz2\n"
    "sha256   faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694\n"
    "license  GPL-2.0-only\n"
    "depends  musl\n"
    "depends  linux-headers\n"
    "build    build\n";

static const char good_layer[] =
    "name base\nkind layer\npackages busybox\noverlay overlays/base\n"
    "kconfig kernel-configs/net.config kernel-configs/console.config\n"
    "entry  nod /dev/console 0600 0 0 c 5 1  \n"
    "budget 300000\n";

/* Parse text as recipes/<dir>/recipe and return the message (or "" on success). */
static const char *parse_msg(const char *dir, const char *text, struct diag *d, int *status)
{
    char path[256];
    snprintf(path, sizeof path, "recipes/%s/recipe", dir);
    struct recipe r;
    memset(d, 0, sizeof *d);
    int rc = recipe_parse(path, text, &r, d);
    *status = rc < 0 ? d->status : 0;
    recipe_free(&r);
    return rc < 0 ? d->msg : "";
}

static void expect_error(struct tap *t, const char *dir, const char *text, const char *msg)
{
    struct diag d;
    int status;
    const char *got = parse_msg(dir, text, &d, &status);
    is_str(t, got, msg, "error: %s", msg);
    is_int(t, status, EXIT_INPUT, "... is a bad-input error (exit 2)");
}

static void test_good_package(struct tap *t)
{
    struct recipe r;
    struct diag d = {0};
    ok(t, recipe_parse("recipes/busybox/recipe", good_package, &r, &d) == 0, "a full package recipe parses");
    is_str(t, r.name, "busybox", "name");
    is_int(t, r.kind, KIND_PACKAGE, "kind");
    is_str(t, r.version, "1:1.35.0-4", "version with an epoch");
    is_int(t, r.source_type, SOURCE_DEBIAN_SRC, "source type");
    is_str(t, r.source_package, "busybox", "source package");
    is_str(t, r.source_file, "busybox_1.35.0.orig.tar.bz2", "source file");
    is_int(t, r.depends.n, 2, "repeated depends accumulate");
    is_str(t, r.depends.v[1], "linux-headers", "... in order");
    is_int(t, r.key_line[KEY_BUILD], 10, "line numbers are kept per key");
    is_str(t, r.dir, "recipes/busybox", "dir");
    recipe_free(&r);
}

static void test_good_layer(struct tap *t)
{
    struct recipe r;
    struct diag d = {0};
    ok(t, recipe_parse("recipes/base/recipe", good_layer, &r, &d) == 0, "a layer recipe parses");
    is_int(t, r.kconfig.n, 2, "two fragments on one line");
    is_int(t, r.n_entries, 1, "one entry");
    is_str(t, r.entries[0].text, "nod /dev/console 0600 0 0 c 5 1", "entry text kept verbatim, trimmed");
    is_int(t, r.entries[0].line, 6, "entry line");
    is_int(t, r.budget, 300000, "budget");
    is_str(t, r.package_trees.v[0], "target", "a package's target tree by default");
    recipe_free(&r);
    ok(t, recipe_parse("recipes/x/recipe", "name x\nkind layer\nbudget 1\npackages busybox:rescue dropbear\n", &r, &d) == 0,
       "packages NAME:TREE parses");
    is_str(t, r.packages.v[0], "busybox", "... the package name");
    is_str(t, r.package_trees.v[0], "rescue", "... its tree");
    is_str(t, r.package_trees.v[1], "target", "... and target for the next");
    recipe_free(&r);
}

static void test_errors(struct tap *t)
{
    expect_error(t, "x", "name x\nkind package\nverison 1\n", "recipes/x/recipe:3: unknown key \"verison\"");
    expect_error(t, "x", "name x\nkind gadget\n", "recipes/x/recipe:2: unknown kind \"gadget\" (package, kernel, layer, release or image)");
    expect_error(t, "x", "kind layer\nbudget 1\n", "recipes/x/recipe:1: missing \"name\"");
    expect_error(t, "x", "name x\nbudget 1\n", "recipes/x/recipe:1: missing \"kind\"");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\nbudget 2\n", "recipes/x/recipe:4: budget given twice (first on line 3)");
    expect_error(t, "x", "name x\nkind layer\nbudget -5\n", "recipes/x/recipe:3: budget must be a positive number of bytes, not \"-5\"");
    expect_error(t, "x", "name x\nkind layer\nbudget 99999999999999999999\n", "recipes/x/recipe:3: budget must be a positive number of bytes, not \"99999999999999999999\"");
    expect_error(t, "x", "name x\nkind layer\n", "recipes/x/recipe:2: a layer recipe needs \"budget\"");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\narch i386\n", "recipes/x/recipe:4: \"arch\" does not apply to a layer recipe");
    expect_error(t, "x", "name X\nkind layer\n", "recipes/x/recipe:1: bad name \"X\" (lower-case letters, digits and '-')");
    expect_error(t, "y", "name x\nkind layer\nbudget 1\n", "recipes/y/recipe:1: name \"x\" does not match its directory \"y\"");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\noverlay /etc\n", "recipes/x/recipe:4: \"/etc\" must be a relative path inside the tree");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\nkconfig a/../../b\n", "recipes/x/recipe:4: \"a/../../b\" must be a relative path inside the tree");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\npackages a a\n", "recipes/x/recipe:4: \"a\" is listed twice");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\npackages a:B\n", "recipes/x/recipe:4: bad package \"a:B\" (NAME or NAME:TREE; lower-case letters, digits and '-')");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\npackages a:\n", "recipes/x/recipe:4: bad package \"a:\" (NAME or NAME:TREE; lower-case letters, digits and '-')");
    expect_error(t, "x", "name x\nkind layer\nbudget 1\npackages a:x a:y\n", "recipes/x/recipe:4: \"a\" is listed twice");
    expect_error(t, "x", "name x\nkind layer\nbudget\n", "recipes/x/recipe:3: budget needs 1 value");
    expect_error(t, "x", "name x\nkind layer\nbudget 1 2\n", "recipes/x/recipe:3: budget takes 1 value, got 2");
    expect_error(t, "x", "name x\nkind package\nsource git foo bar\n", "recipes/x/recipe:3: unknown source type \"git\" (debian-src, debian-deb, recipe or local)");
    expect_error(t, "x", "name x\nkind package\nsource debian-src foo a/b.tar\n", "recipes/x/recipe:3: debian-src file \"a/b.tar\" must be a plain file name");
    expect_error(t, "x", "name x\nkind package\nsha256 ABCDEF\n", "recipes/x/recipe:3: sha256 must be 64 lower-case hex digits");
    expect_error(t, "x", "name x\nkind package\nbuild ../evil\n", "recipes/x/recipe:3: build script \"../evil\" must be a file beside the recipe");
    expect_error(t, "x", "name x\nkind kernel\narch sparc\n", "recipes/x/recipe:3: unsupported arch \"sparc\" (i386 or x86_64)");
    expect_error(t, "x", "name x\nkind release\nkernels k\n", "recipes/x/recipe:2: a release recipe needs \"layers\"");
}

static void test_local_source(struct tap *t)
{
    struct recipe r;
    struct diag d = {0};
    ok(t, recipe_parse("recipes/v/recipe", "name v\nkind package\nsource local src\nlicense MIT\nbuild build\n", &r, &d) == 0,
       "a local source needs no version or sha256");
    is_int(t, r.source_type, SOURCE_LOCAL, "... source type local");
    is_str(t, r.source_file, "src", "... its directory");
    recipe_free(&r);
    expect_error(t, "v", "name v\nkind package\nsource local src\nsha256 7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4\nlicense MIT\nbuild b\n",
                 "recipes/v/recipe:4: \"sha256\" does not apply to a local source");
    expect_error(t, "v", "name v\nkind package\nsource local ../x\n", "recipes/v/recipe:3: expected: source local DIR (a directory beside the recipe)");
    expect_error(t, "v", "name v\nkind package\nsource debian-src x\n", "recipes/v/recipe:3: expected: source debian-src|debian-deb PACKAGE FILE");
}

/* One source, one pin: a recipe may take another recipe's pinned source, and a
 * new recipe may have no pin yet (neither version nor sha256). */
static void test_recipe_source(struct tap *t)
{
    struct recipe r;
    struct diag d = {0};
    ok(t, recipe_parse("recipes/h/recipe", "name h\nkind package\nsource recipe linux\nlicense MIT\nbuild build\n", &r, &d) == 0,
       "source recipe NAME needs no version or sha256");
    is_int(t, r.source_type, SOURCE_RECIPE, "... source type recipe");
    is_str(t, r.source_package, "linux", "... names the recipe that pins it");
    recipe_free(&r);
    expect_error(t, "h", "name h\nkind package\nsource recipe linux\nversion 1\nlicense MIT\nbuild b\n",
                 "recipes/h/recipe:4: \"version\" does not apply to a recipe source");
    expect_error(t, "h", "name h\nkind package\nsource recipe Linux\n",
                 "recipes/h/recipe:3: expected: source recipe NAME (the recipe that pins the source)");
    ok(t, recipe_parse("recipes/n/recipe", "name n\nkind package\nsource debian-src n n_1.orig.tar.gz\nlicense MIT\nbuild b\n",
                       &r, &d) == 0, "a Debian source with no pin yet parses (`pin` adds it)");
    ok(t, r.version == NULL && r.sha256 == NULL, "... with neither version nor sha256");
    recipe_free(&r);
    expect_error(t, "n", "name n\nkind package\nsource debian-src n n_1.orig.tar.gz\nversion 1-1\nlicense MIT\nbuild b\n",
                 "recipes/n/recipe:2: a package recipe needs \"sha256\"");
    /* a directory of a .deb (firmware's loose files): the member ends in '/' */
    ok(t, recipe_parse("recipes/f/recipe", "name f\nkind package\nsource debian-deb firmware-realtek lib/firmware/rtl_nic/\n"
                       "license MIT\nbuild b\n", &r, &d) == 0, "a debian-deb directory member (ending in /) parses");
    is_str(t, r.source_file, "lib/firmware/rtl_nic/", "... kept as written");
    recipe_free(&r);
    expect_error(t, "f", "name f\nkind package\nsource debian-deb f lib//rtl_nic/\n",
                 "recipes/f/recipe:3: debian-deb member \"lib//rtl_nic/\" must be a relative path without . or .. components");
    expect_error(t, "f", "name f\nkind package\nsource debian-deb f ./\n",
                 "recipes/f/recipe:3: debian-deb member \"./\" must be a relative path without . or .. components");
    expect_error(t, "f", "name f\nkind package\nsource debian-deb f lib/./x.tar\n",
                 "recipes/f/recipe:3: debian-deb member \"lib/./x.tar\" must be a relative path without . or .. components");
    expect_error(t, "f", "name f\nkind package\nsource debian-deb f /lib/firmware/\n",
                 "recipes/f/recipe:3: debian-deb member \"/lib/firmware/\" must be a relative path without . or .. components");
}

static void test_edge_cases(struct tap *t)
{
    struct diag d;
    int status;
    is_str(t, parse_msg("x", "name x\r\nkind layer\r\nbudget 7\r\n", &d, &status), "", "CRLF line ends are accepted");
    is_str(t, parse_msg("x", "name x\nkind layer\nbudget 7", &d, &status), "", "no final newline is accepted");
    is_str(t, parse_msg("x", "\n\n   # only comments\nname x\n\tkind layer\nbudget 7\n", &d, &status), "",
           "blank lines, comments, leading tabs");
    struct buf big = {0};
    buf_puts(&big, "name x\nkind layer\nbudget 7\npackages");
    for (int i = 0; i < 100; i++)
        buf_printf(&big, " p%d", i);
    buf_puts(&big, "\n");
    is_str(t, parse_msg("x", (char *)big.data, &d, &status), "recipes/x/recipe:4: too many values for packages (at most 63)",
           "too many values is an error, not a silent cut");
    buf_free(&big);
}

int main(void)
{
    struct tap t = {0};
    test_good_package(&t);
    test_good_layer(&t);
    test_errors(&t);
    test_local_source(&t);
    test_recipe_source(&t);
    test_edge_cases(&t);
    return tap_done(&t);
}
