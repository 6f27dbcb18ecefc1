/* recipe.h — the recipe file format (see recipes/README.md).
 *
 * A recipe is line-oriented `key value...`; this module parses one file into a
 * struct recipe and checks everything that can be checked from that file alone
 * (keys, kinds, value shapes, required keys). Cross-recipe checks (does a
 * dependency exist?) live in graph.c. Errors are "FILE:LINE: message", exit 2. */
#ifndef TNB_RECIPE_H
#define TNB_RECIPE_H

#include "util.h"

enum recipe_kind { KIND_PACKAGE, KIND_KERNEL, KIND_LAYER, KIND_RELEASE, KIND_IMAGE, KIND_COUNT };

enum recipe_key {
    KEY_NAME, KEY_KIND, KEY_VERSION, KEY_SOURCE, KEY_SHA256, KEY_LICENSE, KEY_DEPENDS,
    KEY_BUILD, KEY_ARCH, KEY_KCONFIG, KEY_PACKAGES, KEY_OVERLAY, KEY_ENTRY, KEY_BUDGET,
    KEY_KERNEL, KEY_LAYERS, KEY_LABEL, KEY_CMDLINE, KEY_MODULES, KEY_KERNELS, KEY_KERNEL_EFI,
    KEY_COUNT
};

/* SOURCE_RECIPE: the source another recipe pins (`source recipe linux`), so one
 * tarball is pinned in exactly one recipe. */
enum source_type { SOURCE_NONE, SOURCE_DEBIAN_SRC, SOURCE_DEBIAN_DEB, SOURCE_LOCAL, SOURCE_RECIPE };

/* A value together with the line it came from, for messages. */
struct located {
    char *text;
    int line;
};

struct recipe {
    char *path;                  /* as given, e.g. "recipes/busybox/recipe" */
    char *dir;                   /* its directory */
    int key_line[KEY_COUNT];     /* line of each key's (last) occurrence, 0 = absent */
    char *name;
    enum recipe_kind kind;
    char *version;
    enum source_type source_type;
    char *source_package;        /* Debian source or binary package name; SOURCE_RECIPE: the recipe */
    char *source_file;           /* orig tarball name, member path inside the .deb, or local dir */
    char *sha256;                /* 64 lower-case hex digits; NULL before the first pin */
    struct strv license;
    struct strv depends;
    char *build;                 /* script name, relative to dir */
    char *arch;
    struct strv kconfig;         /* fragment paths, relative to the tree top */
    struct strv packages;
    struct strv package_trees; /* per package: the $OUT subdirectory taken ("target" unless NAME:TREE) */
    char *overlay;               /* relative to the tree top */
    struct strv modules;         /* layer: kernel modules it carries (names, e.g. nfs) */
    struct located *entries;     /* gen_init_cpio-style lines */
    size_t n_entries;
    long long budget;            /* bytes; 0 = none */
    char *kernel;                /* image: the kernel its clients boot (BIOS, and UEFI unless kernel_efi) */
    char *kernel_efi;            /* image: the kernel its UEFI clients boot, or NULL */
    struct strv kernels;         /* release: its kernel flavours; the first is also OUTPUT/release/bzImage */
    struct strv layers;          /* release, image: bottom to top */
    char *label;                 /* image: the menu text */
    char *cmdline;               /* image: kernel command line (besides initrd=) */
};

const char *recipe_kind_name(enum recipe_kind k);
const char *recipe_key_name(enum recipe_key k);

/* Parse `text` as the recipe at `path` (the path is used in messages and to
 * check that `name` matches the directory). 0, or -1 with d set (EXIT_INPUT). */
int recipe_parse(const char *path, const char *text, struct recipe *r, struct diag *d);
/* Read and parse the file at path. */
int recipe_load(const char *path, struct recipe *r, struct diag *d);
void recipe_free(struct recipe *r);

#endif
