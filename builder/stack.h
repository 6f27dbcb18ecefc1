/* stack.h — what stacking layers does: for each path an upper layer also
 * carries, which lower layer it overrides (the kernel unpacks archives in
 * order, so the last one wins). Directories merge and are not overrides.
 * A path is taken where the kernel writes it: its directory components are
 * followed through symlinks of the layers below and of the same layer (an
 * upper `e -> etc` plus `e/passwd` replaces /etc/passwd), reported as
 * "etc/passwd: ... (file -> file, as e/passwd through a symlink)"; a symlink
 * loop is reported (and counted) too. */
#ifndef TNB_STACK_H
#define TNB_STACK_H

#include "util.h"

/* Report overrides among the layer files (bottom to top) into out; *count
 * is the number of overridden paths. */
int stack_check(const struct strv *layer_files, struct buf *out, size_t *count, struct diag *d);

#endif
