/* recipe_values.h — the value of each recipe key: its shape and its checks
 * (names, sha256, paths, the source forms, budget, menu-safe text). Used by
 * recipe.c only, which has already checked the key applies and how many values
 * it has. Errors are "FILE:LINE: message", exit 2. */
#ifndef TNB_RECIPE_VALUES_H
#define TNB_RECIPE_VALUES_H

#include <stddef.h>

#include "recipe.h"

/* Parsing state for one file. */
struct recipe_parser {
    const char *path;
    int line;
    struct diag *d;
};

/* "PATH:LINE: message", bad input; returns -1. */
__attribute__((format(printf, 2, 3))) int recipe_parse_error(struct recipe_parser *p, const char *fmt, ...);

/* Apply one `key values...` line: the n words w after the key; `rest` is the raw
 * text after the key (entry, label, cmdline). 0, or -1 with p->d set. */
int recipe_apply_key(struct recipe_parser *p, enum recipe_key key, char **w, size_t n, const char *rest,
                     struct recipe *r);

#endif
