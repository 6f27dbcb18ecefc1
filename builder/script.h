/* script.h — running a recipe's build script (contract: recipes/README.md).
 *
 * The source is unpacked (or, for a local source, copied) into
 * OUTPUT/work/<name>-<key>, the script runs there with an emptied
 * environment and installs into the cache entry. A kernel's script runs
 * twice: `configure` with the merged fragment, then the builder checks that
 * kconfig kept every request, then `compile`. */
#ifndef TNB_SCRIPT_H
#define TNB_SCRIPT_H

#include "build.h"

/* TARGET_ARCH of a recipe's build: a kernel's own arch, else the userspace's. */
const char *script_target_arch(const struct build_state *s, const struct recipe *r);
int script_build(const struct build_state *s, const struct built *b, const char *log, struct diag *d);

#endif
