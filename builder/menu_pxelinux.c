/* menu_pxelinux.c — pxelinux.cfg/default and pxelinux.cfg/01-<mac> (menu.c32;
 * a per-MAC file is its client's entry and a way into the shared menu).
 * Layers stack with INITRD a,b,c (PXELINUX loads them in order). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "menu.h"

static void pxelinux_header(const struct menu_model *m, struct buf *b, const char *title)
{
    menu_banner(b, "#");
    buf_puts(b, "UI menu.c32\nPROMPT 0\n");
    buf_printf(b, "TIMEOUT %d\n", m->o->timeout_s * 10);
    buf_printf(b, "MENU TITLE %s\n", title);
}

static void pxelinux_entry(const struct menu_model *m, const struct boot_entry *e, int is_default, struct buf *b)
{
    buf_printf(b, "\nLABEL %s\n", e->id);
    buf_printf(b, "  MENU LABEL %s\n", e->label);
    if (is_default)
        buf_puts(b, "  MENU DEFAULT\n");
    if (e->crypt6)
        buf_printf(b, "  MENU PASSWD %s\n", e->crypt6);
    char *kernel = menu_path(m, e->kernel[FW_BIOS], 0);   /* PXELINUX is BIOS only */
    buf_printf(b, "  KERNEL %s\n  INITRD ", kernel);
    free(kernel);
    for (size_t i = 0; i < e->initrds[FW_BIOS].n; i++) {
        char *p = menu_path(m, e->initrds[FW_BIOS].v[i], 0);
        buf_printf(b, "%s%s", i ? "," : "", p);
        free(p);
    }
    buf_printf(b, "\n  APPEND %s\n", entry_cmdline(e));
}

/* A client's config: its own entry (the default), then one entry that opens
 * the shared menu (pxelinux.cfg/default, CONFIG: a new configuration file).
 * Not the shared entries themselves: every image and every group of the
 * clients file in each of 10,000 per-MAC files was 50 KB a file, 500 MB in
 * all, for 250 rooms (measured); this way a file is its client's size. */
static void pxelinux_client(const struct menu_model *m, const struct menu_client *c, struct buf *b)
{
    pxelinux_header(m, b, c->hostname);
    pxelinux_entry(m, &m->e[c->entry], 1, b);
    char *shared = menu_path(m, "pxelinux.cfg/default", 0);
    buf_printf(b, "\nLABEL shared-menu\n  MENU LABEL Other images...\n  CONFIG %s\n", shared);
    free(shared);
}

void emit_pxelinux(const struct menu_model *m, struct out_files *out)
{
    struct buf *b = out_new(out, "pxelinux.cfg/default");
    pxelinux_header(m, b, "tinynetboot");
    for (size_t i = 0; i < m->n; i++)
        if (!m->e[i].per_mac_only)
            pxelinux_entry(m, &m->e[i], i == m->default_entry, b);
    /* PXELINUX looks for 01-<mac> (01 = Ethernet) before "default" */
    menu_per_mac_files(m, out, "pxelinux.cfg/01-", "", pxelinux_client);
}
