/* pin.h — `tinynetboot pin`: record what Debian's archive offers now in a recipe.
 *
 * Downloads apt's candidate of the recipe's package, stores it in the source
 * cache, and rewrites the recipe's version, source and sha256 lines (adding
 * version and sha256 after the source line when a new recipe has none yet). */
#ifndef TNB_PIN_H
#define TNB_PIN_H

#include "graph.h"

/* Re-pin r; prints "PATH: pinned ..." on stdout. */
int pin_recipe(const struct recipe *r, const char *cache_dir, const char *log_path, struct diag *d);

#endif
