/* test_passwd.c — menu password hashes (issue 15, defect 1): salts are random,
 * never computable from the password (the old salt was SHA-512(purpose, entry
 * id, plaintext): a one-hash oracle published next to the hash), and the
 * hashes still verify: crypt() with the emitted $6$ setting, and GRUB's PBKDF2
 * recomputed with libcrypto. */
#define _GNU_SOURCE
#include <crypt.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "passwd.h"
#include "tap.h"

#define CONTEXT "group-room-a"
#define PLAIN "Plain-Text-Secret-42"

/* What the old code used as salt material. */
static void old_salt(const char *purpose, unsigned char out[64])
{
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha512(), NULL);
    EVP_DigestUpdate(ctx, purpose, strlen(purpose) + 1);
    EVP_DigestUpdate(ctx, CONTEXT, strlen(CONTEXT) + 1);
    EVP_DigestUpdate(ctx, PLAIN, strlen(PLAIN));
    EVP_DigestFinal_ex(ctx, out, &len);
    EVP_MD_CTX_free(ctx);
}

/* The "$6$SALT$" part of a hash. */
static char *setting_of(const char *hash)
{
    const char *end = strrchr(hash, '$');
    return strndup(hash, (size_t)(end - hash) + 1);
}

static int hex_decode(const char *s, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2X", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

/* grub.pbkdf2.sha512.ROUNDS.SALT.HASH recomputed with libcrypto. */
static int grub_verifies(const char *line, const char *plain, char **salt_hex)
{
    int rounds = 0, at = 0;
    if (sscanf(line, "grub.pbkdf2.sha512.%d.%n", &rounds, &at) != 1 || at == 0)
        return 0;
    const char *salt = line + at, *dot = strchr(salt, '.');
    if (!dot || (dot - salt) != 128 || strlen(dot + 1) != 128)
        return 0;
    unsigned char s[64], h[64], mine[64];
    if (hex_decode(salt, 64, s) < 0 || hex_decode(dot + 1, 64, h) < 0)
        return 0;
    *salt_hex = strndup(salt, 128);
    return PKCS5_PBKDF2_HMAC(plain, (int)strlen(plain), s, 64, rounds, EVP_sha512(), 64, mine) == 1 &&
           memcmp(mine, h, 64) == 0;
}

int main(void)
{
    struct tap t = {0};
    struct diag d = {0};
    char *a = NULL, *b = NULL;
    ok(&t, passwd_sha512_crypt(PLAIN, &a, &d) == 0 && passwd_sha512_crypt(PLAIN, &b, &d) == 0, "two $6$ hashes");
    char *sa = setting_of(a), *sb = setting_of(b);
    ok(&t, strcmp(sa, sb) != 0, "two runs give two different $6$ salts (%s, %s)", sa, sb);
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    const char *again = crypt_r(PLAIN, a, &cd);
    ok(&t, again && strcmp(again, a) == 0, "crypt() of the password with the emitted setting reproduces it");
    again = crypt_r("wrong", a, &cd);
    ok(&t, again && strcmp(again, a) != 0, "... and a wrong password does not");
    unsigned char rnd[64];
    char old[CRYPT_GENSALT_OUTPUT_SIZE];
    old_salt("tinynetboot-sha512crypt", rnd);
    crypt_gensalt_rn("$6$", 0, (const char *)rnd, 16, old, sizeof old);
    ok(&t, strncmp(a, old, strlen(old)) != 0 && strncmp(b, old, strlen(old)) != 0,
       "the $6$ salt is not the old SHA-512(purpose, id, password) derivation (%s)", old);

    char *g1 = NULL, *g2 = NULL, *s1 = NULL, *s2 = NULL;
    ok(&t, passwd_grub_pbkdf2(PLAIN, &g1, &d) == 0 && passwd_grub_pbkdf2(PLAIN, &g2, &d) == 0, "two GRUB hashes");
    ok(&t, grub_verifies(g1, PLAIN, &s1) && grub_verifies(g2, PLAIN, &s2),
       "GRUB PBKDF2 verifies with libcrypto's PKCS5_PBKDF2_HMAC (SHA-512, the emitted rounds and salt)");
    char *s3 = NULL;
    ok(&t, !grub_verifies(g1, "wrong", &s3), "... and a wrong password does not");
    ok(&t, s1 && s2 && strcmp(s1, s2) != 0, "two runs give two different GRUB salts");
    old_salt("tinynetboot-grub-pbkdf2", rnd);
    unsigned char got[64];
    ok(&t, s1 && hex_decode(s1, 64, got) == 0 && memcmp(got, rnd, 64) != 0,
       "the GRUB salt is not the old SHA-512(purpose, id, password) derivation");
    free(a);
    free(b);
    free(sa);
    free(sb);
    free(g1);
    free(g2);
    free(s1);
    free(s2);
    free(s3);
    return tap_done(&t);
}
