/* sha256.c — see sha256.h. */
#define _GNU_SOURCE
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sha256_begin(struct sha256 *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        fputs("tinynetboot: libcrypto: cannot initialise sha256\n", stderr);
        abort();
    }
    h->ctx = ctx;
}

void sha256_add(struct sha256 *h, const void *data, size_t n)
{
    EVP_DigestUpdate(h->ctx, data, n);
}

void sha256_add_str(struct sha256 *h, const char *s)
{
    sha256_add(h, s, strlen(s) + 1);
}

void sha256_end(struct sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(h->ctx, md, &len);
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

void sha256_of(const void *data, size_t n, char hex[SHA256_HEX_LEN + 1])
{
    struct sha256 h;
    sha256_begin(&h);
    sha256_add(&h, data, n);
    sha256_end(&h, hex);
}

int sha256_add_file(struct sha256 *h, const char *path, struct diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
    enum { CHUNK = 1 << 16 };
    unsigned char *chunk = xmalloc(CHUNK);
    int rc = 0;
    for (;;) {
        ssize_t r = read(fd, chunk, CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        sha256_add(h, chunk, (size_t)r);
    }
    free(chunk);
    close(fd);
    return rc;
}

int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], struct diag *d)
{
    struct sha256 h;
    sha256_begin(&h);
    if (sha256_add_file(&h, path, d) < 0) {
        sha256_end(&h, hex);
        return -1;
    }
    sha256_end(&h, hex);
    return 0;
}
