/* menu.c — see menu.h: the model, and writing the outputs. */
#define _GNU_SOURCE
#include "menu.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "passwd.h"

struct buf *out_new(struct out_files *o, const char *path_fmt, ...)
{
    va_list ap;
    va_start(ap, path_fmt);
    char *path;
    if (vasprintf(&path, path_fmt, ap) < 0)
        abort();
    va_end(ap);
    o->f = xrealloc(o->f, (o->n + 1) * sizeof *o->f);
    o->f[o->n] = (struct out_file){path, {0}};
    return &o->f[o->n++].data;
}

void out_files_free(struct out_files *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->f[i].path);
        buf_free(&o->f[i].data);
    }
    free(o->f);
    memset(o, 0, sizeof *o);
}

char *menu_path(const struct menu_model *m, const char *file, int http_capable)
{
    if (m->o->url_base && http_capable)
        return xasprintf("%s/%s", m->o->url_base, file);
    if (m->o->tftp_prefix)
        return xasprintf("%s/%s", m->o->tftp_prefix, file);
    return xstrdup(file);
}

int entry_stacks_differ(const struct boot_entry *e)
{
    if (strcmp(e->kernel[FW_BIOS], e->kernel[FW_EFI]) != 0 || e->initrds[FW_BIOS].n != e->initrds[FW_EFI].n)
        return 1;
    for (size_t i = 0; i < e->initrds[FW_BIOS].n; i++)
        if (strcmp(e->initrds[FW_BIOS].v[i], e->initrds[FW_EFI].v[i]) != 0)
            return 1;
    return 0;
}

const char *entry_cmdline(const struct boot_entry *e)
{
    return e->cmdline ? e->cmdline : "";
}

void boot_files_get(const struct menu_model *m, struct boot_files *bf)
{
    bf->script = menu_path(m, "boot.ipxe", 1);
    bf->bios = menu_path(m, loader_bios_file(m->o->bios_loader), 0);
    bf->efi = menu_path(m, loader_efi_file(m->o->efi_loader), 0);
}

void boot_files_free(struct boot_files *bf)
{
    free(bf->script);
    free(bf->bios);
    free(bf->efi);
}

/* "a b" + "c" -> "a b c", skipping empty parts. */
static char *join_cmdline(const char *a, const char *b, const char *c)
{
    struct buf out = {0};
    const char *parts[] = {a, b, c};
    for (size_t i = 0; i < 3; i++)
        if (parts[i] && *parts[i])
            buf_printf(&out, "%s%s", out.len ? " " : "", parts[i]);
    if (!out.data)
        return xstrdup("");
    return (char *)out.data;
}

static struct boot_entry *new_entry(struct menu_model *m)
{
    m->e = xrealloc(m->e, (m->n + 1) * sizeof *m->e);
    struct boot_entry *e = &m->e[m->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static int release_has(const char *dir, const char *file)
{
    char *p = xasprintf("%s/%s", dir, file);
    int r = path_exists(p);
    free(p);
    return r;
}

static int all_in_release(const char *release_dir, const struct strv *files)
{
    for (size_t i = 0; i < files->n; i++)
        if (!release_has(release_dir, files->v[i]))
            return 0;
    return 1;
}

/* Images whose files for every firmware are in the release dir, sorted by name. */
static void usable_images(const struct graph *g, const char *release_dir, struct strv *names)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct recipe *r = &g->r[i];
        int all = r->kind == KIND_IMAGE;
        for (int fw = 0; fw < FW_COUNT && all; fw++) {
            struct strv files = {0};
            layout_image_stack(g, r, (enum firmware)fw, &files);
            all = files.n && all_in_release(release_dir, &files);
            strv_free(&files);
        }
        if (all)
            strv_push(names, r->name);
    }
}

/* The kernel and layer files of an image, per firmware; a client section may
 * pin a firmware's kernel (kernels[fw] non-NULL). */
static void add_image_files(const struct graph *g, const struct recipe *img, const struct recipe *const *kernels,
                            struct boot_entry *e)
{
    for (int fw = 0; fw < FW_COUNT; fw++) {
        const struct recipe *k = kernels && kernels[fw] ? kernels[fw] : graph_image_kernel(g, img, (enum firmware)fw);
        struct strv files = {0};
        layout_stack(g, k, &img->layers, &files);
        e->kernel[fw] = xstrdup(files.v[0]);
        for (size_t i = 1; i < files.n; i++)
            strv_push(&e->initrds[fw], files.v[i]);
        strv_free(&files);
    }
}

/* A clients file's `kernel`/`kernel-efi`: a kernel of the release, built, able to boot the image's layers. */
static int pinned_kernel(const struct graph *g, const struct menu_options *o, const struct client_section *s,
                         const struct recipe *img, enum firmware fw, const struct recipe **out, struct diag *d)
{
    const char *name = s->kernel[fw];
    if (!name)
        return 0;
    const struct recipe *rel = graph_release(g, &(struct diag){0});
    const struct recipe *k = graph_find(g, name);
    if (!k || k->kind != KIND_KERNEL || !rel || !strv_contains(&rel->kernels, name))
        return diag_fail_at(d, EXIT_INPUT, o->clients_file, s->kernel_line[fw], "kernel \"%s\" is not a kernel of the "
                            "release", name);
    for (size_t l = 0; l < img->layers.n; l++) {
        const char *missing = graph_missing_fragment(k, graph_find(g, img->layers.v[l]));
        if (missing)
            return diag_fail_at(d, EXIT_INPUT, o->clients_file, s->kernel_line[fw], "kernel %s cannot boot image "
                                "%s: it lacks layer %s's fragment %s", name, img->name, img->layers.v[l], missing);
    }
    struct strv files = {0};
    layout_stack(g, k, &img->layers, &files);
    int ok = all_in_release(o->release_dir, &files);
    strv_free(&files);
    if (!ok)
        return diag_fail_at(d, EXIT_INPUT, o->clients_file, s->kernel_line[fw], "kernel %s: its files for image %s "
                            "are not all in %s (build the release first)", name, img->name, o->release_dir);
    *out = k;
    return 0;
}

/* A client's own pin wins over its group's. */
static int section_kernels(const struct graph *g, const struct menu_options *o, const struct client_section *s,
                           const struct client_section *grp, const struct recipe *img, const struct recipe **kernels,
                           struct diag *d)
{
    for (int fw = 0; fw < FW_COUNT; fw++) {
        kernels[fw] = NULL;
        const struct client_section *from = s->kernel[fw] ? s : grp && grp->kernel[fw] ? grp : NULL;
        if (from && pinned_kernel(g, o, from, img, (enum firmware)fw, &kernels[fw], d) < 0)
            return -1;
    }
    return 0;
}

static int set_password(struct boot_entry *e, const char *plain, struct diag *d)
{
    if (!plain)
        return 0;
    if (passwd_sha512_crypt(plain, &e->crypt6, d) < 0)
        return -1;
    return passwd_grub_pbkdf2(plain, &e->grub_pbkdf2, d);
}

/* Entries for groups and clients of the clients file. */
static int add_sections(const struct graph *g, struct menu_model *m, const struct clients *cl, struct diag *d)
{
    for (size_t i = 0; i < cl->n; i++) {
        const struct client_section *s = &cl->s[i];
        const struct client_section *grp = s->group ? clients_group(cl, s->group) : NULL;
        const char *image = s->image ? s->image : grp->image;
        const struct recipe *img = graph_find(g, image);
        struct boot_entry *e = new_entry(m);
        char dashed[18];
        mac_dashed(s->mac, dashed);
        e->id = s->is_client ? xasprintf("client-%s", dashed) : xasprintf("group-%s", s->name);
        if (s->label)
            e->label = xstrdup(s->label);
        else if (s->is_client)
            e->label = xasprintf("%s: %s", s->name, img->label);
        else
            e->label = xasprintf("%s: %s", s->name, img->label);
        const struct recipe *kernels[FW_COUNT];
        if (section_kernels(g, m->o, s, grp, img, kernels, d) < 0)
            return -1;
        add_image_files(g, img, kernels, e);
        for (int fw = 0; fw < FW_COUNT; fw++) {
            for (size_t l = 0; grp && l < grp->layers.n; l++)
                strv_push(&e->initrds[fw], grp->layers.v[l]);
            for (size_t l = 0; l < s->layers.n; l++)
                strv_push(&e->initrds[fw], s->layers.v[l]);
        }
        char *own = join_cmdline(grp ? grp->cmdline : NULL, s->cmdline, NULL);
        e->cmdline = join_cmdline(img->cmdline, m->o->append, own);
        free(own);
        e->per_mac_only = s->is_client;
        const char *pw = s->password ? s->password : grp ? grp->password : NULL;
        if (set_password(e, pw, d) < 0)
            return -1;
        if (s->is_client) {
            m->c = xrealloc(m->c, (m->nc + 1) * sizeof *m->c);
            struct menu_client *c = &m->c[m->nc++];
            memcpy(c->mac, s->mac, sizeof c->mac);
            c->hostname = strcmp(s->name, s->mac) ? xstrdup(s->name) : xasprintf("tnb-%s", dashed);
            for (char *h = c->hostname; *h; h++)
                if (*h == '_')
                    *h = '-';
            c->entry = m->n - 1;
        }
    }
    return 0;
}

/* The image the menus boot when nobody chooses: --default, else the thin
   client (what most users want; the first image by name is `http`, a network
   root that waits on HTTP retries), else the first image by name. */
#define MENU_PREFERRED_DEFAULT "vnc"

static const char *default_image(const struct menu_options *o, const struct strv *images)
{
    if (o->default_image)
        return o->default_image;
    if (strv_contains(images, MENU_PREFERRED_DEFAULT))
        return MENU_PREFERRED_DEFAULT;
    return images->v[0];
}

int menu_build(const struct graph *g, const struct menu_options *o, struct menu_model *m, struct diag *d)
{
    memset(m, 0, sizeof *m);
    m->o = o;
    if (!release_has(o->release_dir, "bzImage"))
        return diag_fail(d, EXIT_INPUT, "%s: no bzImage (build the release first)", o->release_dir);
    struct strv images = {0};
    usable_images(g, o->release_dir, &images);
    if (images.n == 0) {
        strv_free(&images);
        return diag_fail(d, EXIT_INPUT, "%s: no image has its kernels and all its layers here", o->release_dir);
    }
    if (o->default_image && !strv_contains(&images, o->default_image)) {
        diag_fail(d, EXIT_INPUT, "--default %s: no such image in this release", o->default_image);
        strv_free(&images);
        return -1;
    }
    for (size_t i = 0; i < images.n; i++) {
        const struct recipe *img = graph_find(g, images.v[i]);
        struct boot_entry *e = new_entry(m);
        e->id = xstrdup(img->name);
        e->label = xstrdup(img->label);
        add_image_files(g, img, NULL, e);
        e->cmdline = join_cmdline(img->cmdline, o->append, NULL);
        if (!strcmp(default_image(o, &images), img->name))
            m->default_entry = i;
    }
    int rc = 0;
    if (o->clients_file) {
        struct clients cl;
        rc = clients_load(o->clients_file, &images, o->release_dir, &cl, d);
        if (rc == 0) {
            rc = add_sections(g, m, &cl, d);
            clients_free(&cl);
        }
    }
    strv_free(&images);
    if (rc < 0)
        menu_free(m);
    return rc;
}

void menu_free(struct menu_model *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].id);
        free(m->e[i].label);
        for (int fw = 0; fw < FW_COUNT; fw++) {
            free(m->e[i].kernel[fw]);
            strv_free(&m->e[i].initrds[fw]);
        }
        free(m->e[i].cmdline);
        free(m->e[i].crypt6);
        free(m->e[i].grub_pbkdf2);
    }
    for (size_t i = 0; i < m->nc; i++)
        free(m->c[i].hostname);
    free(m->e);
    free(m->c);
    memset(m, 0, sizeof *m);
}

const struct emitter menu_emitters[] = {
    {"pxelinux", emit_pxelinux},
    {"ipxe", emit_ipxe},
    {"grub", emit_grub},
    {"dnsmasq", emit_dnsmasq},
    {"kea", emit_kea},
    {"isc-dhcpd", emit_isc_dhcpd},
};
const size_t menu_emitters_count = sizeof menu_emitters / sizeof menu_emitters[0];

int menu_write_all(const struct menu_model *m, struct diag *d)
{
    struct out_files out = {0};
    for (size_t i = 0; i < menu_emitters_count; i++)
        menu_emitters[i].emit(m, &out);
    int rc = 0;
    for (size_t i = 0; i < out.n && rc == 0; i++) {
        char *path = xasprintf("%s/%s", m->o->release_dir, out.f[i].path);
        char *dir = dir_name(path);
        rc = mkdir_p(dir, d);
        if (rc == 0)
            rc = write_file_if_changed(path, out.f[i].data.data, out.f[i].data.len, 0644, d);
        free(dir);
        free(path);
    }
    out_files_free(&out);
    return rc;
}
