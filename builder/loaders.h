/* loaders.h — the boot loaders a release directory serves, taken from
 * Debian's packages: PXELINUX (+ menu.c32 and its libraries), iPXE
 * (undionly for BIOS, ipxe.efi), and GRUB's BIOS and EFI netboot images
 * made by grub-mknetdir. One table of file names (loaders.c) serves both
 * what is installed and what the menus and DHCP configs hand out. */
#ifndef TNB_LOADERS_H
#define TNB_LOADERS_H

#include "util.h"

enum loader { LOADER_PXELINUX, LOADER_IPXE, LOADER_GRUB };

/* The first-stage file (relative to the release) DHCP hands to BIOS / x86-64
 * UEFI clients for a loader; exactly the name loaders_install writes. iPXE's
 * BIOS loader is undionly.0 (Debian's undionly.kpxe): dnsmasq's pxe-service
 * (proxy-DHCP) only serves names ending in ".0". */
const char *loader_bios_file(enum loader l);
/* A --bios-loader (efi = 0) or --efi-loader (efi = 1) value; else exit 2. */
int loader_parse(const char *v, int efi, enum loader *out, struct diag *d);
const char *loader_efi_file(enum loader l);

int loaders_install(const char *release_dir, const char *log_path, struct diag *d);

#endif
