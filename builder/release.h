/* release.h — OUTPUT/release: the kernel, every layer, sizes.txt, SOURCES and
 * SHA256SUMS, computed in memory and swapped in whole.
 *
 * A build never edits OUTPUT/release in place: it fills a staging directory
 * (starting from hard links to the current release, so files it doesn't
 * produce, like menus, stay), then swaps the two with one renameat2
 * (RENAME_EXCHANGE). A build killed at any point leaves the old release whole. */
#ifndef TNB_RELEASE_H
#define TNB_RELEASE_H

#include "build.h"

int release_write(const struct build_state *s, struct diag *d);

#endif
