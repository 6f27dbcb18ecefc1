/* passwd.h — menu password hashes. The plaintext is only ever in memory.
 *
 * PXELINUX takes SHA-512 crypt ("$6$", through libcrypt); GRUB takes only its
 * own PBKDF2 form ("grub.pbkdf2.sha512.ROUNDS.SALT.HASH", through libcrypto).
 * Salts are derived from the section name and the password, so the same
 * clients file gives the same bytes (reproducible outputs), two groups with
 * the same password still get different hashes, and no salt is ever stored
 * anywhere else. A menu password is a console deterrent, not network security. */
#ifndef TNB_PASSWD_H
#define TNB_PASSWD_H

#include "util.h"

int passwd_sha512_crypt(const char *context, const char *plaintext, char **out, struct diag *d);
int passwd_grub_pbkdf2(const char *context, const char *plaintext, char **out, struct diag *d);

#endif
