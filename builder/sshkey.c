/* sshkey.c — see sshkey.h.
 *
 * The key is random (OpenSSL's generator): unlike every other output of
 * tinynetboot, running this twice gives two different layers. The layer's
 * other bytes follow the usual rules (sorted entries, owner root, mtime
 * SOURCE_DATE_EPOCH). Everything the options can get wrong is checked
 * (sshkey_options_check) before the key is made, so bad input writes nothing. */
#define _GNU_SOURCE
#include "sshkey.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "layer.h"

static void put_u32(struct buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    buf_append(b, p, 4);
}

static void put_string(struct buf *b, const void *p, size_t n)
{
    put_u32(b, (uint32_t)n);
    buf_append(b, p, n);
}

void sshkey_dropbear_ed25519(const unsigned char priv[32], const unsigned char pub[32], struct buf *out)
{
    put_string(out, "ssh-ed25519", 11);
    put_u32(out, 64);
    buf_append(out, priv, 32);
    buf_append(out, pub, 32);
}

char *sshkey_openssh_public(const unsigned char pub[32])
{
    struct buf blob = {0};
    put_string(&blob, "ssh-ed25519", 11);
    put_string(&blob, pub, 32);
    unsigned char b64[4 * ((51 + 2) / 3) + 1];
    int n = EVP_EncodeBlock(b64, blob.data, (int)blob.len);
    buf_free(&blob);
    return xasprintf("ssh-ed25519 %.*s", n, (const char *)b64);
}

static int valid_host(const char *h, size_t n)
{
    if (n == 0 || n > 253 || h[0] == '-' || h[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-'))
            return 0;
    }
    return 1;
}

int sshkey_valid_hostport(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || !valid_host(s, (size_t)(colon - s)))
        return 0;
    const char *p = colon + 1;
    size_t n = strlen(p);
    if (n == 0 || n > 5 || strspn(p, "0123456789") != n)
        return 0;
    long port = strtol(p, NULL, 10);
    return port >= 1 && port <= 65535;
}

/* from="..." patterns: addresses, host names, CIDR, wildcards, negation. */
static int valid_patterns(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:/*?!,") == strlen(s);
}

/* A comment: printable ASCII without quotes or backslashes. */
static int valid_comment(const char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
            return 0;
    return 1;
}

int sshkey_add_known_host(const char *arg, struct buf *known, struct diag *d)
{
    const char *eq = strchr(arg, '=');
    if (!eq || !valid_host(arg, (size_t)(eq - arg)) || !eq[1])
        return diag_fail(d, EXIT_INPUT,
                         "--known-host %s: expected HOST=PUBFILE (HOST as in fbvnc.ssh=USER@HOST, no port)", arg);
    const char *file = eq + 1;
    struct buf text = {0};
    struct diag inner = {0};
    if (read_file(file, &text, &inner) < 0) {
        buf_free(&text);
        return diag_fail(d, EXIT_INPUT, "--known-host %s: %s", arg, inner.msg);
    }
    char *line = (char *)text.data;
    line[strcspn(line, "\r\n")] = '\0';
    char *type = line, *key = strchr(line, ' ');
    int rc = 0;
    if (key)
        *key++ = '\0';
    size_t klen = key ? strcspn(key, " ") : 0;
    if (strcmp(type, "ssh-ed25519") != 0)
        rc = diag_fail(d, EXIT_INPUT,
                       "--known-host %s: %s:1: not an ssh-ed25519 public key (\"%.40s\"); the fbvnc-ssh "
                       "client checks ed25519 host keys only (ssh_host_ed25519_key.pub)",
                       arg, file, type);
    else if (klen < 68 || klen > 100 ||
             strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != klen)
        rc = diag_fail(d, EXIT_INPUT, "--known-host %s: %s:1: the key is not valid base64", arg, file);
    else
        buf_printf(known, "%.*s ssh-ed25519 %.*s\n", (int)(eq - arg), arg, (int)klen, key);
    buf_free(&text);
    return rc;
}

int sshkey_options_check(const struct sshkey_options *a, struct diag *d)
{
    if (!a->output || !*a->output)
        return diag_fail(d, EXIT_INPUT, "sshkey: -o SITE.cpio.xz is required");
    if (!a->permit)
        return diag_fail(d, EXIT_INPUT,
                         "sshkey: --permit HOST:PORT is required (the VNC server as the SSH server sees it, "
                         "e.g. localhost:5901)");
    if (!sshkey_valid_hostport(a->permit))
        return diag_fail(d, EXIT_INPUT, "sshkey: --permit \"%s\": expected HOST:PORT, e.g. localhost:5901",
                         a->permit);
    if (a->only_from && !valid_patterns(a->only_from))
        return diag_fail(d, EXIT_INPUT,
                         "sshkey: --only-from \"%s\": expected address patterns, e.g. 10.0.0.17 or 10.0.0.0/24",
                         a->only_from);
    if (a->comment && !valid_comment(a->comment))
        return diag_fail(d, EXIT_INPUT, "sshkey: --comment: printable text without quotes or backslashes");
    if (is_dir(a->output))
        return diag_fail(d, EXIT_INPUT, "sshkey: -o %s: is a directory", a->output);
    struct stat st;
    if (a->authorized_keys && lstat(a->authorized_keys, &st) == 0 && !S_ISREG(st.st_mode))
        return diag_fail(d, EXIT_INPUT, "sshkey: --authorized-keys %s: not a regular file%s", a->authorized_keys,
                         S_ISLNK(st.st_mode) ? " (a symlink: name the file itself)" : "");
    return 0;
}

/* The default comment: the output's file name without .cpio.xz. */
static char *default_comment(const char *output)
{
    const char *base = strrchr(output, '/');
    base = base ? base + 1 : output;
    size_t n = strlen(base);
    if (n > 8 && strcmp(base + n - 8, ".cpio.xz") == 0)
        n -= 8;
    char *s = xasprintf("%.*s", (int)n, base);
    for (char *p = s; *p; p++)
        if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
            *p = '_';
    return s;
}

static int keygen(unsigned char priv[32], unsigned char pub[32], struct diag *d)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    EVP_PKEY *pkey = NULL;
    size_t plen = 32, qlen = 32;
    int ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &pkey) == 1 &&
             EVP_PKEY_get_raw_private_key(pkey, priv, &plen) == 1 &&
             EVP_PKEY_get_raw_public_key(pkey, pub, &qlen) == 1 && plen == 32 && qlen == 32;
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    return ok ? 0 : diag_fail(d, EXIT_BUILD, "sshkey: OpenSSL could not make an ed25519 key");
}

static int add_memory_file(struct cpio_tree *tree, const char *path, unsigned perm, const struct buf *data,
                           struct diag *d)
{
    struct cpio_entry e;
    memset(&e, 0, sizeof e);
    e.type = CPIO_FILE;
    e.perm = perm;
    e.path = (char *)path;
    e.origin = (char *)"tinynetboot sshkey";
    e.data = *data;   /* copied by cpio_add */
    return cpio_add(tree, &e, CPIO_DUP_ERROR, d);
}

/* Overwrites the secret's copies in memory before they are freed. */
static void burn_tree(struct cpio_tree *tree)
{
    for (size_t i = 0; i < tree->n; i++)
        if (tree->e[i].data.data && tree->e[i].data.len)
            OPENSSL_cleanse(tree->e[i].data.data, tree->e[i].data.len);
}

/* 1 if text has a line holding key as a whole field. */
static int has_key(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key))
        if ((p == text || p[-1] == ' ' || p[-1] == '\n') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\r' || !p[n]))
            return 1;
    return 0;
}

static int write_all_fd(int fd, const char *s)
{
    for (size_t n = strlen(s); n;) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int sshkey_append_authorized(const char *path, const char *line, const char *key, struct diag *d)
{
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0)
        return diag_fail(d, errno == ELOOP ? EXIT_INPUT : EXIT_BUILD, "--authorized-keys %s: %s", path,
                         errno == ELOOP ? "is a symlink (name the file itself)" : strerror(errno));
    struct stat st;
    struct buf old = {0};
    int rc = 0;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        rc = diag_fail(d, EXIT_INPUT, "--authorized-keys %s: not a regular file", path);
    else if (read_fd(fd, path, &old, d) < 0)
        rc = -1;
    else if (!old.data || !has_key((char *)old.data, key)) {
        int need_nl = old.len && old.data[old.len - 1] != '\n';
        if ((need_nl && write_all_fd(fd, "\n") < 0) || write_all_fd(fd, line) < 0 || fsync(fd) < 0)
            rc = diag_fail(d, EXIT_BUILD, "--authorized-keys %s: %s", path, strerror(errno));
    }
    buf_free(&old);
    close(fd);
    return rc;
}

int sshkey_make(struct sshkey_options *a, long long mtime, struct diag *d)
{
    unsigned char priv[32], pub[32];
    struct buf secret = {0}, xz = {0};
    char *publine = NULL, *comment = NULL, *line = NULL, *outdir = NULL;
    int rc = keygen(priv, pub, d);
    if (rc == 0) {
        sshkey_dropbear_ed25519(priv, pub, &secret);
        OPENSSL_cleanse(priv, sizeof priv);
        rc = add_memory_file(&a->tree, SSHKEY_PRIVATE_PATH, 0600, &secret, d);
    }
    if (rc == 0 && a->known.len)
        rc = add_memory_file(&a->tree, SSHKEY_KNOWN_HOSTS_PATH, 0644, &a->known, d);
    if (rc == 0)
        rc = layer_pack(&a->tree, mtime, &xz, d);
    if (rc == 0) {
        publine = sshkey_openssh_public(pub);
        comment = a->comment ? xstrdup(a->comment) : default_comment(a->output);
        line = xasprintf("restrict,port-forwarding,permitopen=\"%s\"%s%s%s %s %s\n", a->permit,
                         a->only_from ? ",from=\"" : "", a->only_from ? a->only_from : "",
                         a->only_from ? "\"" : "", publine, comment);
        outdir = dir_name(a->output);
        rc = mkdir_p(outdir, d);
    }
    if (rc == 0)
        rc = write_file_atomic(a->output, xz.data, xz.len, 0600, d);
    if (rc == 0 && a->authorized_keys)
        rc = sshkey_append_authorized(a->authorized_keys, line, publine, d);
    if (rc == 0)
        fputs(line, stdout);
    if (secret.data)
        OPENSSL_cleanse(secret.data, secret.len);
    burn_tree(&a->tree);
    buf_free(&secret);
    buf_free(&xz);
    free(publine);
    free(comment);
    free(line);
    free(outdir);
    return rc;
}

void sshkey_options_free(struct sshkey_options *o)
{
    buf_free(&o->known);
    cpio_tree_free(&o->tree);
}
