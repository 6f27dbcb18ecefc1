/* sshkey.h — `tinynetboot sshkey`: a fresh ed25519 key pair for one client
 * (or a group), the private half written into a site layer for the
 * fbvnc-ssh layer's dbclient, the public half printed as an authorized_keys
 * line that permits nothing but the tunnel. */
#ifndef TNB_SSHKEY_H
#define TNB_SSHKEY_H

#include <stddef.h>

#include "util.h"

/* Where the fbvnc-ssh layer (overlays/fbvnc-ssh/etc/init.d/S45fbvnc-ssh) looks. */
#define SSHKEY_PRIVATE_PATH "etc/fbvnc-ssh/id_dropbear"
#define SSHKEY_KNOWN_HOSTS_PATH "etc/fbvnc-ssh/known_hosts"

extern const char sshkey_usage[];

/* The whole command; argv[0] is "sshkey". mtime: SOURCE_DATE_EPOCH.
 * Returns the exit status (0, 1, 2); messages on stderr. */
int sshkey_main(int argc, char **argv, long long mtime);

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
