/* passwd.h — menu password hashes. The plaintext is only ever in memory.
 *
 * PXELINUX takes SHA-512 crypt ("$6$", through libcrypt); GRUB takes only its
 * own PBKDF2 form ("grub.pbkdf2.sha512.ROUNDS.SALT.HASH", through libcrypto).
 * Salts are random (libcrypto's RAND_bytes), new on every run: the menus are
 * served to anyone by TFTP, so a salt computable from the password would let
 * one cheap hash per guess confirm it. The price: the password lines of the
 * menus (PXELINUX `MENU PASSWD`, GRUB `password_pbkdf2`) differ between two
 * runs. A menu password is a console deterrent, not network security. */
#ifndef TNB_PASSWD_H
#define TNB_PASSWD_H

#include "util.h"

int passwd_sha512_crypt(const char *plaintext, char **out, struct diag *d);
int passwd_grub_pbkdf2(const char *plaintext, char **out, struct diag *d);

#endif
