/* stack.h — what stacking layers does: for each path an upper layer also
 * carries, which lower layer it overrides (the kernel unpacks archives in
 * order, so the last one wins). Directories merge and are not overrides. */
#ifndef TNB_STACK_H
#define TNB_STACK_H

#include "util.h"

/* Report overrides among the layer files (bottom to top) into out; *count
 * is the number of overridden paths. */
int stack_check(const struct strv *layer_files, struct buf *out, size_t *count, struct diag *d);

#endif
