/* loaders.c — see loaders.h. */
#define _GNU_SOURCE
#include "loaders.h"

#include <stdlib.h>
#include <string.h>

#include "run.h"

struct loader_file {
    const char *from, *to, *package;
};

static const struct loader_file files[] = {
    {"/usr/lib/PXELINUX/pxelinux.0", "pxelinux.0", "pxelinux"},
    {"/usr/lib/syslinux/modules/bios/ldlinux.c32", "ldlinux.c32", "syslinux-common"},
    {"/usr/lib/syslinux/modules/bios/menu.c32", "menu.c32", "syslinux-common"},
    {"/usr/lib/syslinux/modules/bios/libutil.c32", "libutil.c32", "syslinux-common"},
    {"/usr/lib/syslinux/modules/bios/libcom32.c32", "libcom32.c32", "syslinux-common"},
    {"/usr/lib/ipxe/undionly.kpxe", "undionly.0", "ipxe"},
    {"/usr/lib/ipxe/ipxe.efi", "ipxe.efi", "ipxe"},
};

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
static int grub_netdir(const char *release_dir, const char *platform, const char *image, const char *log,
                       struct diag *d)
{
    char *target = xasprintf("%s/grub/%s/%s", release_dir, platform, image);
    char *moddir = xasprintf("/usr/lib/grub/%s", platform);
    int rc = 0;
    if (!path_exists(target)) {
        if (!is_dir(moddir))
            rc = diag_fail(d, EXIT_BUILD, "%s is missing: install Debian's grub-%s-bin package (make does)", moddir,
                           strcmp(platform, "i386-pc") ? "efi-amd64" : "pc");
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
    if (grub_netdir(release_dir, "i386-pc", "core.0", log_path, d) < 0)
        return -1;
    return grub_netdir(release_dir, "x86_64-efi", "core.efi", log_path, d);
}
