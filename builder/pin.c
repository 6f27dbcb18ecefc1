/* pin.c — see pin.h. */
#define _GNU_SOURCE
#include "pin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

/* Replace line `line` (1-based) of text with `repl`, or insert `repl` after
 * line `after` when line is 0. */
static void set_line(struct buf *text, int line, int after, const char *repl)
{
    struct buf out = {0};
    const char *s = (char *)text->data;
    for (int n = 1; *s; n++) {
        size_t len = strcspn(s, "\n");
        if (n == line)
            buf_puts(&out, repl);
        else
            buf_append(&out, s, len);
        s += len;
        if (*s == '\n') {
            buf_puts(&out, "\n");
            s++;
        }
        if (!line && n == after)
            buf_printf(&out, "%s\n", repl);
    }
    buf_free(text);
    *text = out;
}

static void rewrite_pin(const struct recipe *r, const struct offered *o, struct buf *text)
{
    char *v = xasprintf("version  %s", o->version);
    char *s = xasprintf("source   %s %s %s", r->source_type == SOURCE_DEBIAN_SRC ? "debian-src" : "debian-deb",
                        r->source_package, o->file);
    char *h = xasprintf("sha256   %s", o->sha256);
    int src_line = r->key_line[KEY_SOURCE];
    /* new lines go after the source line: sha256 first, so version ends up above it */
    set_line(text, r->key_line[KEY_SHA256], src_line, h);
    set_line(text, src_line, 0, s);
    set_line(text, r->key_line[KEY_VERSION], src_line - 1, v);
    free(v), free(s), free(h);
}

int pin_recipe(const struct recipe *r, const char *cache_dir, const char *log_path, struct diag *d)
{
    struct offered o;
    struct buf text = {0};
    int rc = fetch_download(r, NULL, cache_dir, log_path, &o, d);
    if (rc == 0)
        rc = read_file(r->path, &text, d);
    if (rc == 0) {
        rewrite_pin(r, &o, &text);
        rc = fetch_store(&o, cache_dir, d);
    }
    if (rc == 0)
        rc = write_file_atomic(r->path, text.data, text.len, 0644, d);
    if (rc == 0)
        printf("%s: pinned %s %s (%s, sha256 %s); was %s\n", r->path, r->source_package, o.version, o.file, o.sha256,
               r->version ? r->version : "not pinned");
    if (o.tmpdir)
        offered_free(&o);
    buf_free(&text);
    return rc;
}
