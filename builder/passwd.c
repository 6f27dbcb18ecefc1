/* passwd.c — see passwd.h. */
#define _GNU_SOURCE
#include "passwd.h"

#include <crypt.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

enum { GRUB_ROUNDS = 10000, GRUB_SALT = 64, GRUB_HASH = 64 };

/* Deterministic salt material: SHA-512(purpose, context, plaintext). */
static void salt_bytes(const char *purpose, const char *context, const char *plaintext, unsigned char out[64])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    EVP_DigestInit_ex(ctx, EVP_sha512(), NULL);
    EVP_DigestUpdate(ctx, purpose, strlen(purpose) + 1);
    EVP_DigestUpdate(ctx, context, strlen(context) + 1);
    EVP_DigestUpdate(ctx, plaintext, strlen(plaintext));
    EVP_DigestFinal_ex(ctx, out, &len);
    EVP_MD_CTX_free(ctx);
}

int passwd_sha512_crypt(const char *context, const char *plaintext, char **out, struct diag *d)
{
    unsigned char rnd[64];
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    salt_bytes("tinynetboot-sha512crypt", context, plaintext, rnd);
    if (!crypt_gensalt_rn("$6$", 0, (const char *)rnd, 16, setting, sizeof setting))
        return diag_fail(d, EXIT_BUILD, "libcrypt cannot make a $6$ salt");
    struct crypt_data *data = xcalloc(1, sizeof *data);
    const char *hash = crypt_rn(plaintext, setting, data, sizeof *data);
    int rc = 0;
    if (!hash || hash[0] != '$')
        rc = diag_fail(d, EXIT_BUILD, "libcrypt cannot hash with SHA-512 crypt");
    else
        *out = xstrdup(hash);
    memset(data, 0, sizeof *data);
    free(data);
    return rc;
}

static void to_hex_upper(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02X", p[i]);
}

int passwd_grub_pbkdf2(const char *context, const char *plaintext, char **out, struct diag *d)
{
    unsigned char salt[GRUB_SALT], hash[GRUB_HASH];
    salt_bytes("tinynetboot-grub-pbkdf2", context, plaintext, salt);
    if (PKCS5_PBKDF2_HMAC(plaintext, (int)strlen(plaintext), salt, GRUB_SALT, GRUB_ROUNDS, EVP_sha512(),
                          GRUB_HASH, hash) != 1)
        return diag_fail(d, EXIT_BUILD, "libcrypto PBKDF2 failed");
    char salt_hex[2 * GRUB_SALT + 1], hash_hex[2 * GRUB_HASH + 1];
    to_hex_upper(salt, GRUB_SALT, salt_hex);
    to_hex_upper(hash, GRUB_HASH, hash_hex);
    *out = xasprintf("grub.pbkdf2.sha512.%d.%s.%s", GRUB_ROUNDS, salt_hex, hash_hex);
    memset(hash, 0, sizeof hash);
    return 0;
}
