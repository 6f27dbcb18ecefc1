/* menu.h — the boot menu model and the boot-server outputs.
 *
 * A model is built once from the image recipes (those whose layers are all in
 * the release), the clients file (groups and MACs) and the options; each
 * emitter (menu_pxelinux.c, menu_ipxe.c, menu_grub.c, dhcp_dnsmasq.c,
 * dhcp_kea.c, dhcp_isc.c) turns it into files, in memory. Only when every
 * output rendered is anything written (each file atomically). */
#ifndef TNB_MENU_H
#define TNB_MENU_H

#include "clients.h"
#include "graph.h"
#include "loaders.h"

struct boot_entry {
    char *id;                 /* "vnc", "group-classroom-a", "client-pc17": [a-z0-9-_] */
    char *label;              /* menu text */
    char *kernel[FW_COUNT];   /* kernel file per firmware, e.g. "linux-pc.bzImage" */
    struct strv initrds[FW_COUNT];  /* per firmware: layer files, bottom to top, relative to the release */
    char *cmdline;            /* without initrd= */
    char *crypt6;             /* PXELINUX MENU PASSWD ($6$), or NULL */
    char *grub_pbkdf2;        /* GRUB password_pbkdf2, or NULL */
    int per_mac_only;         /* a client's entry: only in its own per-MAC config */
};

struct menu_client {
    char mac[18];             /* aa:bb:cc:dd:ee:ff */
    char *hostname;
    size_t entry;             /* index into entries */
};

enum dhcp_mode { DHCP_FULL, DHCP_PROXY };

struct menu_options {
    const char *release_dir;
    const char *clients_file;     /* NULL = none */
    const char *url_base;         /* "http://host/path" (no trailing /), or NULL */
    const char *tftp_prefix;      /* "path" inside the TFTP root, or NULL */
    const char *default_image;    /* NULL = "vnc" if the release has it, else the first by name */
    int timeout_s;
    enum dhcp_mode dhcp_mode;
    enum loader bios_loader, efi_loader;
    const char *server_ip;        /* next-server */
    const char *subnet;           /* a.b.c.d/len */
    const char *range_start, *range_end;
    const char *interface;        /* dnsmasq interface=, or NULL */
    const char *tftp_root;        /* dnsmasq tftp-root; NULL = absolute release dir */
    const char *append;           /* extra kernel arguments for every entry, or NULL */
};

struct menu_model {
    const struct menu_options *o;
    struct boot_entry *e;
    size_t n;
    size_t default_entry;
    struct menu_client *c;
    size_t nc;
};

/* A rendered output file. */
struct out_file {
    char *path;                   /* relative to the release dir */
    struct buf data;
};
struct out_files {
    struct out_file *f;
    size_t n;
};
struct buf *out_new(struct out_files *o, const char *path_fmt, ...) __attribute__((format(printf, 2, 3)));
void out_files_free(struct out_files *o);

/* Path of a release file as a loader sees it: prefix (tftp prefix, or url base
 * for loaders that can fetch HTTP) + name. */
char *menu_path(const struct menu_model *m, const char *file, int http_capable);
/* 1 when an entry's BIOS and UEFI clients boot different kernels or layer
 * files (a module-carrying layer brings its own kernel's modules). */
int entry_stacks_differ(const struct boot_entry *e);
/* The kernel command line for an entry, without initrd=. */
const char *entry_cmdline(const struct boot_entry *e);

int menu_build(const struct graph *g, const struct menu_options *o, struct menu_model *m, struct diag *d);
void menu_free(struct menu_model *m);
/* Render every output, then write them all. */
int menu_write_all(const struct menu_model *m, struct diag *d);

void emit_pxelinux(const struct menu_model *m, struct out_files *out);
void emit_ipxe(const struct menu_model *m, struct out_files *out);
void emit_grub(const struct menu_model *m, struct out_files *out);
void emit_dnsmasq(const struct menu_model *m, struct out_files *out);
void emit_kea(const struct menu_model *m, struct out_files *out);
void emit_isc_dhcpd(const struct menu_model *m, struct out_files *out);

/* Every emitter, in the order menu_write_all runs them: the one list that the
 * command and the golden tests (tests/unit/test_emitters.c) both iterate. */
struct emitter {
    const char *name;   /* "pxelinux", "ipxe", "grub", "dnsmasq", "kea", "isc-dhcpd" */
    void (*emit)(const struct menu_model *m, struct out_files *out);
};
extern const struct emitter menu_emitters[];
extern const size_t menu_emitters_count;

/* What the DHCP configs hand out, as paths the clients request. */
struct boot_files {
    char *script;   /* boot.ipxe (a URL with --url-base) */
    char *bios;     /* first loader for BIOS clients */
    char *efi;      /* first loader for x86-64 UEFI clients */
};
void boot_files_get(const struct menu_model *m, struct boot_files *bf);
void boot_files_free(struct boot_files *bf);

#endif
