/* recipe_values.c — see recipe_values.h. */
#define _GNU_SOURCE
#include "recipe_values.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

int recipe_parse_error(struct recipe_parser *p, const char *fmt, ...)
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
static int check_menu_text(struct recipe_parser *p, const char *what, const char *s)
{
    char bad;
    if (!(strcmp(what, "cmdline") ? menu_text_ok(s, &bad) : cmdline_text_ok(s, &bad)))
        return recipe_parse_error(p, "%s contains '%c', which boot menus cannot carry safely", what, bad);
    return 0;
}

static int set_single(struct recipe_parser *p, char **field, const char *value)
{
    (void)p;
    *field = xstrdup(value);
    return 0;
}

/* word into list, once: a key that lists a value twice is a mistake worth saying */
static int push_once(struct recipe_parser *p, struct strv *list, const char *word)
{
    if (strv_contains(list, word))
        return recipe_parse_error(p, "\"%s\" is listed twice", word);
    strv_push(list, word);
    return 0;
}

static int push_names(struct recipe_parser *p, struct strv *list, char **words, size_t n, int check_names)
{
    for (size_t i = 0; i < n; i++) {
        if (check_names && !is_valid_name(words[i]))
            return recipe_parse_error(p, "bad name \"%s\" (lower-case letters, digits and '-')", words[i]);
        int rc = push_once(p, list, words[i]);
        if (rc)
            return rc;
    }
    return 0;
}

/* packages NAME[:TREE]: a layer takes a package's $OUT/TREE, $OUT/target by
 * default; one build can so feed two layers different files (a client and a
 * server of the same source, a small and a full BusyBox). */
static int push_packages(struct recipe_parser *p, struct recipe *r, char **words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *colon = strchr(words[i], ':');
        const char *tree = colon ? colon + 1 : "target";
        if (colon)
            *colon = '\0';
        if (!is_valid_name(words[i]) || !is_valid_name(tree))
            return recipe_parse_error(p, "bad package \"%s%s%s\" (NAME or NAME:TREE; lower-case letters, digits and '-')",
                               words[i], colon ? ":" : "", colon ? tree : "");
        int rc = push_once(p, &r->packages, words[i]);
        if (rc)
            return rc;
        strv_push(&r->package_trees, tree);
    }
    return 0;
}

/* a kernel module's name as modprobe takes it: lower-case, digits, '_' and '-' */
static int is_module_name(const char *s)
{
    for (const char *c = s; *c; c++)
        if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_' && *c != '-')
            return 0;
    return 1;
}

static int push_modules(struct recipe_parser *p, struct strv *list, char **words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_module_name(words[i]))
            return recipe_parse_error(p, "bad module name \"%s\"", words[i]);
        int rc = push_once(p, list, words[i]);
        if (rc)
            return rc;
    }
    return 0;
}

static int push_paths(struct recipe_parser *p, struct strv *list, char **words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!path_is_inside(words[i]))
            return recipe_parse_error(p, "\"%s\" must be a relative path inside the tree", words[i]);
        strv_push(list, words[i]);
    }
    return 0;
}

static int parse_budget(struct recipe_parser *p, const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!isdigit((unsigned char)s[0]) || *end || errno || v <= 0)
        return recipe_parse_error(p, "budget must be a positive number of bytes, not \"%s\"", s);
    *out = v;
    return 0;
}

static int parse_kind(struct recipe_parser *p, const char *s, enum recipe_kind *out)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (strcmp(recipe_kind_name((enum recipe_kind)k), s) == 0) {
            *out = (enum recipe_kind)k;
            return 0;
        }
    return recipe_parse_error(p, "unknown kind \"%s\" (package, kernel, layer, release or image)", s);
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

static int parse_source(struct recipe_parser *p, char **w, size_t n, struct recipe *r)
{
    if (strcmp(w[0], "local") == 0) {
        /* our own code, kept beside the recipe (e.g. the fbvnc viewer) */
        if (n != 2 || !path_is_inside(w[1]))
            return recipe_parse_error(p, "expected: source local DIR (a directory beside the recipe)");
        r->source_type = SOURCE_LOCAL;
        r->source_file = xstrdup(w[1]);
        return 0;
    }
    if (strcmp(w[0], "recipe") == 0) {
        if (n != 2 || !is_valid_name(w[1]))
            return recipe_parse_error(p, "expected: source recipe NAME (the recipe that pins the source)");
        r->source_type = SOURCE_RECIPE;
        r->source_package = xstrdup(w[1]);
        return 0;
    }
    if (n != 3)
        return recipe_parse_error(p, "expected: source debian-src|debian-deb PACKAGE FILE");
    if (strcmp(w[0], "debian-src") == 0)
        r->source_type = SOURCE_DEBIAN_SRC;
    else if (strcmp(w[0], "debian-deb") == 0)
        r->source_type = SOURCE_DEBIAN_DEB;
    else
        return recipe_parse_error(p, "unknown source type \"%s\" (debian-src, debian-deb, recipe or local)", w[0]);
    if (strchr(w[2], '/') && r->source_type == SOURCE_DEBIAN_SRC)
        return recipe_parse_error(p, "debian-src file \"%s\" must be a plain file name", w[2]);
    if (r->source_type == SOURCE_DEBIAN_DEB && (!path_is_inside(w[2]) || has_dot_component(w[2])))
        return recipe_parse_error(p, "debian-deb member \"%s\" must be a relative path without . or .. components", w[2]);
    r->source_package = xstrdup(w[1]);
    r->source_file = xstrdup(w[2]);
    return 0;
}

int recipe_apply_key(struct recipe_parser *p, enum recipe_key key, char **w, size_t n, const char *rest,
                     struct recipe *r)
{
    switch (key) {
    case KEY_NAME:
        if (!is_valid_name(w[0]))
            return recipe_parse_error(p, "bad name \"%s\" (lower-case letters, digits and '-')", w[0]);
        return set_single(p, &r->name, w[0]);
    case KEY_KIND: return parse_kind(p, w[0], &r->kind);
    case KEY_VERSION: return set_single(p, &r->version, w[0]);
    case KEY_SOURCE: return parse_source(p, w, n, r);
    case KEY_SHA256:
        if (!is_sha256_hex(w[0]))
            return recipe_parse_error(p, "sha256 must be 64 lower-case hex digits");
        return set_single(p, &r->sha256, w[0]);
    case KEY_LICENSE: return push_names(p, &r->license, w, n, 0);
    case KEY_DEPENDS: return push_names(p, &r->depends, w, n, 1);
    case KEY_BUILD:
        if (strchr(w[0], '/') || w[0][0] == '.')
            return recipe_parse_error(p, "build script \"%s\" must be a file beside the recipe", w[0]);
        return set_single(p, &r->build, w[0]);
    case KEY_ARCH:
        if (strcmp(w[0], "i386") && strcmp(w[0], "x86_64"))
            return recipe_parse_error(p, "unsupported arch \"%s\" (i386 or x86_64)", w[0]);
        return set_single(p, &r->arch, w[0]);
    case KEY_KCONFIG: return push_paths(p, &r->kconfig, w, n);
    case KEY_PACKAGES: return push_packages(p, r, w, n);
    case KEY_OVERLAY:
        if (!path_is_inside(w[0]))
            return recipe_parse_error(p, "\"%s\" must be a relative path inside the tree", w[0]);
        return set_single(p, &r->overlay, w[0]);
    case KEY_ENTRY:
        r->entries = xrealloc(r->entries, (r->n_entries + 1) * sizeof *r->entries);
        r->entries[r->n_entries++] = (struct located){xstrdup(rest), p->line};
        return 0;
    case KEY_BUDGET: return parse_budget(p, w[0], &r->budget);
    case KEY_KERNEL:
    case KEY_KERNEL_EFI:
        if (!is_valid_name(w[0]))
            return recipe_parse_error(p, "bad name \"%s\"", w[0]);
        return set_single(p, key == KEY_KERNEL ? &r->kernel : &r->kernel_efi, w[0]);
    case KEY_KERNELS: return push_names(p, &r->kernels, w, n, 1);
    case KEY_LAYERS: return push_names(p, &r->layers, w, n, 1);
    case KEY_MODULES: return push_modules(p, &r->modules, w, n);
    case KEY_LABEL: return check_menu_text(p, "label", rest) < 0 ? -1 : set_single(p, &r->label, rest);
    case KEY_CMDLINE: return check_menu_text(p, "cmdline", rest) < 0 ? -1 : set_single(p, &r->cmdline, rest);
    case KEY_COUNT: break;
    }
    return recipe_parse_error(p, "internal error: unhandled key");
}
