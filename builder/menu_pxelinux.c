/* menu_pxelinux.c — pxelinux.cfg/default and pxelinux.cfg/01-<mac> (menu.c32).
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

/* A client's config: its own entry first (the default), then the shared menu. */
static void pxelinux_client(const struct menu_model *m, const struct menu_client *c, struct buf *b)
{
    pxelinux_header(m, b, c->hostname);
    pxelinux_entry(m, &m->e[c->entry], 1, b);
    for (size_t i = 0; i < m->n; i++)
        if (!m->e[i].per_mac_only)
            pxelinux_entry(m, &m->e[i], 0, b);
}

void emit_pxelinux(const struct menu_model *m, struct out_files *out)
{
    struct buf *b = out_new(out, "pxelinux.cfg/default");
    pxelinux_header(m, b, "tinynetboot");
    for (size_t i = 0; i < m->n; i++)
        if (!m->e[i].per_mac_only)
            pxelinux_entry(m, &m->e[i], i == m->default_entry, b);
    /* PXELINUX looks for 01-<mac> (01 = Ethernet) before "default" */
    menu_per_mac_files(m, out, "pxelinux.cfg/01-", pxelinux_client);
}
