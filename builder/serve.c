/* serve.c — see serve.h. */
#define _GNU_SOURCE
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "serve_log.h"

#define HTTP_USER "www-data"   /* lighttpd drops to it */

enum { SERVER_DNSMASQ, SERVER_HTTP, SERVER_COUNT };

struct server {
    const char *name;
    char *out;          /* its stdout/stderr */
    int pid;
};

/* A log file followed as it grows, split into lines. */
struct follow {
    int fd;
    struct buf carry;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int arp_mac(const char *ip, char mac[18])
{
    FILE *f = fopen("/proc/net/arp", "r");
    if (!f)
        return -1;
    char line[256], a[64], hw[64];
    int found = -1;
    while (found && fgets(line, sizeof line, f))
        if (sscanf(line, "%63s %*s %*s %63s", a, hw) == 2 && !strcmp(a, ip) && strlen(hw) == 17 &&
            strcmp(hw, "00:00:00:00:00:00")) {
            memcpy(mac, hw, 18);
            found = 0;
        }
    fclose(f);
    return found;
}

/* lighttpd opens its logs after it became www-data: they are made for it here,
   in a state directory it may enter (0711) but not list. */
static int http_logs(const struct serve_plan *p, struct diag *d)
{
    const struct passwd *pw = getpwnam(HTTP_USER);
    if (!pw)
        return diag_fail(d, EXIT_BUILD, "no user %s (lighttpd's package makes it)", HTTP_USER);
    if (chmod(p->state_dir, 0711) < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", p->state_dir, strerror(errno));
    const char *names[] = {"http.log", "http-error.log"};
    for (size_t i = 0; i < 2; i++) {
        char *path = xasprintf("%s/%s", p->state_dir, names[i]);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        int rc = fd < 0 || fchown(fd, pw->pw_uid, pw->pw_gid) < 0 ? -1 : 0;
        if (rc < 0)
            diag_fail(d, EXIT_BUILD, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(path);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int write_http_conf(const struct serve_plan *p, const char *path, struct diag *d)
{
    struct buf b = {0};
    buf_printf(&b, "# written by tinynetboot serve: static files of the release, nothing else\n"
                   "server.document-root = \"%s\"\n"
                   "server.bind = \"%s\"\n"
                   "server.port = %d\n"
                   "server.username = \"" HTTP_USER "\"\n"
                   "server.groupname = \"" HTTP_USER "\"\n"
                   "server.max-connections = 4096\n"
                   "server.modules = ( \"mod_accesslog\" )\n"
                   "server.errorlog = \"%s/http-error.log\"\n"
                   "accesslog.filename = \"%s/http.log\"\n"
                   "accesslog.format = \"%%h %%>s %%U\"\n"
                   "mimetype.assign = ( \"\" => \"application/octet-stream\" )\n"
                   "dir-listing.activate = \"disable\"\n",
               p->release_dir, p->addr->ip, p->http_port, p->state_dir, p->state_dir);
    int rc = write_file_atomic(path, b.data, b.len, 0644, d);
    buf_free(&b);
    if (rc == 0)
        rc = http_logs(p, d);
    return rc;
}

static int start(const struct serve_plan *p, struct server *s, struct diag *d)
{
    char *conf = xasprintf("--conf-file=%s/dnsmasq.conf", p->release_dir);
    char *logf = xasprintf("--log-facility=%s/dnsmasq.log", p->state_dir);
    char *lease = xasprintf("--dhcp-leasefile=%s/leases", p->state_dir);
    char *pidf = xasprintf("--pid-file=%s/dnsmasq.pid", p->state_dir);
    char *hconf = xasprintf("%s/lighttpd.conf", p->state_dir);
    const char *dnsmasq[] = {"dnsmasq", "--keep-in-foreground", conf, logf, lease, pidf, NULL};
    const char *http[] = {"lighttpd", "-D", "-f", hconf, NULL};
    const char *const *argvs[SERVER_COUNT] = {dnsmasq, http};
    int rc = write_http_conf(p, hconf, d);
    for (int i = 0; i < SERVER_COUNT && rc == 0; i++) {
        struct run_opts o = {.argv = argvs[i], .log_path = s[i].out, .what = s[i].name};
        s[i].pid = run_start(&o, d);
        rc = s[i].pid < 0 ? -1 : 0;
    }
    free(conf);
    free(logf);
    free(lease);
    free(pidf);
    free(hconf);
    return rc;
}

static void stop_all(struct server *s)
{
    for (int i = 0; i < SERVER_COUNT; i++)
        if (s[i].pid > 0) {
            run_stop(s[i].pid, 3000);
            s[i].pid = 0;
        }
}

/* A server that ended by itself: the error, with its output's last lines. */
static int died(struct server *s, struct diag *d)
{
    int status;
    for (int i = 0; i < SERVER_COUNT; i++)
        if (s[i].pid > 0 && !run_alive(s[i].pid, &status)) {
            s[i].pid = 0;
            struct buf tail = {0};
            log_tail(s[i].out, 8, &tail);
            diag_fail(d, EXIT_BUILD, "%s stopped (wait status %d); its last lines (%s):\n%s", s[i].name, status,
                      s[i].out, tail.len ? (char *)tail.data : "");
            buf_free(&tail);
            return 1;
        }
    return 0;
}

static void follow_open(struct follow *f, const char *path)
{
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
}

/* New complete lines of f, each passed to fn. */
static void follow_read(struct follow *f, const char *path, struct serve_log *sl, double now,
                        void (*fn)(struct serve_log *, const char *, double))
{
    if (f->fd < 0)
        follow_open(f, path);
    if (f->fd < 0)
        return;
    char chunk[8192];
    ssize_t r;
    while ((r = read(f->fd, chunk, sizeof chunk)) > 0)
        buf_append(&f->carry, chunk, (size_t)r);
    size_t start = 0;
    for (size_t i = 0; i < f->carry.len; i++)
        if (f->carry.data[i] == '\n') {
            char *line = xstrndup((char *)f->carry.data + start, i - start);
            fn(sl, line, now);
            free(line);
            start = i + 1;
        }
    if (start) {
        memmove(f->carry.data, f->carry.data + start, f->carry.len - start);
        f->carry.len -= start;
    }
}

static int watch(const struct serve_plan *p, struct server *s, struct diag *d)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    struct serve_log sl = {.release_dir = p->release_dir, .m = p->m, .ip_to_mac = arp_mac};
    char *paths[2] = {xasprintf("%s/dnsmasq.log", p->state_dir), xasprintf("%s/http.log", p->state_dir)};
    struct follow f[2] = {{-1, {0}}, {-1, {0}}};
    int rc = 0, sig = 0;
    while (!sig) {
        struct timespec tick = {0, 200 * 1000 * 1000};
        sig = sigtimedwait(&set, NULL, &tick);
        if (sig < 0)
            sig = 0;
        double now = now_s();
        follow_read(&f[0], paths[0], &sl, now, serve_log_dnsmasq);
        follow_read(&f[1], paths[1], &sl, now, serve_log_http);
        serve_log_flush(&sl, now, 0, stdout);
        if (!sig && died(s, d)) {
            rc = -1;
            break;
        }
    }
    stop_all(s);
    double now = now_s();
    follow_read(&f[0], paths[0], &sl, now, serve_log_dnsmasq);
    follow_read(&f[1], paths[1], &sl, now, serve_log_http);
    serve_log_flush(&sl, now, 1, stdout);
    if (sig)
        fprintf(stderr, "serve: stopped (%s)\n", strsignal(sig));
    for (int i = 0; i < 2; i++) {
        if (f[i].fd >= 0)
            close(f[i].fd);
        buf_free(&f[i].carry);
        free(paths[i]);
    }
    serve_log_free(&sl);
    return rc;
}

int serve_run(const struct serve_plan *p, struct diag *d)
{
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, &old);
    struct server s[SERVER_COUNT] = {{"dnsmasq", xasprintf("%s/dnsmasq.out", p->state_dir), 0},
                                     {"lighttpd", xasprintf("%s/lighttpd.out", p->state_dir), 0}};
    /* the servers run in a PID namespace that ends with us, however we end:
       a SIGKILL leaves no dnsmasq or lighttpd behind (they drop privileges,
       which clears a PR_SET_PDEATHSIG of their own) */
    struct run_pidns ns;
    int rc = run_pid_namespace(&ns, d);
    if (rc == 0)
        rc = start(p, s, d);
    if (rc == 0) {
        nanosleep(&(struct timespec){0, 500 * 1000 * 1000}, NULL);
        if (died(s, d))
            rc = -1;
    }
    if (rc == 0) {
        fprintf(stderr, "serve: ready on %s (%s): dnsmasq %s + TFTP, HTTP http://%s:%d/, release %s; Ctrl-C stops\n",
                p->addr->ifname, p->addr->ip, p->mode, p->addr->ip, p->http_port, p->release_dir);
        rc = watch(p, s, d);
    }
    stop_all(s);
    run_pid_namespace_end(&ns);
    for (int i = 0; i < SERVER_COUNT; i++)
        free(s[i].out);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
