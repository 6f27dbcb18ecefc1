/* main.c - fbvnc: a framebuffer VNC viewer for thin clients.
 *
 * Connects to the server named on the kernel command line (fbvnc=HOST:PORT,
 * see options.c), shows its screen on /dev/fb0 and sends it the local
 * keyboard and mouse (evdev). It never leaves a black screen: while it is
 * not connected it shows why on the framebuffer (and on stderr, the
 * serial console) and retries with a growing delay: 1, 2, 4, 8, then every
 * 15 s; every 30 s after a failed authentication; 1 s after a session that
 * worked. SIGTERM and SIGINT end it cleanly (console back to text); SIGHUP
 * is ignored (a daemon outlives the session that started it).
 *
 * Exit status: 0 after a signal, 2 for bad options or no usable
 * framebuffer (retrying would not help; the message says what to fix). */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fb.h"
#include "input.h"
#include "keymap.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "session.h"
#include "text.h"
#include "vt.h"

#define CONNECT_TIMEOUT_S 10
#define AUTH_RETRY_S 30
#define FB_RETRY_S 5
#define FB_LOG_EVERY_S 60

static volatile sig_atomic_t stop_signal;   /* set by on_signal(), nothing else */

static void on_signal(int sig)
{
    stop_signal = sig;
}

int viewer_stopping(void)
{
    return stop_signal != 0;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;   /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
}

/* "network: up, 10.0.2.15 on eth0" from base's /run/net/ contract. */
static void network_line(char *buf, size_t size)
{
    char status[16] = "", ip[32] = "", iface[32] = "";
    const char *const files[] = {"/run/net/status", "/run/net/ip", "/run/net/iface"};
    char *const dest[] = {status, ip, iface};
    const size_t sizes[] = {sizeof status, sizeof ip, sizeof iface};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(files[i], "r");
        if (f) {
            if (fgets(dest[i], (int)sizes[i], f))
                dest[i][strcspn(dest[i], "\n")] = '\0';
            fclose(f);
        }
    }
    if (!status[0])
        snprintf(buf, size, "network: not configured yet");
    else if (ip[0])
        snprintf(buf, size, "network: %s, %s on %s", status, ip, iface);
    else
        snprintf(buf, size, "network: %s", status);
}

/* "10.0.0.5:5901", or through the fbvnc-ssh tunnel what it leads to. */
static void target_name(const struct viewer *v, char *buf, size_t size)
{
    if (v->opt.via[0])
        snprintf(buf, size, "%s", v->opt.via);
    else
        snprintf(buf, size, "%s:%d", v->opt.host, v->opt.port);
}

/* The fbvnc-ssh tunnel's state line ("" without a tunnel); a new state is
 * also logged, so the console says what the screen says. */
static void tunnel_line(const struct viewer *v, char *buf, size_t size)
{
    static char last[200];
    buf[0] = '\0';
    if (!v->opt.via[0])
        return;
    FILE *f = fopen(TUNNEL_STATUS_FILE, "r");
    if (f) {
        if (!fgets(buf, (int)size, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    if (!buf[0])
        snprintf(buf, size, "ssh: tunnel not started");
    if (strcmp(buf, last) != 0) {
        snprintf(last, sizeof last, "%s", buf);
        log_msg("tunnel: %s", buf);
    }
}

/* The status screen: what we try, what went wrong, what happens next. */
static void show_status(const struct viewer *v, int attempt, const char *why, int retry_in)
{
    char name[280], target[320], tunnel[200], last[200], net[120], next[48];
    const char *lines[6] = {"fbvnc - VNC thin client", target, net, NULL, NULL, NULL};
    int n = 3;
    target_name(v, name, sizeof name);
    snprintf(target, sizeof target, "connecting to %s ... attempt %d", name, attempt);
    network_line(net, sizeof net);
    tunnel_line(v, tunnel, sizeof tunnel);
    if (tunnel[0])
        lines[n++] = tunnel;
    if (why && why[0]) {
        snprintf(last, sizeof last, "%s", why);
        lines[n++] = last;
    }
    if (retry_in > 0) {
        snprintf(next, sizeof next, "retrying in %d s", retry_in);
        lines[n++] = next;
    }
    text_screen(&v->fb, lines, n);
}

/* Waits up to ms milliseconds (forever if ms < 0) or until a signal,
 * reading (and dropping) input so nothing piles up; the keyboard stays ours. */
static void idle(struct viewer *v, int ms)
{
    struct pollfd p[INPUT_MAX_DEVICES];
    struct timespec now, end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += ms / 1000;
    end.tv_nsec += (long)(ms % 1000) * 1000000L;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long left = (long)(end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000L;
        if (viewer_stopping() || (ms >= 0 && left <= 0))
            return;
        input_hotplug(&v->in);
        int n = input_pollfds(&v->in, p);
        if (poll(p, (nfds_t)n, ms < 0 || left > 1000 ? 1000 : (int)left) <= 0)
            continue;
        for (int i = n - 1; i >= 0; i--)
            if (p[i].revents)
                input_handle(&v->in, i, p[i].revents, &v->km, NULL);
    }
}

/* Sleeps up to seconds, keeping the status screen's countdown current. */
static void wait_retry(struct viewer *v, int attempt, const char *why, int seconds)
{
    for (int left = seconds; left > 0 && !viewer_stopping(); left--) {
        show_status(v, attempt, why, left);
        idle(v, 1000);
    }
}

static int retry_delay(const struct viewer *v, const struct session_result *r, int attempt)
{
    if (r->end == SESSION_AUTH)
        return AUTH_RETRY_S;
    if (r->frames > 0)
        return 1;
    int d = 1 << (attempt < 10 ? attempt - 1 : 9);
    return d > v->opt.max_delay ? v->opt.max_delay : d;
}

/* One connection attempt, start to end. */
static void attempt_once(struct viewer *v, int attempt, const char *prev_why, struct session_result *r)
{
    char name[280];
    memset(r, 0, sizeof *r);
    show_status(v, attempt, prev_why, 0);
    target_name(v, name, sizeof name);
    log_msg("connecting to %s ... attempt %d", name, attempt);
    int sock = net_connect(v->opt.host, v->opt.port, CONNECT_TIMEOUT_S, r->why, sizeof r->why);
    if (sock < 0) {
        r->end = SESSION_HANDSHAKE;
        return;
    }
    session_run(v, sock, r);
}

static void supervise(struct viewer *v)
{
    struct session_result r;
    char why[sizeof r.why] = "";
    for (int attempt = 1; !viewer_stopping(); attempt++) {
        attempt_once(v, attempt, why, &r);
        if (r.end == SESSION_STOPPED || viewer_stopping())
            break;
        if (r.frames > 0)
            attempt = 0;   /* it worked for a while: start counting again */
        int delay = retry_delay(v, &r, attempt);
        snprintf(why, sizeof why, "%s", r.why);
        char name[280];
        target_name(v, name, sizeof name);
        log_msg("%s: %s; retrying in %d s", name, why, delay);
        wait_retry(v, attempt ? attempt : 1, why, delay);
    }
}

/* No server given: say so on the screen and stay (exiting would give
 * the screen back to the console, and respawning would not help). */
static void no_target(struct viewer *v)
{
    const char *lines[] = {"fbvnc - VNC thin client", "no VNC server given:",
                           "add fbvnc=HOST:PORT to the kernel command line",
                           "or /etc/fbvnc/server to a site layer"};
    text_screen(&v->fb, lines, 4);
    log_msg("no VNC server given: add fbvnc=HOST:PORT to the kernel command line"
            " or /etc/fbvnc/server to a site layer");
    idle(v, -1);
}

/* A bad setting: retrying cannot fix it, so say what it is and stay. */
static void bad_setting(struct viewer *v)
{
    const char *lines[] = {"fbvnc - VNC thin client", "not connecting: a setting is wrong:",
                           v->opt.problem, "fix the kernel command line or the site layer, then reboot"};
    text_screen(&v->fb, lines, 4);
    log_msg("not connecting: %s; fix the kernel command line or the site layer, then reboot",
            v->opt.problem);
    idle(v, -1);
}

static void load_keymap(struct viewer *v)
{
    char err[300];
    keymap_init_us(&v->km);
    if (v->opt.keymap[0] && keymap_load(&v->km, v->opt.keymap, err, sizeof err) != 0)
        log_msg("keymap: %s (using the built-in us layout for the rest)", err);
    else if (v->opt.keymap[0])
        log_msg("keymap %s", v->opt.keymap);
}

/* Until there is a usable framebuffer (or a signal): the reason on the
 * console and, as text, on VT 7; tried again every FB_RETRY_S seconds.
 * Returns 0 with v->fb open. */
static int open_screen(struct viewer *v)
{
    char err[300], msg[700];
    for (int waited = 0; !viewer_stopping(); waited += FB_RETRY_S) {
        if (fb_open(&v->fb, v->opt.fbdev, err, sizeof err) == 0) {
            vt_graphics(&v->vt, 1);
            if (waited)
                log_msg("framebuffer %s usable now", v->opt.fbdev);
            return 0;
        }
        if (waited % FB_LOG_EVERY_S == 0) {
            log_msg("no usable framebuffer: %s (boot with vga=788 or another VESA mode);"
                    " trying again every %d s", err, FB_RETRY_S);
            snprintf(msg, sizeof msg,
                     "fbvnc - VNC thin client\r\n\r\nno usable framebuffer: %s\r\n"
                     "boot with vga=788 or another VESA mode (UEFI: a GOP mode)%s%s\r\n"
                     "trying again every %d s",
                     err, v->opt.problem[0] ? "\r\nand fix: " : "", v->opt.problem, FB_RETRY_S);
            vt_say(&v->vt, msg);
        }
        idle(v, FB_RETRY_S * 1000);
    }
    return -1;
}

/* Up to seconds for base's network result (/run/net/status), with the
 * status screen saying so. */
static void wait_network(struct viewer *v, int seconds)
{
    const char *lines[] = {"fbvnc - VNC thin client", "waiting for the network ..."};
    for (int i = 0; i < seconds * 5 && access("/run/net/status", F_OK) != 0 && !viewer_stopping(); i++) {
        if (i % 5 == 0)
            text_screen(&v->fb, lines, 2);
        idle(v, 200);
    }
}

int main(int argc, char **argv)
{
    struct viewer *v = calloc(1, sizeof *v);
    if (!v)
        return 1;
    int rc = options_parse(argc, argv, &v->opt);
    if (rc != 0)
        return rc;
    install_signals();
    log_hook_library();
    vt_take(&v->vt);       /* first: from now on no keystroke reaches a console shell */
    load_keymap(v);
    input_open(&v->in, v->opt.input_dir);
    if (open_screen(v) == 0) {
        if (v->opt.problem[0])
            bad_setting(v);
        else if (!v->opt.have_target)
            no_target(v);
        else {
            wait_network(v, v->opt.net_wait);
            supervise(v);
        }
        vt_graphics(&v->vt, 0);
        fb_close(&v->fb);
    }
    input_close(&v->in);
    vt_release(&v->vt);
    free(v);
    return 0;
}
