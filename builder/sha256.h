/* sha256.h — SHA-256 through OpenSSL's libcrypto (EVP), as lower-case hex. */
#ifndef TNB_SHA256_H
#define TNB_SHA256_H

#include "util.h"

enum { SHA256_HEX_LEN = 64 };

struct sha256 {
    void *ctx;   /* EVP_MD_CTX */
};

void sha256_begin(struct sha256 *h);
void sha256_add(struct sha256 *h, const void *data, size_t n);
void sha256_add_str(struct sha256 *h, const char *s);   /* includes the terminating NUL as a separator */
void sha256_end(struct sha256 *h, char hex[SHA256_HEX_LEN + 1]);
void sha256_of(const void *data, size_t n, char hex[SHA256_HEX_LEN + 1]);
/* Hash a file's contents; -1 + diag (EXIT_BUILD) if it can't be read. */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], struct diag *d);
int sha256_add_file(struct sha256 *h, const char *path, struct diag *d);

#endif
