/* menu_ipxe.c — boot.ipxe: a menu, one `initrd` line per layer (iPXE hands
 * them to the kernel in that order); and ipxe/01-<mac>.ipxe per client of the
 * clients file (its own entry), which boot.ipxe chains by the booting NIC's
 * MAC (${mac:hexhyp}, lower-case hex and hyphens, as our file names) before
 * the menu: a client that has no file there gets the menu. Not every client's
 * branch inline: 10,000 clients made boot.ipxe 9.2 MB, fetched and parsed by
 * every client (measured). Files only, so any static web server serves it.
 * Works over TFTP (paths relative to the script) and over HTTP (--url-base). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "menu.h"

/* Where the per-MAC scripts live, relative to boot.ipxe; iPXE resolves a
 * relative path against the script it runs, so theirs go one level up. */
#define IPXE_PER_MAC_DIR "ipxe/"
#define IPXE_PER_MAC_PREFIX IPXE_PER_MAC_DIR "01-"
#define IPXE_PER_MAC_SUFFIX ".ipxe"

/* A release file as a script in the release dir (up 0) or in ipxe/ (up 1) names it. */
static char *ipxe_path(const struct menu_model *m, const char *file, int up)
{
    char *p = menu_path(m, file, 1);
    if (!up || p[0] == '/' || strstr(p, "://"))
        return p;
    char *rel = xasprintf("../%s", p);
    free(p);
    return rel;
}

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

static void ipxe_stack(const struct menu_model *m, const struct boot_entry *e, enum firmware fw, int up,
                       struct buf *b)
{
    char *kernel = ipxe_path(m, e->kernel[fw], up);
    buf_printf(b, "kernel %s", kernel);
    efi_stub_initrds(e, fw, b);
    buf_printf(b, " %s || goto failed\n", entry_cmdline(e));
    free(kernel);
    for (size_t i = 0; i < e->initrds[fw].n; i++) {
        char *p = ipxe_path(m, e->initrds[fw].v[i], up);
        buf_printf(b, "initrd %s || goto failed\n", p);
        free(p);
    }
    buf_puts(b, "boot || goto failed\n");
}

static void ipxe_entry(const struct menu_model *m, const struct boot_entry *e, int up, struct buf *b)
{
    buf_printf(b, "\n:%s\n", e->id);
    buf_printf(b, "echo Booting %s\n", e->label);
    if (entry_stacks_differ(e)) {
        /* ${platform} is "efi" in ipxe.efi, "pcbios" in undionly.kpxe; ids have no dots */
        buf_printf(b, "iseq ${platform} efi && goto %s.efi ||\n", e->id);
        ipxe_stack(m, e, FW_BIOS, up, b);
        buf_printf(b, ":%s.efi\n", e->id);
        ipxe_stack(m, e, FW_EFI, up, b);
    } else {
        ipxe_stack(m, e, FW_BIOS, up, b);
    }
}

/* A client's script: its own entry; when that fails, `exit 1` ends the
 * chain in boot.ipxe with a failure, and boot.ipxe goes on to its menu. */
static void ipxe_client(const struct menu_model *m, const struct menu_client *c, struct buf *b)
{
    buf_puts(b, "#!ipxe\n");
    menu_banner(b, "#");
    buf_printf(b, "# %s (%s): its own entry; boot.ipxe's menu when it fails\n", c->hostname, c->mac);
    ipxe_entry(m, &m->e[c->entry], 1, b);
    buf_puts(b, "\n:failed\necho tinynetboot: boot failed, back to the menu in 5 s\nsleep 5\nexit 1\n");
}

static void ipxe_menu(const struct menu_model *m, struct buf *b)
{
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
}

void emit_ipxe(const struct menu_model *m, struct out_files *out)
{
    struct buf *b = out_new(out, "boot.ipxe");
    buf_puts(b, "#!ipxe\n");
    menu_banner(b, "#");
    if (m->nc) {
        char *per_mac = ipxe_path(m, IPXE_PER_MAC_PREFIX "${mac:hexhyp}" IPXE_PER_MAC_SUFFIX, 0);
        buf_printf(b, "\n# a client of the clients file boots its own script (none there: the menu)\n"
                      "chain --autofree %s ||\n", per_mac);
        free(per_mac);
    }
    ipxe_menu(m, b);
    for (size_t i = 0; i < m->n; i++)
        if (!m->e[i].per_mac_only)
            ipxe_entry(m, &m->e[i], 0, b);
    buf_puts(b, "\n:failed\necho tinynetboot: boot failed, back to the menu in 5 s\nsleep 5\ngoto menu\n");
    menu_per_mac_files(m, out, IPXE_PER_MAC_PREFIX, IPXE_PER_MAC_SUFFIX, ipxe_client);
}
