/* recipe.c — a recipe file: its lines, the table of keys (which kinds take them, how many
 * values), the checks that need the whole file (see recipe.h). Each key's value: recipe_values.c. */
#define _GNU_SOURCE
#include "recipe.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "recipe_values.h"

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

static enum recipe_key lookup_key(const char *word)
{
    for (int k = 0; k < KEY_COUNT; k++)
        if (strcmp(key_specs[k].name, word) == 0)
            return (enum recipe_key)k;
    return KEY_COUNT;
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

static int parse_line(struct recipe_parser *p, char *line, struct recipe *r)
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
        rc = recipe_parse_error(p, "unknown key \"%s\"", words[0]);
    else if (n > MAX_WORDS)
        rc = recipe_parse_error(p, "too many values for %s (at most %d)", spec->name, MAX_WORDS - 1);
    else if (r->key_line[key] && !spec->repeatable)
        rc = recipe_parse_error(p, "%s given twice (first on line %d)", spec->name, r->key_line[key]);
    else if ((int)n - 1 < spec->min_values)
        rc = recipe_parse_error(p, "%s needs %s%d value%s", spec->name, spec->max_values == spec->min_values ? "" : "at least ",
                         spec->min_values, spec->min_values == 1 ? "" : "s");
    else if (spec->max_values && (int)n - 1 > spec->max_values)
        rc = recipe_parse_error(p, "%s takes %d value%s, got %zu", spec->name, spec->max_values,
                         spec->max_values == 1 ? "" : "s", n - 1);
    else {
        r->key_line[key] = p->line;
        rc = recipe_apply_key(p, key, words + 1, n - 1, rest_copy, r);
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
static int check_whole(struct recipe_parser *p, struct recipe *r)
{
    if (!r->key_line[KEY_NAME] || !r->key_line[KEY_KIND]) {
        p->line = 1;
        return recipe_parse_error(p, "missing \"%s\"", r->key_line[KEY_NAME] ? "kind" : "name");
    }
    for (int k = 0; k < KEY_COUNT; k++) {
        if (r->key_line[k] && !(key_specs[k].kinds & K(r->kind))) {
            p->line = r->key_line[k];
            return recipe_parse_error(p, "\"%s\" does not apply to a %s recipe", key_specs[k].name, kind_names[r->kind]);
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
                return recipe_parse_error(p, "\"%s\" does not apply to a %s source", key_specs[req[i]].name,
                                   r->source_type == SOURCE_LOCAL ? "local" : "recipe");
            }
            continue;
        }
        /* a Debian source not yet pinned has neither line: `tinynetboot pin` adds both */
        if (pin && own_pin && !r->key_line[KEY_VERSION] && !r->key_line[KEY_SHA256])
            continue;
        if (!r->key_line[req[i]]) {
            p->line = r->key_line[KEY_KIND];
            return recipe_parse_error(p, "a %s recipe needs \"%s\"", kind_names[r->kind], key_specs[req[i]].name);
        }
    }
    char *dirbase = parent_dir_name(p->path);  /* "busybox" for recipes/busybox/recipe */
    int rc = 0;
    if (strcmp(dirbase, r->name) != 0) {
        p->line = r->key_line[KEY_NAME];
        rc = recipe_parse_error(p, "name \"%s\" does not match its directory \"%s\"", r->name, dirbase);
    }
    free(dirbase);
    return rc;
}

int recipe_parse(const char *path, const char *text, struct recipe *r, struct diag *d)
{
    memset(r, 0, sizeof *r);
    r->path = xstrdup(path);
    r->dir = dir_name(path);
    struct recipe_parser p = {path, 0, d};
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
