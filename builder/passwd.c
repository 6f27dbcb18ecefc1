/* passwd.c — see passwd.h. */
#define _GNU_SOURCE
#include "passwd.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

enum { GRUB_ROUNDS = 10000, GRUB_SALT = 64, GRUB_HASH = 64, CRYPT_SALT_BYTES = 16 };

/* Salt material from libcrypto's CSPRNG: never computable from the password. */
static int random_salt(unsigned char *out, size_t n, struct diag *d)
{
    if (RAND_bytes(out, (int)n) != 1)
        return diag_fail(d, EXIT_BUILD, "libcrypto has no random bytes for a password salt");
    return 0;
}

int passwd_sha512_crypt(const char *plaintext, char **out, struct diag *d)
{
    unsigned char rnd[CRYPT_SALT_BYTES];
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (random_salt(rnd, sizeof rnd, d) < 0)
        return -1;
    if (!crypt_gensalt_rn("$6$", 0, (const char *)rnd, sizeof rnd, setting, sizeof setting))
        return diag_fail(d, EXIT_BUILD, "libcrypt cannot make a $6$ salt");
    struct crypt_data *data = xcalloc(1, sizeof *data);
    const char *hash = crypt_rn(plaintext, setting, data, sizeof *data);
    int rc = 0;
    if (!hash || hash[0] != '$')
        rc = diag_fail(d, EXIT_BUILD, "libcrypt cannot hash with SHA-512 crypt");
    else
        *out = xstrdup(hash);
    OPENSSL_cleanse(data, sizeof *data);
    free(data);
    return rc;
}

static void to_hex_upper(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02X", p[i]);
}

int passwd_grub_pbkdf2(const char *plaintext, char **out, struct diag *d)
{
    unsigned char salt[GRUB_SALT], hash[GRUB_HASH];
    if (random_salt(salt, sizeof salt, d) < 0)
        return -1;
    if (PKCS5_PBKDF2_HMAC(plaintext, (int)strlen(plaintext), salt, GRUB_SALT, GRUB_ROUNDS, EVP_sha512(),
                          GRUB_HASH, hash) != 1)
        return diag_fail(d, EXIT_BUILD, "libcrypto PBKDF2 failed");
    char salt_hex[2 * GRUB_SALT + 1], hash_hex[2 * GRUB_HASH + 1];
    to_hex_upper(salt, GRUB_SALT, salt_hex);
    to_hex_upper(hash, GRUB_HASH, hash_hex);
    *out = xasprintf("grub.pbkdf2.sha512.%d.%s.%s", GRUB_ROUNDS, salt_hex, hash_hex);
    OPENSSL_cleanse(hash, sizeof hash);
    return 0;
}
