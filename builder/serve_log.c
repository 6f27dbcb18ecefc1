/* serve_log.c — see serve_log.h. */
#define _GNU_SOURCE
#include "serve_log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_mac_at(const char *s)
{
    for (int i = 0; i < 17; i++)
        if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
            return 0;
    return s[17] == 0 || s[17] == ' ' || s[17] == '\n';
}

static const char *find_mac(const char *line)
{
    for (const char *p = line; strlen(p) >= 17; p++)
        if ((p == line || p[-1] == ' ') && is_mac_at(p))
            return p;
    return NULL;
}

/* mac: the 17 characters of a MAC inside a log line (the line goes on after it) */
static struct serve_client *by_mac(struct serve_log *sl, const char *mac, double now)
{
    for (size_t i = 0; i < sl->n; i++)
        if (!strncasecmp(sl->c[i].mac, mac, 17))
            return &sl->c[i];
    sl->c = xrealloc(sl->c, (sl->n + 1) * sizeof *sl->c);
    struct serve_client *c = &sl->c[sl->n++];
    memset(c, 0, sizeof *c);
    memcpy(c->mac, mac, 17);
    for (char *p = c->mac; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    c->first = c->last = now;
    return c;
}

static struct serve_client *by_ip(struct serve_log *sl, const char *ip, double now)
{
    for (size_t i = 0; i < sl->n; i++)
        if (!strcmp(sl->c[i].ip, ip))
            return &sl->c[i];
    char mac[18];
    if (!sl->ip_to_mac || sl->ip_to_mac(ip, mac) != 0)
        return NULL;
    struct serve_client *c = by_mac(sl, mac, now);
    snprintf(c->ip, sizeof c->ip, "%s", ip);
    return c;
}

/* The dotted quad right before the MAC, if any ("PXE(br0) 10.0.0.5 52:54:..."). */
static void ip_before(const char *line, const char *mac, char ip[16])
{
    const char *end = mac - 1, *start = end;
    while (start > line && (isdigit((unsigned char)start[-1]) || start[-1] == '.'))
        start--;
    size_t n = (size_t)(end - start);
    if (mac > line && n >= 7 && n < 16) {
        memcpy(ip, start, n);
        ip[n] = 0;
    }
}

static int wanted(const char *file)
{
    size_t n = strlen(file);
    return (n > 8 && !strcmp(file + n - 8, ".bzImage")) || (n > 8 && !strcmp(file + n - 8, ".cpio.xz")) ||
           !strcmp(file, "bzImage");
}

/* A boot starts with its first DHCP packet or, without one seen, its first file. */
static void begin(struct serve_client *c, double now)
{
    if (!c->started) {
        c->started = 1;
        c->first = now;
    }
    c->last = now;
}

static void fetched(struct serve_client *c, const char *file, double now)
{
    begin(c, now);
    if (!c->loader) {
        c->loader = xstrdup(file);
    } else if (wanted(file)) {
        strv_push(&c->files, file);
    }
    c->last = now;
}

void serve_log_dnsmasq(struct serve_log *sl, const char *line, double now)
{
    const char *sent = strstr(line, "dnsmasq-tftp");
    if (sent && (sent = strstr(sent, ": sent "))) {
        sent += 7;
        const char *to = strstr(sent, " to ");
        if (!to)
            return;
        char *path = xstrndup(sent, (size_t)(to - sent));
        char ip[16] = {0};
        snprintf(ip, sizeof ip, "%.*s", (int)strcspn(to + 4, " \n"), to + 4);
        const char *file = path;
        size_t rl = strlen(sl->release_dir);
        if (!strncmp(file, sl->release_dir, rl) && file[rl] == '/')
            file += rl + 1;
        struct serve_client *c = by_ip(sl, ip, now);
        if (c)
            fetched(c, file, now);
        free(path);
        return;
    }
    const char *mac = strstr(line, "dnsmasq-dhcp") ? find_mac(line) : NULL;
    if (!mac)
        return;
    struct serve_client *c = by_mac(sl, mac, now);
    ip_before(line, mac, c->ip);
    begin(c, now);
}

void serve_log_http(struct serve_log *sl, const char *line, double now)
{
    char ip[16], path[512];
    int status;
    if (sscanf(line, "%15s %d %511s", ip, &status, path) != 3 || status != 200 || path[0] != '/')
        return;
    struct serve_client *c = by_ip(sl, ip, now);
    if (c)
        fetched(c, path + 1, now);
}

/* How many of the client's files, from the first, are the entry's stack for
   firmware fw (its kernel, then its layers in order). */
static size_t stack_prefix(const struct boot_entry *e, int fw, const struct serve_client *c)
{
    size_t k = 0;
    if (c->files.n && !strcmp(c->files.v[0], e->kernel[fw]))
        for (k = 1; k < c->files.n && k <= e->initrds[fw].n; k++)
            if (strcmp(c->files.v[k], e->initrds[fw].v[k - 1]))
                break;
    return k;
}

/* The client's files are the entry's whole stack. */
static int entry_matches(const struct boot_entry *e, const struct serve_client *c)
{
    for (int fw = 0; fw < FW_COUNT; fw++)
        if (c->files.n == e->initrds[fw].n + 1 && stack_prefix(e, fw, c) == c->files.n)
            return 1;
    return 0;
}

/* The client's files so far are the kernel and the first layers of the entry's
   stack, not all of them: it is still fetching. */
static int entry_begins_with(const struct boot_entry *e, const struct serve_client *c)
{
    for (int fw = 0; fw < FW_COUNT; fw++)
        if (c->files.n <= e->initrds[fw].n && stack_prefix(e, fw, c) == c->files.n)
            return 1;
    return 0;
}

/* The menu entry whose stack (kernel, then layers) the client fetched: its own
   (clients file) first, else an entry every client sees. */
static const char *image_of(const struct menu_model *m, const struct serve_client *c)
{
    for (size_t i = 0; m && i < m->nc; i++)
        if (!strcasecmp(m->c[i].mac, c->mac) && entry_matches(&m->e[m->c[i].entry], c))
            return m->e[m->c[i].entry].id;
    for (size_t i = 0; m && i < m->n; i++)
        if (!m->e[i].per_mac_only && entry_matches(&m->e[i], c))
            return m->e[i].id;
    return NULL;
}

static const char *hostname_of(const struct menu_model *m, const char *mac)
{
    for (size_t i = 0; m && i < m->nc; i++)
        if (!strcasecmp(m->c[i].mac, mac))
            return m->c[i].hostname;
    return NULL;
}

static void print_client(const struct serve_log *sl, const struct serve_client *c, FILE *out)
{
    const char *host = hostname_of(sl->m, c->mac), *img = image_of(sl->m, c);
    fprintf(out, "%s%s%s: %s ->", c->mac, host ? " " : "", host ? host : "", c->loader ? c->loader : "(no file)");
    if (img)
        fprintf(out, " %s:", img);
    for (size_t i = 0; i < c->files.n; i++)
        fprintf(out, " %s", c->files.v[i]);
    fprintf(out, " in %.1f s\n", c->last - c->first);
    fflush(out);
}

static int has_kernel(const struct serve_client *c)
{
    for (size_t i = 0; i < c->files.n; i++)
        if (strstr(c->files.v[i], "bzImage"))
            return 1;
    return 0;
}

/* A client whose files are no entry's whole stack but the start of one is still
   fetching its layers: a busy server or a slow link may pause it for longer than
   SERVE_LOG_IDLE (seen: 13 s between the kernel and the first layer on a loaded
   2-core machine), so its line waits up to SERVE_LOG_IDLE_STACK. */
static double idle_before_line(const struct menu_model *m, const struct serve_client *c)
{
    if (!m || image_of(m, c))
        return SERVE_LOG_IDLE;
    for (size_t i = 0; i < m->n; i++)
        if (entry_begins_with(&m->e[i], c))
            return SERVE_LOG_IDLE_STACK;
    return SERVE_LOG_IDLE;
}

void serve_log_flush(struct serve_log *sl, double now, int force, FILE *out)
{
    for (size_t i = 0; i < sl->n; i++) {
        struct serve_client *c = &sl->c[i];
        if (!has_kernel(c) || (!force && now - c->last < idle_before_line(sl->m, c)))
            continue;
        print_client(sl, c, out);
        c->started = 0;
        free(c->loader);
        c->loader = NULL;
        strv_free(&c->files);
    }
}

void serve_log_free(struct serve_log *sl)
{
    for (size_t i = 0; i < sl->n; i++) {
        free(sl->c[i].loader);
        strv_free(&sl->c[i].files);
    }
    free(sl->c);
    sl->c = NULL;
    sl->n = 0;
}
