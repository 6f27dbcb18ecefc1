/* modules.h — kernel modules carried by a layer.
 *
 * A layer that names `modules nfs nbd` gets those .ko files, and every module
 * they depend on (from the kernel's modules.dep), under
 * lib/modules/<version>/ with a modules.dep listing just them, so BusyBox
 * modprobe loads them in order. Drivers only some layers need ride in those
 * layers instead of the kernel: that is what keeps the kernel budget. */
#ifndef TNB_MODULES_H
#define TNB_MODULES_H

#include "cpio.h"
#include "recipe.h"

/* kernel_modules_dir: the kernel output's modules/lib/modules directory.
 * Adds the files to tree and appends the module file names to carried. */
int modules_add(const struct recipe *layer, const char *kernel_modules_dir, struct cpio_tree *tree,
                struct strv *carried, struct diag *d);

#endif
