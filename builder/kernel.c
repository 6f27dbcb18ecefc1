/* kernel.c — see kernel.h. */
#define _GNU_SOURCE
#include "kernel.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "graph.h"

static int is_symbol(const char *s, size_t n)
{
    if (n <= 7 || strncmp(s, "CONFIG_", 7) != 0)
        return 0;
    for (size_t i = 7; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return 1;
}

static struct kconfig_req *find_req(struct kconfig_reqs *reqs, const char *symbol)
{
    for (size_t i = 0; i < reqs->n; i++)
        if (strcmp(reqs->v[i].symbol, symbol) == 0)
            return &reqs->v[i];
    return NULL;
}

static int same_value(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *shown(const char *value)
{
    return value ? value : "not set";
}

static int is_tristate(const char *value, char want)
{
    return value && value[0] == want && value[1] == 0;
}

/* A module asked for where another fragment builds the same driver in. */
static int builtin_meets_module(const char *a, const char *b)
{
    return (is_tristate(a, 'y') && is_tristate(b, 'm')) || (is_tristate(a, 'm') && is_tristate(b, 'y'));
}

static int add_req(struct kconfig_reqs *reqs, const char *name, int line, const char *sym, size_t symlen,
                   const char *value, struct diag *d)
{
    char *symbol = xstrndup(sym, symlen);
    struct kconfig_req *old = find_req(reqs, symbol);
    if (old) {
        int rc = 0;
        if (builtin_meets_module(old->value, value)) {
            if (is_tristate(value, 'y')) {
                free(old->value);
                free(old->file);
                *old = (struct kconfig_req){old->symbol, xstrdup("y"), xstrdup(name), line, 1};
            }
            old->restate = 1;
        } else if (!same_value(old->value, value))
            rc = diag_fail(d, EXIT_INPUT, "%s:%d: %s=%s conflicts with %s=%s at %s:%d", name, line, symbol,
                           shown(value), symbol, shown(old->value), old->file, old->line);
        free(symbol);
        return rc;
    }
    reqs->v = xrealloc(reqs->v, (reqs->n + 1) * sizeof *reqs->v);
    reqs->v[reqs->n++] = (struct kconfig_req){symbol, value ? xstrdup(value) : NULL, xstrdup(name), line, 0};
    return 0;
}

/* One line: "CONFIG_X=value", "# CONFIG_X is not set", another comment, or blank. */
static int parse_fragment_line(const char *name, int line, const char *s, struct kconfig_reqs *reqs,
                               struct diag *d)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && strchr(" \t\r", s[len - 1]))
        len--;
    if (len == 0)
        return 0;
    static const char not_set[] = " is not set";
    if (s[0] == '#') {
        const char *p = s + 1;
        while (*p == ' ')
            p++;
        size_t symlen = strcspn(p, " ");
        size_t rest = len - (size_t)(p - s) - symlen;
        if (is_symbol(p, symlen) && rest == strlen(not_set) && strncmp(p + symlen, not_set, rest) == 0)
            return add_req(reqs, name, line, p, symlen, NULL, d);
        return 0;   /* an ordinary comment */
    }
    const char *eq = memchr(s, '=', len);
    if (!eq || !is_symbol(s, (size_t)(eq - s)))
        return diag_fail(d, EXIT_INPUT, "%s:%d: expected CONFIG_NAME=value or \"# CONFIG_NAME is not set\"",
                         name, line);
    char *value = xstrndup(eq + 1, len - (size_t)(eq + 1 - s));
    int rc = 0;
    if (!*value)
        rc = diag_fail(d, EXIT_INPUT, "%s:%d: %.*s has no value", name, line, (int)(eq - s), s);
    else if (strcmp(value, "n") == 0)
        rc = diag_fail(d, EXIT_INPUT, "%s:%d: write \"# %.*s is not set\" instead of =n", name, line,
                       (int)(eq - s), s);
    else
        rc = add_req(reqs, name, line, s, (size_t)(eq - s), value, d);
    free(value);
    return rc;
}

int kconfig_parse_fragment(const char *name, const char *text, struct kconfig_reqs *reqs, struct diag *d)
{
    int line = 0;
    for (char *one; (one = next_line(&text));) {
        line++;
        int rc = parse_fragment_line(name, line, one, reqs, d);
        free(one);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void restate_builtins(const struct kconfig_reqs *reqs, struct buf *miniconfig)
{
    int first = 1;
    for (size_t i = 0; i < reqs->n; i++) {
        if (!reqs->v[i].restate)
            continue;
        if (first)
            buf_puts(miniconfig, "# --- built in by one fragment, a module in another: built in wins\n");
        first = 0;
        buf_printf(miniconfig, "%s=y\n", reqs->v[i].symbol);
    }
}

int kconfig_collect(const char *top, const struct strv *fragments, struct kconfig_reqs *reqs,
                    struct buf *miniconfig, struct diag *d)
{
    for (size_t i = 0; i < fragments->n; i++) {
        char *path = xasprintf("%s/%s", top, fragments->v[i]);
        struct buf text = {0};
        int rc = read_file(path, &text, d);
        free(path);
        if (rc == 0)
            rc = kconfig_parse_fragment(fragments->v[i], (char *)text.data, reqs, d);
        if (rc == 0) {
            buf_printf(miniconfig, "# --- %s\n", fragments->v[i]);
            buf_append(miniconfig, text.data, text.len);
            if (text.len && text.data[text.len - 1] != '\n')
                buf_puts(miniconfig, "\n");
        }
        buf_free(&text);
        if (rc < 0) {
            d->status = EXIT_INPUT;
            return -1;
        }
    }
    restate_builtins(reqs, miniconfig);
    return 0;
}

/* The value .config gives a symbol (NULL = not set); points into text. */
static const char *dotconfig_value(const char *text, const char *symbol, size_t *len)
{
    size_t sl = strlen(symbol);
    for (const char *line = text; *line;) {
        size_t ll = strcspn(line, "\n");
        if (ll > sl && strncmp(line, symbol, sl) == 0 && line[sl] == '=') {
            *len = ll - sl - 1;
            return line + sl + 1;
        }
        line += ll;
        if (*line)
            line++;
    }
    return NULL;
}

int kconfig_verify(const char *dotconfig_text, const struct kconfig_reqs *reqs, struct diag *d)
{
    for (size_t i = 0; i < reqs->n; i++) {
        const struct kconfig_req *q = &reqs->v[i];
        size_t len = 0;
        const char *got = dotconfig_value(dotconfig_text, q->symbol, &len);
        int ok = q->value ? got && strlen(q->value) == len && strncmp(got, q->value, len) == 0 : got == NULL;
        if (!ok)
            return diag_fail(d, EXIT_INPUT,
                             "%s:%d: %s=%s was requested, but kconfig made it %.*s (an unmet "
                             "dependency, a symbol this kernel or arch lacks, or a typo)",
                             q->file, q->line, q->symbol, shown(q->value), got ? (int)len : 7,
                             got ? got : "not set");
    }
    return 0;
}

void kconfig_reqs_free(struct kconfig_reqs *reqs)
{
    for (size_t i = 0; i < reqs->n; i++) {
        free(reqs->v[i].symbol);
        free(reqs->v[i].value);
        free(reqs->v[i].file);
    }
    free(reqs->v);
    reqs->v = NULL;
    reqs->n = 0;
}

int kernel_check_budget(const char *what, long long size, long long budget, const char *breakdown,
                        struct diag *d)
{
    if (size <= budget)
        return 0;
    return diag_fail(d, EXIT_BUILD,
                     "%s is %lld bytes, over its budget of %lld bytes by %lld; what takes the space:\n%s",
                     what, size, budget, size - budget, breakdown && *breakdown ? breakdown : "(no breakdown)\n");
}

int kernel_fragments_check(const char *top, const struct graph *g, const struct recipe *kernel, struct diag *d)
{
    struct strv frags = {0};
    struct kconfig_reqs reqs = {0};
    struct buf mini = {0};
    graph_kernel_fragments(g, kernel, &frags);
    int rc = kconfig_collect(top, &frags, &reqs, &mini, d);
    strv_free(&frags);
    kconfig_reqs_free(&reqs);
    buf_free(&mini);
    return rc;
}
