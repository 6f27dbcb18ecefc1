/* loaders.c — see loaders.h. */
#define _GNU_SOURCE
#include "loaders.h"

#include <stdlib.h>
#include <string.h>

#include "run.h"

struct loader_file {
    const char *from, *to, *package;
};

enum { FILE_PXELINUX, FILE_UNDIONLY = 5, FILE_IPXE_EFI };

static const struct loader_file files[] = {
    [FILE_PXELINUX] = {"/usr/lib/PXELINUX/pxelinux.0", "pxelinux.0", "pxelinux"},
    {"/usr/lib/syslinux/modules/bios/ldlinux.c32", "ldlinux.c32", "syslinux-common"},
    {"/usr/lib/syslinux/modules/bios/menu.c32", "menu.c32", "syslinux-common"},
    {"/usr/lib/syslinux/modules/bios/libutil.c32", "libutil.c32", "syslinux-common"},
    {"/usr/lib/syslinux/modules/bios/libcom32.c32", "libcom32.c32", "syslinux-common"},
    [FILE_UNDIONLY] = {"/usr/lib/ipxe/undionly.kpxe", "undionly.0", "ipxe"},
    [FILE_IPXE_EFI] = {"/usr/lib/ipxe/ipxe.efi", "ipxe.efi", "ipxe"},
};

/* What grub-mknetdir --subdir=grub makes, per platform. */
struct grub_image {
    const char *platform, *path, *package;
};
static const struct grub_image grub_bios = {"i386-pc", "grub/i386-pc/core.0", "grub-pc-bin"};
static const struct grub_image grub_efi = {"x86_64-efi", "grub/x86_64-efi/core.efi", "grub-efi-amd64-bin"};

const char *loader_bios_file(enum loader l)
{
    return l == LOADER_IPXE ? files[FILE_UNDIONLY].to : l == LOADER_GRUB ? grub_bios.path : files[FILE_PXELINUX].to;
}

const char *loader_efi_file(enum loader l)
{
    return l == LOADER_IPXE ? files[FILE_IPXE_EFI].to : grub_efi.path;
}

static int copy_file(const struct loader_file *f, const char *release_dir, struct diag *d)
{
    struct buf b = {0};
    struct diag inner = {0};
    if (read_file(f->from, &b, &inner) < 0)
        return diag_fail(d, EXIT_BUILD, "%s is missing: install Debian's %s package (make does)", f->from,
                         f->package);
    char *to = xasprintf("%s/%s", release_dir, f->to);
    int rc = write_file_if_changed(to, b.data, b.len, 0644, d);
    free(to);
    buf_free(&b);
    return rc;
}

/* grub-mknetdir for one platform, unless its image is already there. */
static int grub_netdir(const char *release_dir, const struct grub_image *g, const char *log, struct diag *d)
{
    char *target = xasprintf("%s/%s", release_dir, g->path);
    char *moddir = xasprintf("/usr/lib/grub/%s", g->platform);
    int rc = 0;
    if (!path_exists(target)) {
        if (!is_dir(moddir))
            rc = diag_fail(d, EXIT_BUILD, "%s is missing: install Debian's %s package (make does)", moddir,
                           g->package);
        else {
            char *netdir = xasprintf("--net-directory=%s", release_dir);
            char *dir = xasprintf("--directory=%s", moddir);
            const char *argv[] = {"grub-mknetdir", netdir, "--subdir=grub", dir, NULL};
            struct run_opts o = {argv, NULL, NULL, log, "grub-mknetdir"};
            rc = run_logged(&o, d);
            free(netdir);
            free(dir);
        }
    }
    free(target);
    free(moddir);
    return rc;
}

int loaders_install(const char *release_dir, const char *log_path, struct diag *d)
{
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (copy_file(&files[i], release_dir, d) < 0)
            return -1;
    if (grub_netdir(release_dir, &grub_bios, log_path, d) < 0)
        return -1;
    return grub_netdir(release_dir, &grub_efi, log_path, d);
}

int loader_parse(const char *v, int efi, enum loader *out, struct diag *d)
{
    if (!strcmp(v, "ipxe"))
        *out = LOADER_IPXE;
    else if (!strcmp(v, "grub"))
        *out = LOADER_GRUB;
    else if (!strcmp(v, "pxelinux") && !efi)
        *out = LOADER_PXELINUX;
    else
        return diag_fail(d, EXIT_INPUT, "--%s-loader \"%s\": expected %s", efi ? "efi" : "bios", v,
                         efi ? "grub or ipxe" : "pxelinux, ipxe or grub");
    return 0;
}
