/* tap.h — a tiny header-only TAP (Test Anything Protocol) producer for the unit tests.
 *
 * Contract
 *  - All state lives in a `struct tap` the test owns (no globals): `struct tap t = {0};`.
 *  - tap_plan(&t, N) prints "1..N" up front; without it tap_done() prints the plan at the
 *    end (done_testing style).
 *  - ok / is_int / is_str / is_mem print "ok N - description" or "not ok N - description"
 *    followed, on failure, by "# " diagnostic lines (where, got, expected; is_mem shows
 *    the first differing offset with a hex dump of both sides). Descriptions are
 *    printf-style. Each returns 1 on pass and 0 on failure.
 *  - tap_diag(&t, fmt, ...) prints a "# " line; tap_bail_out(&t, fmt, ...) prints
 *    "Bail out! ..." and exits with status 1 (for a missing fixture, say).
 *  - `return tap_done(&t);` from main: 0 if every test passed and the plan (if any) was
 *    met, otherwise 1.
 *  Everything goes to stdout, so diagnostics stay next to the test they explain.
 */
#ifndef TNB_TAP_H
#define TNB_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap {
    int planned;  /* 0: no plan given up front */
    int run;
    int failed;
};

#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static inline void tap_plan(struct tap *t, int n)
{
    t->planned = n;
    printf("1..%d\n", n);
}

static inline TAP_PRINTF(2, 3) void tap_diag(struct tap *t, const char *fmt, ...)
{
    (void)t;
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
}

static inline int tap_result(struct tap *t, int pass, const char *file, int line,
                             const char *fmt, va_list ap)
{
    t->run++;
    if (!pass)
        t->failed++;
    printf("%sok %d - ", pass ? "" : "not ", t->run);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    if (!pass)
        tap_diag(t, "  failed at %s:%d", file, line);
    fflush(stdout);
    return pass;
}

static inline TAP_PRINTF(5, 6) int tap_ok(struct tap *t, int pass, const char *file, int line,
                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_result(t, pass, file, line, fmt, ap);
    va_end(ap);
    return pass;
}

static inline TAP_PRINTF(6, 7) int tap_is_int(struct tap *t, long long got, long long want,
                                              const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int pass = tap_result(t, got == want, file, line, fmt, ap);
    va_end(ap);
    if (!pass) {
        tap_diag(t, "       got: %lld", got);
        tap_diag(t, "  expected: %lld", want);
    }
    return pass;
}

static inline TAP_PRINTF(6, 7) int tap_is_str(struct tap *t, const char *got, const char *want,
                                              const char *file, int line, const char *fmt, ...)
{
    int same = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
    va_list ap;
    va_start(ap, fmt);
    int pass = tap_result(t, same, file, line, fmt, ap);
    va_end(ap);
    if (!pass) {
        tap_diag(t, "       got: %s%s%s", got ? "\"" : "", got ? got : "NULL", got ? "\"" : "");
        tap_diag(t, "  expected: %s%s%s", want ? "\"" : "", want ? want : "NULL",
                 want ? "\"" : "");
    }
    return pass;
}

/* One line of hex and printable characters: 16 bytes of p (of length n) from `from`. */
static inline void tap_hex_line(struct tap *t, const char *label, const unsigned char *p,
                                size_t n, size_t from)
{
    char hex[16 * 3 + 1] = "", text[16 + 1] = "";
    for (size_t i = 0; i < 16 && from + i < n; i++) {
        unsigned char c = p[from + i];
        snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", c);
        text[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
        text[i + 1] = 0;
    }
    tap_diag(t, "  %-8s %08zx  %-48s |%s|", label, from, hex, text);
}

static inline TAP_PRINTF(8, 9) int tap_is_mem(struct tap *t, const void *got, size_t got_len,
                                              const void *want, size_t want_len,
                                              const char *file, int line, const char *fmt, ...)
{
    const unsigned char *g = got, *w = want;
    size_t common = got_len < want_len ? got_len : want_len, at = 0;
    while (at < common && g[at] == w[at])
        at++;
    va_list ap;
    va_start(ap, fmt);
    int pass = tap_result(t, at == common && got_len == want_len, file, line, fmt, ap);
    va_end(ap);
    if (!pass) {
        tap_diag(t, "  lengths: got %zu, expected %zu; first difference at offset %zu (0x%zx)",
                 got_len, want_len, at, at);
        for (size_t row = at / 16 * 16, end = row + 32; row < end; row += 16) {
            tap_hex_line(t, "got", g, got_len, row);
            tap_hex_line(t, "expected", w, want_len, row);
        }
    }
    return pass;
}

/* Stop the whole test program: TAP's "Bail out!" line, then exit status 1. */
static inline TAP_PRINTF(2, 3) void tap_bail_out(struct tap *t, const char *fmt, ...)
{
    (void)t;
    va_list ap;
    va_start(ap, fmt);
    fputs("Bail out! ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
    exit(1);
}

static inline int tap_done(struct tap *t)
{
    if (!t->planned)
        printf("1..%d\n", t->run);
    else if (t->planned != t->run)
        tap_diag(t, "planned %d tests but ran %d", t->planned, t->run);
    if (t->failed)
        tap_diag(t, "failed %d of %d tests", t->failed, t->run);
    fflush(stdout);
    return t->failed || (t->planned && t->planned != t->run) ? 1 : 0;
}

#define ok(t, cond, ...) tap_ok((t), (cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)
#define is_int(t, got, want, ...) \
    tap_is_int((t), (long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(t, got, want, ...) tap_is_str((t), (got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_mem(t, got, got_len, want, want_len, ...) \
    tap_is_mem((t), (got), (got_len), (want), (want_len), __FILE__, __LINE__, __VA_ARGS__)

#endif
