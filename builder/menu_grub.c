/* menu_grub.c — grub/grub.cfg and grub/grub.cfg-01-<mac> for GRUB 2 netboot
 * (BIOS i386-pc-pxe and x86_64-efi). `linux` + one `initrd` line listing every
 * layer in order. Paths are from the TFTP root ($root is the boot server).
 * Menu passwords use GRUB's own PBKDF2 form; with any password set, nobody is
 * a superuser, so no entry can be edited at the console. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "menu.h"

static int any_password(const struct menu_model *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].grub_pbkdf2)
            return 1;
    return 0;
}

/* The header; with passwords (pw: any entry of the model has one), the
 * password_pbkdf2 lines of the entries this file shows: the shared ones, or
 * (own non-NULL) a client's own. */
static void grub_header(const struct menu_model *m, struct buf *b, const char *default_id, int pw,
                        const struct boot_entry *own)
{
    menu_banner(b, "#");
    buf_puts(b, "insmod serial\nserial --unit=0 --speed=115200\n"
                "terminal_input console serial\nterminal_output console serial\n");
    /* UEFI has no VGA BIOS: vga= means nothing there, and the kernel gets a
     * framebuffer (/dev/fb0, which the VNC viewer draws on) only when GRUB
     * hands it the firmware's GOP mode */
    buf_puts(b, "if [ \"$grub_platform\" = \"efi\" ]; then\n    insmod efi_gop\n    insmod all_video\n"
                "    set gfxpayload=keep\nfi\n");
    buf_printf(b, "set timeout=%d\nset default=%s\n", m->o->timeout_s, default_id);
    if (pw) {
        buf_puts(b, "set superusers=\"tinynetboot-nobody\"\n");
        if (own && own->grub_pbkdf2)
            buf_printf(b, "password_pbkdf2 %s %s\n", own->id, own->grub_pbkdf2);
        for (size_t i = 0; !own && i < m->n; i++)
            if (m->e[i].grub_pbkdf2 && !m->e[i].per_mac_only)
                buf_printf(b, "password_pbkdf2 %s %s\n", m->e[i].id, m->e[i].grub_pbkdf2);
    }
}

static char *grub_path(const struct menu_model *m, const char *file)
{
    if (m->o->tftp_prefix)
        return xasprintf("/%s/%s", m->o->tftp_prefix, file);
    return xasprintf("/%s", file);
}

static void grub_stack(const struct menu_model *m, const struct boot_entry *e, enum firmware fw, const char *indent,
                       struct buf *b)
{
    char *kernel = grub_path(m, e->kernel[fw]);
    buf_printf(b, "%slinux %s %s\n%sinitrd", indent, kernel, entry_cmdline(e), indent);
    free(kernel);
    for (size_t i = 0; i < e->initrds[fw].n; i++) {
        char *p = grub_path(m, e->initrds[fw].v[i]);
        buf_printf(b, " %s", p);
        free(p);
    }
    buf_puts(b, "\n");
}

static void grub_entry(const struct menu_model *m, const struct boot_entry *e, int passwords, struct buf *b)
{
    buf_printf(b, "\nmenuentry '%s' --id %s", e->label, e->id);
    if (e->grub_pbkdf2)
        buf_printf(b, " --users %s", e->id);
    else if (passwords)
        buf_puts(b, " --unrestricted");
    buf_printf(b, " {\n    echo 'Loading %s'\n", e->label);
    if (entry_stacks_differ(e)) {
        /* one grub.cfg serves i386-pc and x86_64-efi GRUB: each firmware its kernel and modules */
        buf_puts(b, "    if [ \"$grub_platform\" = \"efi\" ]; then\n");
        grub_stack(m, e, FW_EFI, "        ", b);
        buf_puts(b, "    else\n");
        grub_stack(m, e, FW_BIOS, "        ", b);
        buf_puts(b, "    fi\n");
    } else {
        grub_stack(m, e, FW_BIOS, "    ", b);
    }
    buf_puts(b, "}\n");
}

/* A client's config: its own entry (the default), then one entry that opens
 * the shared menu (grub.cfg, which sets its own passwords): as PXELINUX's
 * per-MAC files, not a copy of every shared entry in each (500 MB of GRUB
 * configs for 10,000 clients in 250 rooms, measured). */
static void grub_client(const struct menu_model *m, const struct menu_client *c, int pw, struct buf *b)
{
    const struct boot_entry *own = &m->e[c->entry];
    grub_header(m, b, own->id, pw, own);
    grub_entry(m, own, pw, b);
    char *shared = grub_path(m, "grub/grub.cfg");
    buf_printf(b, "\nmenuentry 'Other images...' --id shared-menu%s {\n    configfile %s\n}\n", pw ? " --unrestricted" : "",
               shared);
    free(shared);
}

void emit_grub(const struct menu_model *m, struct out_files *out)
{
    int pw = any_password(m);
    struct buf *b = out_new(out, "grub/grub.cfg");
    grub_header(m, b, m->e[m->default_entry].id, pw, NULL);
    for (size_t i = 0; i < m->n; i++)
        if (!m->e[i].per_mac_only)
            grub_entry(m, &m->e[i], pw, b);
    /* GRUB's network boot tries grub.cfg-01-<mac> in its prefix before grub.cfg;
       pw once, not per client (any_password is a pass over every entry) */
    for (size_t c = 0; c < m->nc; c++) {
        char dashed[18];
        mac_dashed(m->c[c].mac, dashed);
        grub_client(m, &m->c[c], pw, out_new(out, "grub/grub.cfg-01-%s", dashed));
    }
}
