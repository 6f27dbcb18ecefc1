/* options.h - what the viewer is told: command-line options, then the
 * kernel command line (/proc/cmdline, only split on white space and
 * matched, never evaluated). */
#ifndef FBVNC_OPTIONS_H
#define FBVNC_OPTIONS_H

#define OPT_HOST_MAX 254

struct options {
    char host[OPT_HOST_MAX];  /* VNC server: IPv4 address or DNS name */
    int port;                 /* TCP port */
    int have_target;
    char fbdev[64];           /* framebuffer device */
    char input_dir[128];      /* where keyboards and pointers appear (evdev nodes) */
    char keymap[128];         /* keymap file, "" = built-in us */
    char passwd[128];         /* password file for VNC authentication */
    char encodings[64];       /* space-separated, for libvncclient */
    int max_delay;            /* longest wait between attempts, seconds */
    int net_wait;             /* seconds to wait for /run/net/status first */
    char problem[240];        /* "" or the first bad setting: shown, never retried */
    char via[280];            /* "" or, through the fbvnc-ssh tunnel, what the
                                 status screen names ("localhost:5901 via ssh
                                 USER@HOST:PORT"); host:port is then the local end */
};

/* Fills o from argv and the kernel command line file. Returns 0, or 2
 * after printing a usage message (bad command-line options). A bad keyword
 * or site-layer value is not an exit: it is logged and kept in o->problem,
 * for the status screen (exiting would leave the screen dark and the
 * keyboard to the console). */
int options_parse(int argc, char **argv, struct options *o);

/* The fbvnc-ssh layer's tunnel (written by /etc/init.d/S45fbvnc-ssh):
 * line 1 the local end to connect to, line 2 what to show; and the tunnel's
 * current state, one line, which the status screen shows. */
#define TUNNEL_FILE "/run/fbvnc/tunnel"
#define TUNNEL_STATUS_FILE "/run/fbvnc/tunnel.status"

/* HOST, HOST:PORT or HOST:N (N < 100: VNC display N, port 5900+N).
 * Returns 0 or -1 (nothing written to o then). */
int options_parse_target(const char *s, struct options *o);

#endif
