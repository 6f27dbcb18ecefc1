/* sshkey.h — `tinynetboot sshkey`: a fresh ed25519 key pair for one client
 * (or a group), the private half written into a site layer for the
 * fbvnc-ssh layer's dbclient, the public half printed as an authorized_keys
 * line that permits nothing but the tunnel. */
#ifndef TNB_SSHKEY_H
#define TNB_SSHKEY_H

#include <stddef.h>

#include "cpio.h"
#include "util.h"

/* Where the fbvnc-ssh layer (overlays/fbvnc-ssh/etc/init.d/S45fbvnc-ssh) looks. */
#define SSHKEY_PRIVATE_PATH "etc/fbvnc-ssh/id_dropbear"
#define SSHKEY_KNOWN_HOSTS_PATH "etc/fbvnc-ssh/known_hosts"

/* What `tinynetboot sshkey` was asked for (cmd_sshkey.c fills it from argv). */
struct sshkey_options {
    const char *output;           /* the site layer to write (required) */
    const char *permit;           /* HOST:PORT the key may forward to (required) */
    const char *only_from;        /* from="..." patterns, or NULL */
    const char *comment;          /* the line's comment, or NULL: the output's file name */
    const char *authorized_keys;  /* also append the line to this file, or NULL */
    struct buf known;             /* known_hosts lines (sshkey_add_known_host) */
    struct cpio_tree tree;        /* other files of the layer (layer_add_file_arg) */
};

/* "HOST=PUBFILE": PUBFILE's first line must be "ssh-ed25519 BASE64 [comment]"; appends
   "HOST ssh-ed25519 BASE64\n" to known. -1 + diag (EXIT_INPUT) naming the argument. */
int sshkey_add_known_host(const char *arg, struct buf *known, struct diag *d);
/* Everything the options can get wrong, checked before any key is made:
   -1 + diag (EXIT_INPUT, "sshkey: ..."). */
int sshkey_options_check(const struct sshkey_options *o, struct diag *d);
/* Make the key pair, write the layer (0600; mtime: SOURCE_DATE_EPOCH), append to
   authorized_keys if asked, print the authorized_keys line on stdout. Secrets in
   memory are overwritten before they are freed. */
int sshkey_make(struct sshkey_options *o, long long mtime, struct diag *d);
void sshkey_options_free(struct sshkey_options *o);

/* An ed25519 private key in dropbear's format (what dbclient -i reads):
 * string "ssh-ed25519", string priv(32) || pub(32). out gets 83 bytes. */
void sshkey_dropbear_ed25519(const unsigned char priv[32], const unsigned char pub[32], struct buf *out);

/* "ssh-ed25519 AAAA..." (the public key in OpenSSH's one-line form). */
char *sshkey_openssh_public(const unsigned char pub[32]);

/* Append line (an authorized_keys line, ending in "\n") to the file at path,
 * in place (its owner, mode and other keys stay), creating it 0600 if missing;
 * nothing is added when a line already holds `key` ("ssh-ed25519 BASE64").
 * A symlink or a non-regular file at path is refused (EXIT_INPUT). */
int sshkey_append_authorized(const char *path, const char *line, const char *key, struct diag *d);

/* Checks "HOST:PORT" (host: letters, digits, '.', '-'; port 1..65535). */
int sshkey_valid_hostport(const char *s);

#endif
