/* options.c - command-line options and kernel command-line keywords.
 *
 *   fbvnc [-c CMDLINE] [-d FBDEV] [-i INPUTDIR] [-k KEYMAP] [-p PASSWDFILE] [-e ENCODINGS]
 *         [-r MAXDELAY] [-w NETWAIT] [HOST[:PORT]]
 * (-w: wait up to NETWAIT seconds for base's network result, /run/net/status,
 * before the first attempt; S50fbvnc passes -w 60. -i: where the evdev
 * nodes are, /dev/input by default; the host tests point it elsewhere)
 *
 * Kernel command line (default file /proc/cmdline), used for what the
 * options do not give:
 *   fbvnc=HOST[:PORT]          the server (SliTaz's keyword); PORT < 100 is a
 *                              display number (5900 + N), no PORT is 5900
 *   fbvnc.keymap=NAME          /usr/share/fbvnc/keymaps/NAME (us, de, fr, ...)
 *   fbvnc.encodings=A,B,...    of raw copyrect hextile zlib zrle, in order of
 *                              preference (default copyrect,zrle,hextile,zlib,raw)
 *   fbvnc.maxdelay=S           longest wait between connection attempts
 *                              (1..300 s, default 15)
 * Without fbvnc.keymap= or -k, /etc/fbvnc/keymap (a site layer's file) is used
 * when it exists, else the built-in us layout. Without fbvnc= or a HOST
 * argument, the first line of /etc/fbvnc/server (a site layer's file, same
 * HOST[:PORT] form) names the server: a site layer can set the target of a
 * release it did not build, and a keyword typed at the boot prompt still wins.
 * When the fbvnc-ssh layer tunnels the session (TUNNEL_FILE exists), the
 * viewer connects to the tunnel's local end instead (unless a HOST argument
 * was given) and shows the tunnel's state on its status screen. */
#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define KEYMAP_DIR "/usr/share/fbvnc/keymaps/"
#define SITE_KEYMAP "/etc/fbvnc/keymap"
#define SITE_SERVER "/etc/fbvnc/server"
#define DEFAULT_ENCODINGS "copyrect zrle hextile zlib raw"
#define DEFAULT_MAX_DELAY 15

static int valid_host(const char *h, size_t n)
{
    if (n == 0 || n >= OPT_HOST_MAX || h[0] == '-' || h[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* Decimal 0..65535 without sign or junk; -1 otherwise. */
static int parse_port(const char *s)
{
    long v = 0;
    if (*s == '\0' || strlen(s) > 5)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v <= 65535 ? (int)v : -1;
}

int options_parse_target(const char *s, struct options *o)
{
    const char *colon = strrchr(s, ':');
    size_t hlen = colon ? (size_t)(colon - s) : strlen(s);
    int port = colon ? parse_port(colon + 1) : 5900;
    if (!valid_host(s, hlen) || port < 0)
        return -1;
    if (port < 100)
        port += 5900;
    memcpy(o->host, s, hlen);
    o->host[hlen] = '\0';
    o->port = port;
    o->have_target = 1;
    return 0;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* "zrle,hextile" -> "zrle hextile", each a known encoding. */
static int parse_encodings(const char *s, char *out, size_t size)
{
    static const char *const known[] = {"raw", "copyrect", "hextile", "zlib", "zrle"};
    size_t used = 0;
    while (*s) {
        size_t n = strcspn(s, ","), k;
        for (k = 0; k < sizeof known / sizeof *known; k++)
            if (strlen(known[k]) == n && strncmp(known[k], s, n) == 0)
                break;
        if (k == sizeof known / sizeof *known || used + n + 2 > size)
            return -1;
        if (used)
            out[used++] = ' ';
        memcpy(out + used, s, n);
        used += n;
        s += n + (s[n] == ',');
    }
    out[used] = '\0';
    return used ? 0 : -1;
}

/* A bad setting: logged, and the first one kept for the status screen. */
static void problem(struct options *o, const char *fmt, const char *what)
{
    char msg[sizeof o->problem];
    snprintf(msg, sizeof msg, fmt, what);
    for (char *c = msg; *c; c++)   /* it may come from a file: no control codes on screen */
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?';
    log_msg("%s", msg);
    if (!o->problem[0])
        snprintf(o->problem, sizeof o->problem, "%s", msg);
}

/* Seconds 1..300; -1 otherwise. */
static int parse_delay(const char *s)
{
    int v = strlen(s) <= 3 ? parse_port(s) : -1;
    return v >= 1 && v <= 300 ? v : -1;
}

/* Which settings the command-line options already gave (they win). */
struct given {
    int keymap, encodings, max_delay;
};

/* One word of the kernel command line; a bad value is a problem(). */
static void cmdline_word(const char *w, struct options *o, struct given *g)
{
    if (strncmp(w, "fbvnc=", 6) == 0 && !o->have_target) {
        if (options_parse_target(w + 6, o) != 0)
            problem(o, "bad %s (expected fbvnc=HOST:PORT)", w);
    } else if (strncmp(w, "fbvnc.keymap=", 13) == 0 && !g->keymap) {
        if (!valid_name(w + 13))
            problem(o, "bad %s (a name like us, de, fr)", w);
        else
            snprintf(o->keymap, sizeof o->keymap, KEYMAP_DIR "%s", w + 13);
        g->keymap = 1;
    } else if (strncmp(w, "fbvnc.encodings=", 16) == 0 && !g->encodings) {
        if (parse_encodings(w + 16, o->encodings, sizeof o->encodings) != 0) {
            problem(o, "bad %s (a list of: raw copyrect hextile zlib zrle)", w);
            snprintf(o->encodings, sizeof o->encodings, DEFAULT_ENCODINGS);
        }
    } else if (strncmp(w, "fbvnc.maxdelay=", 15) == 0 && !g->max_delay) {
        int d = parse_delay(w + 15);
        if (d < 0)
            problem(o, "bad %s (seconds, 1 to 300)", w);
        else
            o->max_delay = d;
    }
}

static void read_cmdline(const char *path, struct options *o, struct given *g)
{
    char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f) {
        log_msg("cannot read %s", path);
        return;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (char *save = NULL, *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
        cmdline_word(w, o, g);
}

/* The site layer's server file, when there is one; a bad value is a problem(). */
static void read_site_server(const char *path, struct options *o)
{
    char line[OPT_HOST_MAX + 16], what[sizeof line + 80];
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, " \t\r\n")] = '\0';
    if (options_parse_target(line, o) != 0) {
        snprintf(what, sizeof what, "%s:1: \"%s\"", path, line);
        problem(o, "bad %s (expected HOST:PORT)", what);
    }
}

/* The fbvnc-ssh tunnel, when there is one: the local end replaces the
 * target, and the target as the SSH server sees it is what is shown. */
static void read_tunnel(const char *path, struct options *o)
{
    char local[OPT_HOST_MAX + 16], shown[sizeof o->via], what[sizeof local + 80];
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (!fgets(local, sizeof local, f))
        local[0] = '\0';
    if (!fgets(shown, sizeof shown, f))
        shown[0] = '\0';
    fclose(f);
    local[strcspn(local, " \t\r\n")] = '\0';
    shown[strcspn(shown, "\r\n")] = '\0';
    if (options_parse_target(local, o) != 0) {
        snprintf(what, sizeof what, "%s:1: \"%s\"", path, local);
        problem(o, "bad %s (expected HOST:PORT)", what);
        return;
    }
    snprintf(o->via, sizeof o->via, "%s", shown[0] ? shown : local);
}

static int usage(void)
{
    fputs("usage: fbvnc [-c CMDLINE] [-d FBDEV] [-i INPUTDIR] [-k KEYMAP] [-p PASSWDFILE] [-e ENCODINGS]"
          " [-r MAXDELAY] [-w NETWAIT] [HOST[:PORT]]\n",
          stderr);
    return 2;
}

int options_parse(int argc, char **argv, struct options *o)
{
    const char *cmdline = "/proc/cmdline";
    struct given g = {0, 0, 0};
    int c;
    memset(o, 0, sizeof *o);
    snprintf(o->fbdev, sizeof o->fbdev, "/dev/fb0");
    snprintf(o->input_dir, sizeof o->input_dir, "/dev/input");
    snprintf(o->passwd, sizeof o->passwd, "/etc/fbvnc/passwd");
    snprintf(o->encodings, sizeof o->encodings, DEFAULT_ENCODINGS);
    o->max_delay = DEFAULT_MAX_DELAY;
    while ((c = getopt(argc, argv, "c:d:i:k:p:e:r:w:")) != -1) {
        switch (c) {
        case 'c': cmdline = optarg; break;
        case 'd': snprintf(o->fbdev, sizeof o->fbdev, "%s", optarg); break;
        case 'i': snprintf(o->input_dir, sizeof o->input_dir, "%s", optarg); break;
        case 'k': snprintf(o->keymap, sizeof o->keymap, "%s", optarg); g.keymap = 1; break;
        case 'p': snprintf(o->passwd, sizeof o->passwd, "%s", optarg); break;
        case 'e':
            if (parse_encodings(optarg, o->encodings, sizeof o->encodings) != 0)
                return usage();
            g.encodings = 1;
            break;
        case 'r':
            if ((o->max_delay = parse_delay(optarg)) < 0)
                return usage();
            g.max_delay = 1;
            break;
        case 'w':
            if ((o->net_wait = parse_delay(optarg)) < 0)
                return usage();
            break;
        default: return usage();
        }
    }
    if (optind + 1 < argc || (optind < argc && options_parse_target(argv[optind], o) != 0))
        return usage();
    int arg_target = o->have_target;   /* a HOST argument: no tunnel */
    read_cmdline(cmdline, o, &g);
    /* a bad fbvnc= is not replaced by the site layer's server: say what is wrong */
    if (!o->have_target && !o->problem[0])
        read_site_server(SITE_SERVER, o);
    if (!arg_target)
        read_tunnel(TUNNEL_FILE, o);
    if (!g.keymap && access(SITE_KEYMAP, R_OK) == 0)
        snprintf(o->keymap, sizeof o->keymap, SITE_KEYMAP);
    return 0;
}
