/* loaders.h — the boot loaders a release directory serves, taken from
 * Debian's packages: PXELINUX (+ menu.c32 and its libraries), iPXE
 * (undionly for BIOS, ipxe.efi), and GRUB's BIOS and EFI netboot images
 * made by grub-mknetdir. */
#ifndef TNB_LOADERS_H
#define TNB_LOADERS_H

#include "util.h"

int loaders_install(const char *release_dir, const char *log_path, struct diag *d);

#endif
