/* recipe.c — parser and per-file checks for recipes (see recipe.h). */
#define _GNU_SOURCE
#include "recipe.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define K(kind) (1u << (kind))
#define SOURCED (K(KIND_PACKAGE) | K(KIND_KERNEL))

/* What each key is: which kinds accept it, whether it may repeat (values
 * accumulate), how many values it takes. */
struct key_spec {
    const char *name;
    unsigned kinds;
    int repeatable;
    int min_values, max_values;   /* max 0 = unlimited */
};

static const struct key_spec key_specs[KEY_COUNT] = {
    [KEY_NAME] = {"name", ~0u, 0, 1, 1},
    [KEY_KIND] = {"kind", ~0u, 0, 1, 1},
    [KEY_VERSION] = {"version", SOURCED, 0, 1, 1},
    [KEY_SOURCE] = {"source", SOURCED, 0, 2, 3},
    [KEY_SHA256] = {"sha256", SOURCED, 0, 1, 1},
    [KEY_LICENSE] = {"license", SOURCED, 0, 1, 0},
    [KEY_DEPENDS] = {"depends", SOURCED, 1, 1, 0},
    [KEY_BUILD] = {"build", SOURCED, 0, 1, 1},
    [KEY_ARCH] = {"arch", K(KIND_KERNEL), 0, 1, 1},
    [KEY_KCONFIG] = {"kconfig", K(KIND_KERNEL) | K(KIND_LAYER), 1, 1, 0},
    [KEY_PACKAGES] = {"packages", K(KIND_LAYER), 1, 1, 0},
    [KEY_OVERLAY] = {"overlay", K(KIND_LAYER), 0, 1, 1},
    [KEY_ENTRY] = {"entry", K(KIND_LAYER), 1, 1, 0},
    [KEY_BUDGET] = {"budget", K(KIND_KERNEL) | K(KIND_LAYER) | K(KIND_IMAGE), 0, 1, 1},
    [KEY_KERNEL] = {"kernel", K(KIND_IMAGE), 0, 1, 1},
    [KEY_LAYERS] = {"layers", K(KIND_RELEASE) | K(KIND_IMAGE), 1, 1, 0},
    [KEY_LABEL] = {"label", K(KIND_IMAGE), 0, 1, 0},
    [KEY_CMDLINE] = {"cmdline", K(KIND_IMAGE), 0, 1, 0},
    [KEY_MODULES] = {"modules", K(KIND_LAYER), 1, 1, 0},
    [KEY_KERNELS] = {"kernels", K(KIND_RELEASE), 1, 1, 0},
    [KEY_KERNEL_EFI] = {"kernel-efi", K(KIND_IMAGE), 0, 1, 1},
};

/* Keys every recipe of a kind must have. */
static const enum recipe_key required_package[] = {KEY_VERSION, KEY_SOURCE, KEY_SHA256, KEY_LICENSE, KEY_BUILD};
static const enum recipe_key required_kernel[] = {KEY_VERSION, KEY_SOURCE, KEY_SHA256, KEY_LICENSE,
                                                  KEY_BUILD, KEY_ARCH, KEY_BUDGET};
static const enum recipe_key required_layer[] = {KEY_BUDGET};
static const enum recipe_key required_release[] = {KEY_KERNELS, KEY_LAYERS};
static const enum recipe_key required_image[] = {KEY_LABEL, KEY_LAYERS};

static const char *const kind_names[KIND_COUNT] = {"package", "kernel", "layer", "release", "image"};

const char *recipe_kind_name(enum recipe_kind k)
{
    return kind_names[k];
}

const char *recipe_key_name(enum recipe_key k)
{
    return key_specs[k].name;
}

/* Parsing state for one file. */
struct parser {
    const char *path;
    int line;
    struct diag *d;
};

/* "PATH:LINE: message", bad input. */
__attribute__((format(printf, 2, 3))) static int parse_error(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vdiag_fail_at(p->d, EXIT_INPUT, p->path, p->line, fmt, ap);
    va_end(ap);
    return r;
}

static int is_valid_name(const char *s)
{
    if (!(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
            return 0;
    return 1;
}

static int is_sha256_hex(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isdigit((unsigned char)s[n]) && !(s[n] >= 'a' && s[n] <= 'f'))
            return 0;
    return n == 64;
}

/* Text that goes verbatim into boot menus: printable ASCII, and none of the
 * characters that would break out of a PXELINUX/iPXE/GRUB line or quote. */
static int check_menu_text(struct parser *p, const char *what, const char *s)
{
    char bad;
    if (!(strcmp(what, "cmdline") ? menu_text_ok(s, &bad) : cmdline_text_ok(s, &bad)))
        return parse_error(p, "%s contains '%c', which boot menus cannot carry safely", what, bad);
    return 0;
}

static enum recipe_key lookup_key(const char *word)
{
    for (int k = 0; k < KEY_COUNT; k++)
        if (strcmp(key_specs[k].name, word) == 0)
            return (enum recipe_key)k;
    return KEY_COUNT;
}

static int set_single(struct parser *p, char **field, const char *value)
{
    (void)p;
    *field = xstrdup(value);
    return 0;
}

static int push_names(struct parser *p, struct strv *list, char **words, size_t n, int check_names)
{
    for (size_t i = 0; i < n; i++) {
        if (check_names && !is_valid_name(words[i]))
            return parse_error(p, "bad name \"%s\" (lower-case letters, digits and '-')", words[i]);
        if (strv_contains(list, words[i]))
            return parse_error(p, "\"%s\" is listed twice", words[i]);
        strv_push(list, words[i]);
    }
    return 0;
}

/* packages NAME[:TREE]: a layer takes a package's $OUT/TREE, $OUT/target by
 * default; one build can so feed two layers different files (a client and a
 * server of the same source, a small and a full BusyBox). */
static int push_packages(struct parser *p, struct recipe *r, char **words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *colon = strchr(words[i], ':');
        const char *tree = colon ? colon + 1 : "target";
        if (colon)
            *colon = '\0';
        if (!is_valid_name(words[i]) || !is_valid_name(tree))
            return parse_error(p, "bad package \"%s%s%s\" (NAME or NAME:TREE; lower-case letters, digits and '-')",
                               words[i], colon ? ":" : "", colon ? tree : "");
        if (strv_contains(&r->packages, words[i]))
            return parse_error(p, "\"%s\" is listed twice", words[i]);
        strv_push(&r->packages, words[i]);
        strv_push(&r->package_trees, tree);
    }
    return 0;
}

static int push_modules(struct parser *p, struct strv *list, char **words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (const char *c = words[i]; *c; c++)
            if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_' && *c != '-')
                return parse_error(p, "bad module name \"%s\"", words[i]);
        if (strv_contains(list, words[i]))
            return parse_error(p, "\"%s\" is listed twice", words[i]);
        strv_push(list, words[i]);
    }
    return 0;
}

static int push_paths(struct parser *p, struct strv *list, char **words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!path_is_inside(words[i]))
            return parse_error(p, "\"%s\" must be a relative path inside the tree", words[i]);
        strv_push(list, words[i]);
    }
    return 0;
}

static int parse_budget(struct parser *p, const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!isdigit((unsigned char)s[0]) || *end || errno || v <= 0)
        return parse_error(p, "budget must be a positive number of bytes, not \"%s\"", s);
    *out = v;
    return 0;
}

static int parse_kind(struct parser *p, const char *s, enum recipe_kind *out)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (strcmp(kind_names[k], s) == 0) {
            *out = (enum recipe_kind)k;
            return 0;
        }
    return parse_error(p, "unknown kind \"%s\" (package, kernel, layer, release or image)", s);
}

/* "a/./b", "./", ".": a "." component (a member of a .deb is named without them;
 * a directory member ends in '/'). */
static int has_dot_component(const char *s)
{
    for (const char *c = s; *c;) {
        size_t len = strcspn(c, "/");
        if (len == 1 && c[0] == '.')
            return 1;
        c += len;
        if (*c == '/')
            c++;
    }
    return 0;
}

static int parse_source(struct parser *p, char **w, size_t n, struct recipe *r)
{
    if (strcmp(w[0], "local") == 0) {
        /* our own code, kept beside the recipe (e.g. the fbvnc viewer) */
        if (n != 2 || !path_is_inside(w[1]))
            return parse_error(p, "expected: source local DIR (a directory beside the recipe)");
        r->source_type = SOURCE_LOCAL;
        r->source_file = xstrdup(w[1]);
        return 0;
    }
    if (strcmp(w[0], "recipe") == 0) {
        if (n != 2 || !is_valid_name(w[1]))
            return parse_error(p, "expected: source recipe NAME (the recipe that pins the source)");
        r->source_type = SOURCE_RECIPE;
        r->source_package = xstrdup(w[1]);
        return 0;
    }
    if (n != 3)
        return parse_error(p, "expected: source debian-src|debian-deb PACKAGE FILE");
    if (strcmp(w[0], "debian-src") == 0)
        r->source_type = SOURCE_DEBIAN_SRC;
    else if (strcmp(w[0], "debian-deb") == 0)
        r->source_type = SOURCE_DEBIAN_DEB;
    else
        return parse_error(p, "unknown source type \"%s\" (debian-src, debian-deb, recipe or local)", w[0]);
    if (strchr(w[2], '/') && r->source_type == SOURCE_DEBIAN_SRC)
        return parse_error(p, "debian-src file \"%s\" must be a plain file name", w[2]);
    if (r->source_type == SOURCE_DEBIAN_DEB && (!path_is_inside(w[2]) || has_dot_component(w[2])))
        return parse_error(p, "debian-deb member \"%s\" must be a relative path without . or .. components", w[2]);
    r->source_package = xstrdup(w[1]);
    r->source_file = xstrdup(w[2]);
    return 0;
}

/* Apply one `key values...` line. `rest` is the raw text after the key (for entry). */
static int apply_key(struct parser *p, enum recipe_key key, char **w, size_t n, const char *rest,
                     struct recipe *r)
{
    switch (key) {
    case KEY_NAME:
        if (!is_valid_name(w[0]))
            return parse_error(p, "bad name \"%s\" (lower-case letters, digits and '-')", w[0]);
        return set_single(p, &r->name, w[0]);
    case KEY_KIND: return parse_kind(p, w[0], &r->kind);
    case KEY_VERSION: return set_single(p, &r->version, w[0]);
    case KEY_SOURCE: return parse_source(p, w, n, r);
    case KEY_SHA256:
        if (!is_sha256_hex(w[0]))
            return parse_error(p, "sha256 must be 64 lower-case hex digits");
        return set_single(p, &r->sha256, w[0]);
    case KEY_LICENSE: return push_names(p, &r->license, w, n, 0);
    case KEY_DEPENDS: return push_names(p, &r->depends, w, n, 1);
    case KEY_BUILD:
        if (strchr(w[0], '/') || w[0][0] == '.')
            return parse_error(p, "build script \"%s\" must be a file beside the recipe", w[0]);
        return set_single(p, &r->build, w[0]);
    case KEY_ARCH:
        if (strcmp(w[0], "i386") && strcmp(w[0], "x86_64"))
            return parse_error(p, "unsupported arch \"%s\" (i386 or x86_64)", w[0]);
        return set_single(p, &r->arch, w[0]);
    case KEY_KCONFIG: return push_paths(p, &r->kconfig, w, n);
    case KEY_PACKAGES: return push_packages(p, r, w, n);
    case KEY_OVERLAY:
        if (!path_is_inside(w[0]))
            return parse_error(p, "\"%s\" must be a relative path inside the tree", w[0]);
        return set_single(p, &r->overlay, w[0]);
    case KEY_ENTRY:
        r->entries = xrealloc(r->entries, (r->n_entries + 1) * sizeof *r->entries);
        r->entries[r->n_entries++] = (struct located){xstrdup(rest), p->line};
        return 0;
    case KEY_BUDGET: return parse_budget(p, w[0], &r->budget);
    case KEY_KERNEL:
    case KEY_KERNEL_EFI:
        if (!is_valid_name(w[0]))
            return parse_error(p, "bad name \"%s\"", w[0]);
        return set_single(p, key == KEY_KERNEL ? &r->kernel : &r->kernel_efi, w[0]);
    case KEY_KERNELS: return push_names(p, &r->kernels, w, n, 1);
    case KEY_LAYERS: return push_names(p, &r->layers, w, n, 1);
    case KEY_MODULES: return push_modules(p, &r->modules, w, n);
    case KEY_LABEL: return check_menu_text(p, "label", rest) < 0 ? -1 : set_single(p, &r->label, rest);
    case KEY_CMDLINE: return check_menu_text(p, "cmdline", rest) < 0 ? -1 : set_single(p, &r->cmdline, rest);
    case KEY_COUNT: break;
    }
    return parse_error(p, "internal error: unhandled key");
}

/* Split a line into white-space separated words (modifies line). */
static size_t split_words(char *line, char **words, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t\r", &save); w && n < max; w = strtok_r(NULL, " \t\r", &save))
        words[n++] = w;
    return n;
}

enum { MAX_WORDS = 64 };

static int parse_line(struct parser *p, char *line, struct recipe *r)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    char *start = line + strspn(line, " \t\r");
    if (!*start)
        return 0;
    size_t keylen = strcspn(start, " \t\r");
    const char *rest = start + keylen;
    rest += strspn(rest, " \t\r");
    char *rest_copy = xstrdup(rest);
    /* trim trailing blanks of the raw value */
    for (size_t l = strlen(rest_copy); l && strchr(" \t\r", rest_copy[l - 1]); l--)
        rest_copy[l - 1] = 0;

    char *words[MAX_WORDS + 1];
    size_t n = split_words(start, words, MAX_WORDS + 1);
    int rc = 0;
    enum recipe_key key = lookup_key(words[0]);
    const struct key_spec *spec = key < KEY_COUNT ? &key_specs[key] : NULL;
    if (!spec)
        rc = parse_error(p, "unknown key \"%s\"", words[0]);
    else if (n > MAX_WORDS)
        rc = parse_error(p, "too many values for %s (at most %d)", spec->name, MAX_WORDS - 1);
    else if (r->key_line[key] && !spec->repeatable)
        rc = parse_error(p, "%s given twice (first on line %d)", spec->name, r->key_line[key]);
    else if ((int)n - 1 < spec->min_values)
        rc = parse_error(p, "%s needs %s%d value%s", spec->name, spec->max_values == spec->min_values ? "" : "at least ",
                         spec->min_values, spec->min_values == 1 ? "" : "s");
    else if (spec->max_values && (int)n - 1 > spec->max_values)
        rc = parse_error(p, "%s takes %d value%s, got %zu", spec->name, spec->max_values,
                         spec->max_values == 1 ? "" : "s", n - 1);
    else {
        r->key_line[key] = p->line;
        rc = apply_key(p, key, words + 1, n - 1, rest_copy, r);
    }
    free(rest_copy);
    return rc;
}

static const enum recipe_key *required_keys(enum recipe_kind kind, size_t *n)
{
    switch (kind) {
    case KIND_PACKAGE: *n = sizeof required_package / sizeof *required_package; return required_package;
    case KIND_KERNEL: *n = sizeof required_kernel / sizeof *required_kernel; return required_kernel;
    case KIND_LAYER: *n = sizeof required_layer / sizeof *required_layer; return required_layer;
    case KIND_IMAGE: *n = sizeof required_image / sizeof *required_image; return required_image;
    default: *n = sizeof required_release / sizeof *required_release; return required_release;
    }
}

/* Checks that need the whole file: kind-dependent keys, required keys, name. */
static int check_whole(struct parser *p, struct recipe *r)
{
    if (!r->key_line[KEY_NAME] || !r->key_line[KEY_KIND]) {
        p->line = 1;
        return parse_error(p, "missing \"%s\"", r->key_line[KEY_NAME] ? "kind" : "name");
    }
    for (int k = 0; k < KEY_COUNT; k++) {
        if (r->key_line[k] && !(key_specs[k].kinds & K(r->kind))) {
            p->line = r->key_line[k];
            return parse_error(p, "\"%s\" does not apply to a %s recipe", key_specs[k].name, kind_names[r->kind]);
        }
    }
    size_t n;
    const enum recipe_key *req = required_keys(r->kind, &n);
    int own_pin = r->source_type == SOURCE_DEBIAN_SRC || r->source_type == SOURCE_DEBIAN_DEB;
    for (size_t i = 0; i < n; i++) {
        int pin = req[i] == KEY_SHA256 || req[i] == KEY_VERSION;
        if (pin && !own_pin && r->key_line[KEY_SOURCE]) {
            if (r->key_line[req[i]]) {
                p->line = r->key_line[req[i]];
                return parse_error(p, "\"%s\" does not apply to a %s source", key_specs[req[i]].name,
                                   r->source_type == SOURCE_LOCAL ? "local" : "recipe");
            }
            continue;
        }
        /* a Debian source not yet pinned has neither line: `tinynetboot pin` adds both */
        if (pin && own_pin && !r->key_line[KEY_VERSION] && !r->key_line[KEY_SHA256])
            continue;
        if (!r->key_line[req[i]]) {
            p->line = r->key_line[KEY_KIND];
            return parse_error(p, "a %s recipe needs \"%s\"", kind_names[r->kind], key_specs[req[i]].name);
        }
    }
    char *dirbase = parent_dir_name(p->path);  /* "busybox" for recipes/busybox/recipe */
    int rc = 0;
    if (strcmp(dirbase, r->name) != 0) {
        p->line = r->key_line[KEY_NAME];
        rc = parse_error(p, "name \"%s\" does not match its directory \"%s\"", r->name, dirbase);
    }
    free(dirbase);
    return rc;
}

int recipe_parse(const char *path, const char *text, struct recipe *r, struct diag *d)
{
    memset(r, 0, sizeof *r);
    r->path = xstrdup(path);
    r->dir = dir_name(path);
    struct parser p = {path, 0, d};
    const char *s = text;
    for (char *line; (line = next_line(&s));) {
        p.line++;
        int rc = parse_line(&p, line, r);   /* text is a C string: NULs are refused by recipe_load */
        free(line);
        if (rc < 0)
            return -1;
    }
    return check_whole(&p, r);
}

int recipe_load(const char *path, struct recipe *r, struct diag *d)
{
    struct buf text = {0};
    if (read_file(path, &text, d) < 0) {
        memset(r, 0, sizeof *r);
        d->status = EXIT_INPUT;
        return -1;
    }
    int nul = buf_nul_line(&text);
    if (nul) {
        buf_free(&text);
        memset(r, 0, sizeof *r);
        return diag_fail_at(d, EXIT_INPUT, path, nul, "contains a NUL byte");
    }
    int rc = recipe_parse(path, (char *)text.data, r, d);
    buf_free(&text);
    return rc;
}

void recipe_free(struct recipe *r)
{
    free(r->path);
    free(r->dir);
    free(r->name);
    free(r->version);
    free(r->source_package);
    free(r->source_file);
    free(r->sha256);
    strv_free(&r->license);
    strv_free(&r->depends);
    free(r->build);
    free(r->arch);
    strv_free(&r->kconfig);
    strv_free(&r->packages);
    strv_free(&r->package_trees);
    strv_free(&r->modules);
    free(r->overlay);
    for (size_t i = 0; i < r->n_entries; i++)
        free(r->entries[i].text);
    free(r->entries);
    free(r->kernel);
    free(r->kernel_efi);
    strv_free(&r->kernels);
    strv_free(&r->layers);
    free(r->label);
    free(r->cmdline);
    memset(r, 0, sizeof *r);
}
