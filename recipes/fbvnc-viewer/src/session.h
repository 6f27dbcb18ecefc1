/* session.h - one VNC session over a connected socket: RFB handshake and
 * authentication (libvncclient), then the picture on the framebuffer and
 * the local keyboard and mouse sent to the server, until the connection
 * ends or the viewer is asked to stop. */
#ifndef FBVNC_SESSION_H
#define FBVNC_SESSION_H

#include "fb.h"
#include "input.h"
#include "keymap.h"
#include "options.h"
#include "vt.h"

/* Everything the viewer holds across sessions. */
struct viewer {
    struct options opt;
    struct fb fb;
    struct keymap km;
    struct input in;
    struct vt vt;
};

enum session_end {
    SESSION_HANDSHAKE,   /* the RFB handshake failed (not a VNC server, refused...) */
    SESSION_AUTH,        /* wrong or missing password */
    SESSION_LOST,        /* was running; the connection ended */
    SESSION_STOPPED      /* the viewer was asked to stop */
};

struct session_result {
    enum session_end end;
    int frames;          /* framebuffer updates drawn */
    char why[160];       /* for the status screen */
};

/* Runs a session on sock (which it closes). Returns when it is over. */
void session_run(struct viewer *v, int sock, struct session_result *r);

/* Set by the signal handler (main.c): finish the session and return. */
int viewer_stopping(void);

#endif
