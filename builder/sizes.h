/* sizes.h — the size table (sizes.txt and `tinynetboot sizes`): every
 * artifact's bytes against its budget, and the stack totals. */
#ifndef TNB_SIZES_H
#define TNB_SIZES_H

#include "graph.h"

struct size_row {
    const char *name;       /* file name in the release, e.g. "base.cpio.xz" */
    long long bytes;
    long long budget;       /* 0 = none */
};

/* Render the table: kernels, layers and modules archives (layout.h); then,
 * per image recipe of g and firmware whose files are all among the rows, the
 * whole stack a client fetches, against the image's budget if it has one. */
void sizes_render(const struct graph *g, const struct size_row *rows, size_t n, struct buf *out);
/* An image stack over its budget: an error naming the image recipe's line and
 * the parts (exit 1, as for a layer over its budget). */
int sizes_check_images(const struct graph *g, const struct size_row *rows, size_t n, struct diag *d);
/* `tinynetboot sizes DIR`: the table for the artifacts found in DIR, with the
 * budgets of the release recipes, and the kernel breakdown kept in sizes.txt. */
int sizes_command(const struct graph *g, const char *release_dir, struct buf *out, struct diag *d);

#endif
