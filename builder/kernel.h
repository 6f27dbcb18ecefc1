/* kernel.h — kernel configuration requests and the kernel size budget.
 *
 * Fragments are .config-syntax files (`CONFIG_X=y`, `# CONFIG_X is not set`).
 * The builder concatenates them into a miniconfig for the kernel's own kconfig
 * (allnoconfig + KCONFIG_ALLCONFIG, as toybox's mkroot does) and afterwards
 * checks that kconfig granted every request: a symbol that silently fell out
 * (missing dependency, typo) is an error at the fragment's FILE:LINE. */
#ifndef TNB_KERNEL_H
#define TNB_KERNEL_H

#include "util.h"

struct kconfig_req {
    char *symbol;     /* "CONFIG_E1000" */
    char *value;      /* "y", "m", a number or "\"string\"", or NULL for "is not set" */
    char *file;
    int line;
    int restate;      /* asked =m by one fragment, =y by another: y is written last */
};

struct kconfig_reqs {
    struct kconfig_req *v;
    size_t n;
};

/* Parse fragments (paths relative to top) in order; append each request to reqs
 * and the merged text to miniconfig. The same symbol asked for differently by
 * two fragments is an error naming both places. */
int kconfig_collect(const char *top, const struct strv *fragments, struct kconfig_reqs *reqs,
                    struct buf *miniconfig, struct diag *d);
/* Parse and merge every fragment of a kernel recipe (graph_kernel_fragments):
 * malformed lines and conflicts are errors at FILE:LINE (exit 2). For lint, and
 * for build before it starts. */
struct graph;
struct recipe;
int kernel_fragments_check(const char *top, const struct graph *g, const struct recipe *kernel, struct diag *d);
/* Parse one fragment's text (exposed for unit tests). */
int kconfig_parse_fragment(const char *name, const char *text, struct kconfig_reqs *reqs, struct diag *d);
/* Check a generated .config against the requests. */
int kconfig_verify(const char *dotconfig_text, const struct kconfig_reqs *reqs, struct diag *d);
void kconfig_reqs_free(struct kconfig_reqs *reqs);

/* The budget check: if size > budget, a diag (EXIT_BUILD) with the overrun and
 * the breakdown text (what takes the space), else 0. */
int kernel_check_budget(const char *what, long long size, long long budget, const char *breakdown,
                        struct diag *d);

#endif
