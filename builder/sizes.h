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

/* Render the table; kernel_row is the kernel (for the stack total line). */
void sizes_render(const struct size_row *rows, size_t n, long long total_budget, struct buf *out);
/* `tinynetboot sizes DIR`: the table for the artifacts found in DIR, with the
 * budgets of the release recipes, and the kernel breakdown kept in sizes.txt. */
int sizes_command(const struct graph *g, const char *release_dir, struct buf *out, struct diag *d);

#endif
