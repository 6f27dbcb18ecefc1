/* graph.h — all recipes of a tree, their cross-references and build order.
 *
 * Loads recipes/<name>/recipe for every directory, checks that every name a
 * recipe refers to exists and is of the right kind, rejects dependency cycles,
 * and orders any set of targets so that dependencies come first. */
#ifndef TNB_GRAPH_H
#define TNB_GRAPH_H

#include "recipe.h"

struct graph {
    struct recipe *r;     /* sorted by name */
    size_t n;
};

/* Load and cross-check every recipe under recipes_dir. */
int graph_load(const char *recipes_dir, struct graph *g, struct diag *d);
void graph_free(struct graph *g);
struct recipe *graph_find(const struct graph *g, const char *name);
/* The recipe that pins r's source: r itself, the one `source recipe NAME`
 * names, or NULL (a local source or none). */
const struct recipe *graph_source_owner(const struct graph *g, const struct recipe *r);
/* The one release recipe (an error if there is none or more than one). */
struct recipe *graph_release(const struct graph *g, struct diag *d);

/* A kernel's config fragments, in order, once each (paths relative to the tree
 * top). A kernel lists them all: graph_load checks that every layer of every
 * image has its fragments in the kernels the image boots. */
void graph_kernel_fragments(const struct graph *g, const struct recipe *kernel, struct strv *out);

enum firmware { FW_BIOS, FW_EFI, FW_COUNT };
const char *firmware_name(enum firmware fw);   /* "BIOS", "UEFI" */
/* The kernel an image's clients of that firmware boot: kernel-efi for UEFI if
 * given, else kernel, else the release's first kernel. */
const struct recipe *graph_image_kernel(const struct graph *g, const struct recipe *image, enum firmware fw);
/* The first of layer's fragments that kernel lacks; NULL when kernel can boot it. */
const char *graph_missing_fragment(const struct recipe *kernel, const struct recipe *layer);
/* For a layer that carries modules: every kernel of the release that can boot
 * it (has all its fragments), in release order. Each builds its own modules
 * archive of the layer (layout.h), so a client fetches its kernel's only. */
void graph_module_kernels(const struct graph *g, const struct recipe *layer, struct strv *out);

/* Everything `targets` needs, dependencies before dependents, each once.
 * A release pulls in its kernel and layers, a layer its packages, a kernel or
 * package its depends. order->v[i] are recipe names. */
int graph_order(const struct graph *g, const struct strv *targets, struct strv *order, struct diag *d);

#endif
