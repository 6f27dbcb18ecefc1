/* test_cpio.c — unit tests for builder/cpio.c (TAP on stdout).
 *
 * Usage: test_cpio [GOLDEN_DIR]     GOLDEN_DIR defaults to tests/unit/golden, i.e. run
 *                                   it from the top of the repository.
 *
 * The golden archives NAME.cpio were written by the kernel's own usr/gen_init_cpio from
 * NAME.spec (see golden/regen.sh); our writer must produce the same bytes from the same
 * spec lines. Host-tree tests work in a fresh directory under $TMPDIR (or /tmp). */
#define _GNU_SOURCE
#include "../../builder/cpio.h"
#include "../../builder/cpio_spec.h"
#include "../../builder/hosttree.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { GOLDEN_MTIME = 1700000000 };  /* must match golden/regen.sh */

/* ---- helpers -------------------------------------------------------------------- */

struct spec_line {
    char *text;
    int lineno;
};

struct spec {
    struct spec_line *l;
    size_t n;
};

static void spec_free(struct spec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->l[i].text);
    free(s->l);
    memset(s, 0, sizeof *s);
}

/* The non-blank, non-comment lines of golden/NAME.spec. */
static int spec_load(const char *dir, const char *name, struct spec *s, struct diag *d)
{
    char *path = xasprintf("%s/%s.spec", dir, name);
    struct buf text = {0};
    int r = read_file(path, &text, d);
    free(path);
    if (r < 0)
        return -1;
    int lineno = 0;
    for (char *line = (char *)text.data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        if (cpio_spec_line_is_blank(line))
            continue;
        s->l = xrealloc(s->l, (s->n + 1) * sizeof *s->l);
        s->l[s->n++] = (struct spec_line){xstrdup(line), lineno};
    }
    buf_free(&text);
    return 0;
}

/* Parse one spec line and add it to t; origin "NAME.spec:LINE". */
static int add_spec_line(struct cpio_tree *t, const char *dir, const char *name,
                         const struct spec_line *l, enum cpio_dup dup, struct diag *d)
{
    struct cpio_entry e;
    if (cpio_parse_spec_line(l->text, dir, &e, d) < 0)
        return -1;
    e.origin = xasprintf("%s.spec:%d", name, l->lineno);
    int r = cpio_add(t, &e, dup, d);
    cpio_entry_free(&e);
    return r;
}

static int is_plain_root_dir_line(const char *line)
{
    size_t n = strlen(line), tail = strlen(" 0755 0 0");
    return strncmp(line, "dir ", 4) == 0 && n > tail && strcmp(line + n - tail, " 0755 0 0") == 0;
}

enum load_order { IN_ORDER, REVERSED, WITHOUT_PLAIN_DIRS, FILES_IN_MEMORY };

static void move_file_into_memory(struct cpio_tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct cpio_entry *e = &t->e[i];
        struct diag d = {0};
        if (e->type != CPIO_FILE || !e->src_path)
            continue;
        if (read_file(e->src_path, &e->data, &d) < 0)
            abort();
        free(e->src_path);
        e->src_path = NULL;
    }
}

/* Build the tree of golden/NAME.spec and write it; returns the number of lines used. */
static int golden_archive(const char *dir, const char *name, enum load_order order,
                          struct buf *out, struct diag *d)
{
    struct spec s = {0};
    struct cpio_tree t = {0};
    int used = 0, r = spec_load(dir, name, &s, d);
    for (size_t k = 0; r == 0 && k < s.n; k++) {
        const struct spec_line *l = &s.l[order == REVERSED ? s.n - 1 - k : k];
        if (order == WITHOUT_PLAIN_DIRS && is_plain_root_dir_line(l->text))
            continue;
        r = add_spec_line(&t, dir, name, l, CPIO_DUP_ERROR, d);
        used++;
    }
    if (r == 0 && order == FILES_IN_MEMORY)
        move_file_into_memory(&t);
    if (r == 0)
        r = cpio_write(&t, GOLDEN_MTIME, out, d);
    cpio_tree_free(&t);
    spec_free(&s);
    return r < 0 ? -1 : used;
}

static int load_golden_cpio(const char *dir, const char *name, struct buf *out)
{
    char *path = xasprintf("%s/%s.cpio", dir, name);
    struct diag d = {0};
    int r = read_file(path, out, &d);
    free(path);
    return r;
}

static int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* A minimal newc reader, independent of the writer: the records of an archive. */
struct record {
    const char *name;  /* points into the archive: names are stored with their NUL */
    unsigned mode, nlink, filesize, ino;
};

static unsigned hex_field(const unsigned char *hdr, int index)
{
    char tmp[9];
    memcpy(tmp, hdr + 6 + 8 * index, 8);
    tmp[8] = 0;
    return (unsigned)strtoul(tmp, NULL, 16);
}

static size_t align4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

static size_t read_records(const struct buf *a, struct record *r, size_t max)
{
    size_t n = 0, off = 0;
    while (n < max && off + 110 <= a->len && memcmp(a->data + off, "070701", 6) == 0) {
        const unsigned char *h = a->data + off;
        unsigned namesize = hex_field(h, 11);
        if (namesize == 0 || off + 110 + namesize > a->len || h[110 + namesize - 1] != 0)
            break;
        r[n] = (struct record){.name = (const char *)h + 110, .ino = hex_field(h, 0),
                               .mode = hex_field(h, 1), .nlink = hex_field(h, 4),
                               .filesize = hex_field(h, 6)};
        off = align4(align4(off + 110 + namesize) + r[n].filesize);
        if (strcmp(r[n++].name, "TRAILER!!!") == 0)
            break;
    }
    return n;
}

/* ---- golden archives ------------------------------------------------------------ */

static void test_golden(struct tap *t, const char *dir, const char *name)
{
    struct buf want = {0}, got = {0};
    struct diag d = {0};
    if (load_golden_cpio(dir, name, &want) < 0)
        tap_bail_out(t, "cannot read %s/%s.cpio: run from the top of the repository, or pass "
                        "the golden directory as the first argument", dir, name);
    int r = golden_archive(dir, name, IN_ORDER, &got, &d);
    if (!ok(t, r > 0, "%s.spec builds", name))
        tap_diag(t, "%s", d.msg);
    is_mem(t, got.data, got.len, want.data, want.len, "%s: same bytes as gen_init_cpio", name);

    buf_free(&got);
    r = golden_archive(dir, name, REVERSED, &got, &d);
    is_mem(t, got.data, got.len, want.data, want.len,
           "%s: lines added in reverse order give the same bytes", name);

    buf_free(&got);
    r = golden_archive(dir, name, FILES_IN_MEMORY, &got, &d);
    is_mem(t, got.data, got.len, want.data, want.len,
           "%s: file contents in memory instead of src_path give the same bytes", name);

    buf_free(&got);
    struct buf again = {0};
    golden_archive(dir, name, IN_ORDER, &got, &d);
    golden_archive(dir, name, IN_ORDER, &again, &d);
    is_mem(t, again.data, again.len, got.data, got.len, "%s: writing twice, same bytes", name);
    buf_free(&again);
    buf_free(&got);
    buf_free(&want);
}

static void test_parent_synthesis_golden(struct tap *t, const char *dir)
{
    struct buf want = {0}, full = {0}, got = {0};
    struct diag d = {0};
    load_golden_cpio(dir, "special", &want);
    int all = golden_archive(dir, "special", IN_ORDER, &full, &d);
    int used = golden_archive(dir, "special", WITHOUT_PLAIN_DIRS, &got, &d);
    is_int(t, all - used, 6, "special.spec has 6 'dir X 0755 0 0' lines to leave out");
    is_mem(t, got.data, got.len, want.data, want.len,
           "missing parent directories are synthesised as 0755 root, in sorted place");
    buf_free(&want);
    buf_free(&full);
    buf_free(&got);
}

static void test_append_to_buffer(struct tap *t, const char *dir)
{
    struct buf want = {0}, got = {0};
    struct diag d = {0};
    load_golden_cpio(dir, "padding", &want);
    buf_append(&got, "abc", 3);
    golden_archive(dir, "padding", IN_ORDER, &got, &d);
    ok(t, got.len == want.len + 3 && memcmp(got.data, "abc", 3) == 0,
       "cpio_write appends to a non-empty buffer");
    is_mem(t, got.data + 3, got.len - 3, want.data, want.len,
           "padding is relative to the start of the archive, not of the buffer");
    buf_free(&want);
    buf_free(&got);
}

/* ---- trees built by hand -------------------------------------------------------- */

static struct cpio_entry entry(const char *path, enum cpio_type type, unsigned perm,
                               const char *origin)
{
    return (struct cpio_entry){.path = (char *)path, .type = type, .perm = perm,
                               .origin = (char *)origin};
}

static void test_synthesis_small(struct tap *t)
{
    struct cpio_tree tree = {0};
    struct diag d = {0};
    struct buf out = {0};
    struct cpio_entry e = entry("x/y/z", CPIO_SYMLINK, 0777, "test");
    e.link_target = "/target";
    cpio_add(&tree, &e, CPIO_DUP_ERROR, &d);
    e = entry("x/w", CPIO_FILE, 0600, "test");
    buf_puts(&e.data, "hello");
    cpio_add(&tree, &e, CPIO_DUP_ERROR, &d);
    buf_free(&e.data);
    ok(t, cpio_write(&tree, 0, &out, &d) == 0, "a tree without its parents writes");
    struct record r[8];
    size_t n = read_records(&out, r, 8);
    is_int(t, n, 5, "x, x/w, x/y, x/y/z and the trailer");
    if (n == 5) {
        is_str(t, r[0].name, "x", "first record: synthesised x");
        is_int(t, r[0].mode, 040755, "x is a 0755 directory");
        is_int(t, r[0].nlink, 2, "directories have nlink 2");
        is_str(t, r[1].name, "x/w", "then x/w");
        is_int(t, r[1].filesize, 5, "x/w holds its 5 bytes");
        is_int(t, r[1].nlink, 1, "files have nlink 1");
        is_str(t, r[2].name, "x/y", "then synthesised x/y");
        is_int(t, r[2].mode, 040755, "x/y is a 0755 directory");
        is_str(t, r[3].name, "x/y/z", "then x/y/z");
        is_int(t, r[3].filesize, 8, "symlink size is the target plus its NUL");
        is_int(t, r[3].ino, 724, "inode numbers count from 721");
        is_str(t, r[4].name, "TRAILER!!!", "the archive ends with the trailer");
    }
    is_int(t, out.len % 512, 0, "the archive is padded to 512 bytes");
    buf_free(&out);
    cpio_tree_free(&tree);
}

static void test_duplicates(struct tap *t)
{
    struct cpio_tree tree = {0};
    struct diag d = {0};
    struct cpio_entry a = entry("etc/motd", CPIO_FILE, 0644, "one:1");
    struct cpio_entry b = entry("/etc//motd", CPIO_SYMLINK, 0777, "two:2");
    b.link_target = "issue";

    cpio_add(&tree, &a, CPIO_DUP_ERROR, &d);
    is_int(t, cpio_add(&tree, &b, CPIO_DUP_ERROR, &d), -1, "CPIO_DUP_ERROR: same path fails");
    is_int(t, d.status, EXIT_INPUT, "... with EXIT_INPUT");
    ok(t, contains(d.msg, "one:1") && contains(d.msg, "two:2") && contains(d.msg, "etc/motd"),
       "... naming the path and both origins: %s", d.msg);
    is_int(t, tree.n, 1, "... and the tree is unchanged");
    is_int(t, tree.e[0].type, CPIO_FILE, "... the first entry stays");

    d = (struct diag){0};
    is_int(t, cpio_add(&tree, &b, CPIO_DUP_REPLACE, &d), 0, "CPIO_DUP_REPLACE: same path works");
    is_int(t, tree.n, 1, "... one entry");
    is_int(t, tree.e[0].type, CPIO_SYMLINK, "... the later entry won");
    is_str(t, tree.e[0].origin, "two:2", "... with its origin");
    is_str(t, tree.e[0].link_target, "issue", "... and its target");

    struct cpio_entry d1 = entry("etc", CPIO_DIR, 0755, "one:3");
    struct cpio_entry d2 = entry("./etc/", CPIO_DIR, 0700, "two:4");
    d2.uid = 7;
    d2.gid = 8;
    cpio_add(&tree, &d1, CPIO_DUP_ERROR, &d);
    is_int(t, cpio_add(&tree, &d2, CPIO_DUP_ERROR, &d), 0,
           "two directories merge even with CPIO_DUP_ERROR");
    is_int(t, tree.n, 2, "... one entry for etc");
    ok(t, tree.e[0].perm == 0700 && tree.e[0].uid == 7 && tree.e[0].gid == 8,
       "... the later's perm/uid/gid win");

    struct cpio_entry f = entry("etc", CPIO_FILE, 0644, "three:5");
    is_int(t, cpio_add(&tree, &f, CPIO_DUP_ERROR, &d), -1, "directory vs file is a duplicate");
    ok(t, contains(d.msg, "two:4") && contains(d.msg, "three:5"), "... naming both: %s", d.msg);
    cpio_tree_free(&tree);
}

static void test_parent_not_directory(struct tap *t)
{
    struct cpio_tree tree = {0};
    struct diag d = {0};
    struct buf out = {0};
    struct cpio_entry a = entry("bin", CPIO_SYMLINK, 0777, "spec:1");
    a.link_target = "usr/bin";
    struct cpio_entry b = entry("bin/sh", CPIO_FILE, 0755, "spec:2");
    cpio_add(&tree, &a, CPIO_DUP_ERROR, &d);
    cpio_add(&tree, &b, CPIO_DUP_ERROR, &d);
    buf_puts(&out, "keep");
    is_int(t, cpio_write(&tree, 0, &out, &d), -1, "an entry inside a symlink is refused");
    is_int(t, d.status, EXIT_INPUT, "... with EXIT_INPUT");
    ok(t, contains(d.msg, "bin/sh") && contains(d.msg, "spec:1") && contains(d.msg, "spec:2"),
       "... naming both entries: %s", d.msg);
    is_str(t, (char *)out.data, "keep", "... and the output buffer is left as it was");
    buf_free(&out);
    cpio_tree_free(&tree);
}

static void test_add_checks(struct tap *t)
{
    struct cpio_tree tree = {0};
    struct diag d = {0};
    struct cpio_entry e = entry("TRAILER!!!", CPIO_FILE, 0644, "x");
    is_int(t, cpio_add(&tree, &e, CPIO_DUP_ERROR, &d), -1, "the path TRAILER!!! is refused");
    e = entry("a", CPIO_FILE, 010644, "x");
    is_int(t, cpio_add(&tree, &e, CPIO_DUP_ERROR, &d), -1, "perm above 07777 is refused");
    e = entry("a", CPIO_SYMLINK, 0777, "x");
    is_int(t, cpio_add(&tree, &e, CPIO_DUP_ERROR, &d), -1, "a symlink without target is refused");
    e = entry("a", CPIO_CHR, 0600, "x");
    e.rmajor = 4096;
    is_int(t, cpio_add(&tree, &e, CPIO_DUP_ERROR, &d), -1, "major 4096 is refused");
    e = entry("../a", CPIO_DIR, 0755, "x");
    is_int(t, cpio_add(&tree, &e, CPIO_DUP_ERROR, &d), -1, "a path escaping the root is refused");
    is_int(t, tree.n, 0, "nothing was added");

    struct cpio_entry keep = entry("dir/f", CPIO_FILE, 0644, "x");
    buf_puts(&keep.data, "data");
    cpio_add(&tree, &keep, CPIO_DUP_ERROR, &d);
    buf_free(&keep.data);
    ok(t, tree.n == 1 && tree.e[0].data.len == 4 && tree.e[0].path != keep.path,
       "cpio_add keeps a deep copy");
    cpio_tree_free(&tree);
}

static void test_unreadable_source(struct tap *t)
{
    struct cpio_tree tree = {0};
    struct diag d = {0};
    struct buf out = {0};
    struct cpio_entry e = entry("etc/missing", CPIO_FILE, 0644, "recipe:9");
    e.src_path = "/nonexistent/tinynetboot/file";
    cpio_add(&tree, &e, CPIO_DUP_ERROR, &d);
    is_int(t, cpio_write(&tree, 0, &out, &d), -1, "an unreadable src_path fails the write");
    is_int(t, d.status, EXIT_BUILD, "... with EXIT_BUILD");
    ok(t, contains(d.msg, "/nonexistent/tinynetboot/file") && contains(d.msg, "etc/missing"),
       "... naming the file and the archive path: %s", d.msg);
    is_int(t, out.len, 0, "... leaving no partial archive");
    cpio_tree_free(&tree);
    buf_free(&out);
}

/* ---- path normalisation --------------------------------------------------------- */

static void test_normalise(struct tap *t)
{
    static const struct {
        const char *in, *want;  /* want NULL: must fail */
    } cases[] = {
        {"/./a//b/", "a/b"}, {"dev/console", "dev/console"}, {"./a", "a"},
        {"a/./b/.", "a/b"},  {"a/../b", "b"},                {"a/b/../../c", "c"},
        {"..a/b..", "..a/b.."}, {"../x", NULL},              {"a/../../b", NULL},
        {"", NULL},          {"/", NULL},                    {"a/..", NULL},
        {"..", NULL},        {"//.//", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        struct diag d = {0};
        int r = cpio_path_normalise(cases[i].in, &out, &d);
        if (cases[i].want) {
            if (is_int(t, r, 0, "normalise \"%s\" works", cases[i].in))
                is_str(t, out, cases[i].want, "normalise \"%s\"", cases[i].in);
        } else {
            ok(t, r == -1 && d.status == EXIT_INPUT && d.msg[0],
               "normalise \"%s\" is refused: %s", cases[i].in, d.msg);
        }
        free(out);
    }
}

/* ---- host trees ----------------------------------------------------------------- */

static char *make_temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/test_cpio.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        perror(tmpl);
        exit(1);
    }
    return tmpl;
}

static void make_file(const char *dir, const char *name, const char *text, mode_t mode)
{
    char *path = xasprintf("%s/%s", dir, name);
    struct diag d = {0};
    if (write_file_atomic(path, text, strlen(text), (int)mode, &d) < 0) {
        fprintf(stderr, "%s\n", d.msg);
        exit(1);
    }
    free(path);
}

static void make_dir(const char *dir, const char *name, mode_t mode)
{
    char *path = xasprintf("%s/%s", dir, name);
    if (mkdir(path, 0700) < 0 || chmod(path, mode) < 0) {
        perror(path);
        exit(1);
    }
    free(path);
}

static void make_symlink(const char *dir, const char *name, const char *target)
{
    char *path = xasprintf("%s/%s", dir, name);
    if (symlink(target, path) < 0) {
        perror(path);
        exit(1);
    }
    free(path);
}

static const struct cpio_entry *find(const struct cpio_tree *t, const char *path)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->e[i].path, path) == 0)
            return &t->e[i];
    return NULL;
}

/* A host tree and the spec lines that describe the same archive. */
static char *make_host_tree(void)
{
    char *root = make_temp_dir();
    make_dir(root, "etc", 0755);
    make_file(root, "etc/inittab", "::sysinit:/etc/rc\n", 0644);
    make_dir(root, "bin", 0750);
    make_file(root, "bin/tool", "#!/bin/sh\n", 04751);
    make_symlink(root, "bin/sh", "tool");
    make_symlink(root, "abs", "/etc//inittab");
    make_dir(root, "empty", 0700);
    return root;
}

static void test_host_tree_entries(struct tap *t, const char *root)
{
    struct cpio_tree tree = {0};
    struct diag d = {0};
    if (!is_int(t, cpio_add_host_tree(&tree, root, "", CPIO_DUP_ERROR, &d), 0,
                "cpio_add_host_tree walks a directory"))
        tap_diag(t, "%s", d.msg);
    is_int(t, tree.n, 7, "... 7 entries (not the top directory itself)");
    const struct cpio_entry *e = find(&tree, "bin/sh");
    ok(t, e && e->type == CPIO_SYMLINK && strcmp(e->link_target, "tool") == 0,
       "a symlink is kept as a symlink");
    e = find(&tree, "abs");
    ok(t, e && e->type == CPIO_SYMLINK && strcmp(e->link_target, "/etc//inittab") == 0,
       "... with its target verbatim");
    e = find(&tree, "bin/tool");
    ok(t, e && e->type == CPIO_FILE && e->perm == 04751 && e->uid == 0 && e->gid == 0,
       "a file keeps its 07777 bits, owner root");
    char *host = xasprintf("%s/bin/tool", root);
    ok(t, e && e->src_path && strcmp(e->src_path, host) == 0, "... read from the host file");
    ok(t, e && e->origin && strcmp(e->origin, host) == 0, "... origin is the host path");
    free(host);
    e = find(&tree, "bin");
    ok(t, e && e->type == CPIO_DIR && e->perm == 0750, "a directory keeps its mode");
    e = find(&tree, "empty");
    ok(t, e && e->type == CPIO_DIR && e->perm == 0700, "an empty directory is kept");
    cpio_tree_free(&tree);

    is_int(t, cpio_add_host_tree(&tree, root, "/opt//x/", CPIO_DUP_ERROR, &d), 0,
           "dest_prefix places the tree below it");
    ok(t, find(&tree, "opt/x/etc/inittab") && find(&tree, "opt/x/bin/sh") && tree.n == 7,
       "... at opt/x/ (normalised)");
    struct buf out = {0};
    ok(t, cpio_write(&tree, 1, &out, &d) == 0, "... and writes, synthesising opt and opt/x");
    struct record r[16];
    size_t n = read_records(&out, r, 16);
    ok(t, n == 10 && strcmp(r[0].name, "opt") == 0 && strcmp(r[1].name, "opt/x") == 0,
       "... opt and opt/x come first");
    buf_free(&out);
    cpio_tree_free(&tree);
}

static void test_host_tree_matches_spec(struct tap *t, const char *root)
{
    const char *lines[] = {
        "slink abs /etc//inittab 0777 0 0", "dir bin 0750 0 0",
        "slink bin/sh tool 0777 0 0",       "file bin/tool bin/tool 04751 0 0",
        "dir empty 0700 0 0",               "dir etc 0755 0 0",
        "file etc/inittab etc/inittab 0644 0 0",
    };
    struct cpio_tree from_host = {0}, from_spec = {0};
    struct buf a = {0}, b = {0};
    struct diag d = {0};
    cpio_add_host_tree(&from_host, root, NULL, CPIO_DUP_ERROR, &d);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct cpio_entry e;
        if (cpio_parse_spec_line(lines[i], root, &e, &d) < 0 ||
            cpio_add(&from_spec, &e, CPIO_DUP_ERROR, &d) < 0)
            tap_diag(t, "%s: %s", lines[i], d.msg);
        cpio_entry_free(&e);
    }
    cpio_write(&from_host, GOLDEN_MTIME, &a, &d);
    cpio_write(&from_spec, GOLDEN_MTIME, &b, &d);
    is_mem(t, a.data, a.len, b.data, b.len, "a host tree and its spec lines give the same bytes");
    buf_free(&a);
    buf_free(&b);
    cpio_tree_free(&from_host);
    cpio_tree_free(&from_spec);
}

static void test_host_tree_refuses_fifo(struct tap *t)
{
    char *root = make_temp_dir();
    make_dir(root, "run", 0755);
    char *fifo = xasprintf("%s/run/initctl", root);
    if (mkfifo(fifo, 0600) < 0) {
        perror(fifo);
        exit(1);
    }
    struct cpio_tree tree = {0};
    struct diag d = {0};
    is_int(t, cpio_add_host_tree(&tree, root, "", CPIO_DUP_ERROR, &d), -1,
           "a FIFO on the host is refused");
    is_int(t, d.status, EXIT_INPUT, "... with EXIT_INPUT");
    ok(t, contains(d.msg, fifo) && contains(d.msg, "pipe"),
       "... naming the path and the spec line to use: %s", d.msg);
    cpio_tree_free(&tree);

    d = (struct diag){0};
    is_int(t, cpio_add_host_tree(&tree, "/nonexistent/tinynetboot", "", CPIO_DUP_ERROR, &d), -1,
           "a missing directory is an error");
    ok(t, contains(d.msg, "/nonexistent/tinynetboot"), "... naming it: %s", d.msg);
    cpio_tree_free(&tree);
    rm_rf(root, &d);
    free(fifo);
    free(root);
}

static void test_host_tree(struct tap *t)
{
    char *root = make_host_tree();
    struct diag d = {0};
    test_host_tree_entries(t, root);
    test_host_tree_matches_spec(t, root);
    rm_rf(root, &d);
    free(root);
    test_host_tree_refuses_fifo(t);
}

int main(int argc, char **argv)
{
    struct tap t = {0};
    const char *golden = argc > 1 ? argv[1] : "tests/unit/golden";
    test_golden(&t, golden, "padding");
    test_golden(&t, golden, "special");
    test_parent_synthesis_golden(&t, golden);
    test_append_to_buffer(&t, golden);
    test_synthesis_small(&t);
    test_duplicates(&t);
    test_parent_not_directory(&t);
    test_add_checks(&t);
    test_unreadable_source(&t);
    test_normalise(&t);
    test_host_tree(&t);
    return tap_done(&t);
}
