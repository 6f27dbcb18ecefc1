/* menu_ipxe.c — boot.ipxe: per-MAC branches first, then a menu; one
 * `initrd` line per layer (iPXE hands them to the kernel in that order).
 * Works over TFTP (paths relative to the script) and over HTTP (--url-base). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "menu.h"

/* ipxe.efi starts the kernel as an EFI program; its EFI stub loads the layers
 * itself from iPXE's file system, and only those the command line names:
 * initrd=NAME, in stack order, NAME being the name iPXE gives a fetched file
 * (its last path component). Under BIOS, iPXE hands them over itself. */
static void efi_stub_initrds(const struct boot_entry *e, enum firmware fw, struct buf *b)
{
    for (size_t i = 0; fw == FW_EFI && i < e->initrds[fw].n; i++) {
        const char *slash = strrchr(e->initrds[fw].v[i], '/');
        buf_printf(b, " initrd=%s", slash ? slash + 1 : e->initrds[fw].v[i]);
    }
}

static void ipxe_stack(const struct menu_model *m, const struct boot_entry *e, enum firmware fw, struct buf *b)
{
    char *kernel = menu_path(m, e->kernel[fw], 1);
    buf_printf(b, "kernel %s", kernel);
    efi_stub_initrds(e, fw, b);
    buf_printf(b, " %s || goto failed\n", entry_cmdline(e));
    free(kernel);
    for (size_t i = 0; i < e->initrds[fw].n; i++) {
        char *p = menu_path(m, e->initrds[fw].v[i], 1);
        buf_printf(b, "initrd %s || goto failed\n", p);
        free(p);
    }
    buf_puts(b, "boot || goto failed\n");
}

static void ipxe_entry(const struct menu_model *m, const struct boot_entry *e, struct buf *b)
{
    buf_printf(b, "\n:%s\n", e->id);
    buf_printf(b, "echo Booting %s\n", e->label);
    if (entry_stacks_differ(e)) {
        /* ${platform} is "efi" in ipxe.efi, "pcbios" in undionly.kpxe; ids have no dots */
        buf_printf(b, "iseq ${platform} efi && goto %s.efi ||\n", e->id);
        ipxe_stack(m, e, FW_BIOS, b);
        buf_printf(b, ":%s.efi\n", e->id);
        ipxe_stack(m, e, FW_EFI, b);
    } else {
        ipxe_stack(m, e, FW_BIOS, b);
    }
}

void emit_ipxe(const struct menu_model *m, struct out_files *out)
{
    struct buf *b = out_new(out, "boot.ipxe");
    buf_puts(b, "#!ipxe\n");
    menu_banner(b, "#");
    if (m->nc)
        buf_puts(b, "\n# per-MAC clients boot their own entry\n");
    for (size_t c = 0; c < m->nc; c++)
        buf_printf(b, "iseq ${mac} %s && goto %s ||\n", m->c[c].mac, m->e[m->c[c].entry].id);
    buf_puts(b, "\n:menu\nmenu tinynetboot\n");
    int protected = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].per_mac_only)
            continue;
        if (m->e[i].crypt6) {
            protected = 1;   /* iPXE cannot check a password hash: never offer these */
            continue;
        }
        buf_printf(b, "item %s %s\n", m->e[i].id, m->e[i].label);
    }
    if (protected)
        buf_puts(b, "# entries with a menu password are left out: iPXE cannot check a hash\n");
    buf_printf(b, "choose --timeout %d --default %s target || goto %s\ngoto ${target}\n", m->o->timeout_s * 1000,
               m->e[m->default_entry].id, m->e[m->default_entry].id);
    for (size_t i = 0; i < m->n; i++)
        ipxe_entry(m, &m->e[i], b);
    buf_puts(b, "\n:failed\necho tinynetboot: boot failed, back to the menu in 5 s\nsleep 5\ngoto menu\n");
}
