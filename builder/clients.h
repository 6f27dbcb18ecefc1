/* clients.h — the clients file: client groups and single machines (by MAC)
 * mapped to an image, extra kernel command line, site layers stacked on top,
 * and a menu password. Format (see README, "Clients file"):
 *
 *   group classroom-a              a section; keys below belong to it
 *       image     vnc
 *       label     Classroom A
 *       cmdline   fbvnc=10.0.0.5:5901
 *       layer     sites/classroom-a.cpio.xz     (repeatable, bottom to top)
 *       password-file  classroom.pass           (plaintext, first line; never copied)
 *       kernel    linux-pc         (BIOS clients boot this kernel of the release)
 *       kernel-efi linux-efi       (UEFI clients: this one)
 *   client 52:54:00:12:34:56 [NAME]
 *       group     classroom-a      (inherits image, cmdline, layers, password)
 *       cmdline   fbvnc=10.0.0.9:5901           (appended to the group's)
 *       layer     sites/pc17.cpio.xz            (stacked above the group's)
 *
 * Errors are "FILE:LINE: message", exit 2. Image names are checked against
 * the caller's list; layer files against the release directory. */
#ifndef TNB_CLIENTS_H
#define TNB_CLIENTS_H

#include "graph.h"

struct client_section {
    int is_client;          /* 0 = group */
    char *name;             /* group name, or the client's optional name */
    char mac[18];           /* clients: "52:54:00:12:34:56", lower case */
    char *group;            /* clients: the group it belongs to, or NULL */
    char *image;
    char *kernel[FW_COUNT];  /* a pinned kernel per firmware (`kernel`, `kernel-efi`), or NULL */
    int kernel_line[FW_COUNT];
    char *label;
    char *cmdline;
    struct strv layers;
    char *password;         /* plaintext read from password-file (memory only) */
    int line;               /* the section header's line */
};

struct clients {
    struct client_section *s;
    size_t n;
};

/* Parse text (the clients file at `path`). images: valid image names.
 * release_dir: where layer files must exist (NULL = don't check). */
int clients_parse(const char *path, const char *text, const struct strv *images, const char *release_dir,
                  struct clients *c, struct diag *d);
int clients_load(const char *path, const struct strv *images, const char *release_dir, struct clients *c,
                 struct diag *d);
void clients_free(struct clients *c);
const struct client_section *clients_group(const struct clients *c, const char *name);
/* "52:54:00:12:34:56" -> "52-54-00-12-34-56" into out[18]. */
void mac_dashed(const char *mac, char out[18]);

#endif
