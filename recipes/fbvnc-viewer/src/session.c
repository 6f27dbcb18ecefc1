/* session.c - one VNC session: libvncclient's handshake and decoders
 * (into a shadow copy of the server's screen, in the framebuffer's own
 * pixel layout), copied to the framebuffer through a viewport that follows
 * the pointer when the server's screen is larger than ours (panning);
 * a smaller one is centred. Keys and pointer go the other way.
 *
 * The socket comes connected (net.c); libvncclient is told so by
 * listenSpecified, which makes it skip its own connect and start with the
 * RFB handshake. Its read timeout bounds a stalled message. */
#include "session.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rfb/rfbclient.h>

#include "log.h"
#include "mem.h"
#include "secret.h"

#define READ_TIMEOUT_S 15
#define MAX_SERVER_SIDE 8192

struct session {
    struct viewer *v;
    rfbClient *client;
    uint8_t *shadow;        /* the server's screen, bytespp bytes a pixel */
    int width, height;      /* server screen size */
    int bytespp;            /* 2 (16-bit framebuffer) or 4 (24- and 32-bit) */
    int vx, vy, vw, vh;     /* viewport: the part of the server screen shown */
    int ox, oy;             /* where it is on our screen */
    int px, py;             /* pointer in server coordinates, -1 until placed */
    int asked_password;
    char password_error[120];
    char refused[160];      /* why we ended the session ourselves ("" if not) */
    int frames;
};

static const char session_tag = 's';   /* key of our data in the rfbClient */

static struct session *of(rfbClient *c)
{
    return rfbClientGetClientData(c, (void *)&session_tag);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int min(int a, int b)
{
    return a < b ? a : b;
}

/* Ask the server for the framebuffer's own channel layout: copying is then
 * a memcpy per line (24-bit framebuffers get 32-bit pixels, 3 bytes kept). */
static void set_pixel_format(rfbClient *c, const struct fb *fb)
{
    rfbPixelFormat *f = &c->format;
    f->bitsPerPixel = fb->bytespp == 2 ? 16 : 32;
    f->depth = (uint8_t)(fb->red.length + fb->green.length + fb->blue.length);
    f->bigEndian = FALSE;
    f->trueColour = TRUE;
    f->redMax = (uint16_t)((1u << fb->red.length) - 1);
    f->greenMax = (uint16_t)((1u << fb->green.length) - 1);
    f->blueMax = (uint16_t)((1u << fb->blue.length) - 1);
    f->redShift = fb->red.offset;
    f->greenShift = fb->green.offset;
    f->blueShift = fb->blue.offset;
    c->appData.requestedDepth = f->depth;
}

static void copy_row(uint8_t *dst, const uint8_t *src, int n, int dst_bpp, int src_bpp)
{
    if (dst_bpp == src_bpp) {
        memcpy(dst, src, (size_t)n * (size_t)dst_bpp);
        return;
    }
    for (int i = 0; i < n; i++, dst += 3, src += 4) {   /* 32-bit -> 24-bit */
        dst[0] = src[0];
        dst[1] = src[1];
        dst[2] = src[2];
    }
}

/* Copies the part of a server rectangle that is in the viewport. */
static void blit(const struct session *s, int x, int y, int w, int h)
{
    const struct fb *fb = &s->v->fb;
    int x0 = x > s->vx ? x : s->vx, y0 = y > s->vy ? y : s->vy;
    int x1 = min(x + w, s->vx + s->vw), y1 = min(y + h, s->vy + s->vh);
    if (!s->shadow || x0 >= x1 || y0 >= y1)
        return;
    for (int row = y0; row < y1; row++) {
        const uint8_t *src = s->shadow + ((size_t)row * (size_t)s->width + (size_t)x0) * (size_t)s->bytespp;
        uint8_t *dst = fb_at(fb, s->ox + x0 - s->vx, s->oy + row - s->vy);
        copy_row(dst, src, x1 - x0, fb->bytespp, s->bytespp);
    }
}

/* Moves the viewport so the pointer is inside it; redraws if it moved. */
static void follow_pointer(struct session *s)
{
    int vx = s->vx, vy = s->vy;
    if (s->px < vx)
        vx = s->px;
    else if (s->px >= vx + s->vw)
        vx = s->px - s->vw + 1;
    if (s->py < vy)
        vy = s->py;
    else if (s->py >= vy + s->vh)
        vy = s->py - s->vh + 1;
    vx = clamp(vx, 0, s->width - s->vw);
    vy = clamp(vy, 0, s->height - s->vh);
    if (vx != s->vx || vy != s->vy) {
        s->vx = vx;
        s->vy = vy;
        blit(s, s->vx, s->vy, s->vw, s->vh);
    }
}

/* After a (new) server screen size: viewport, centring, pointer. */
static void layout(struct session *s)
{
    const struct fb *fb = &s->v->fb;
    s->vw = min(fb->width, s->width);
    s->vh = min(fb->height, s->height);
    s->ox = (fb->width - s->vw) / 2;
    s->oy = (fb->height - s->vh) / 2;
    s->vx = clamp(s->vx, 0, s->width - s->vw);
    s->vy = clamp(s->vy, 0, s->height - s->vh);
    if (s->px < 0) {   /* first time: the middle of what is shown */
        s->px = s->vx + s->vw / 2;
        s->py = s->vy + s->vh / 2;
    }
    s->px = clamp(s->px, 0, s->width - 1);
    s->py = clamp(s->py, 0, s->height - 1);
    fb_fill(fb, 0, 0, fb->width, fb->height, fb_color(fb, 0, 0, 0));
    follow_pointer(s);
}

/* A reason of ours for ending the session: logged, and for the status screen. */
static void refuse(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refuse(struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->refused, sizeof s->refused, fmt, ap);
    va_end(ap);
    log_msg("%s", s->refused);
}

/* The shadow copy may take at most half the RAM available now (counting
 * the copy we hold already): a 24 MB client must not be pushed into the
 * OOM killer by a server that announces 8192x8192. */
static int fits_in_ram(const struct session *s, size_t size, size_t *avail)
{
    size_t held = (size_t)s->width * (size_t)s->height * (size_t)s->bytespp;
    *avail = mem_available();
    return *avail == 0 || size <= (*avail + held) / 2;
}

/* libvncclient: MallocFrameBuffer, at the start and on every resize. */
static rfbBool on_resize(rfbClient *c)
{
    struct session *s = of(c);
    size_t avail;
    if (c->width <= 0 || c->height <= 0 || c->width > MAX_SERVER_SIDE || c->height > MAX_SERVER_SIDE) {
        refuse(s, "server screen %dx%d refused (sides 1 to %d)", c->width, c->height, MAX_SERVER_SIDE);
        return FALSE;
    }
    size_t size = (size_t)c->width * (size_t)c->height * (size_t)s->bytespp;
    if (!fits_in_ram(s, size, &avail)) {
        refuse(s, "server screen %dx%d needs %u MB, more than this client can spare (%u MB free)",
               c->width, c->height, (unsigned)(size >> 20), (unsigned)(avail >> 20));
        return FALSE;
    }
    uint8_t *p = realloc(s->shadow, size);
    if (!p) {
        refuse(s, "no memory for a %dx%d server screen (%u MB)", c->width, c->height,
               (unsigned)(size >> 20));
        return FALSE;
    }
    memset(p, 0, size);
    s->shadow = p;
    c->frameBuffer = p;
    s->width = c->width;
    s->height = c->height;
    layout(s);
    return TRUE;
}

static void on_update(rfbClient *c, int x, int y, int w, int h)
{
    blit(of(c), x, y, w, h);
}

static void on_finished(rfbClient *c)
{
    struct session *s = of(c);
    if (++s->frames == 1)
        log_msg("first frame drawn (%dx%d server screen on a %dx%dx%d framebuffer)",
                s->width, s->height, s->v->fb.width, s->v->fb.height, 8 * s->v->fb.bytespp);
}

static char *on_password(rfbClient *c)
{
    struct session *s = of(c);
    s->asked_password = 1;
    return secret_read(s->v->opt.passwd, s->password_error, sizeof s->password_error);
}

static void send_key(void *ctx, uint32_t keysym, int down)
{
    struct session *s = ctx;
    SendKeyEvent(s->client, keysym, down ? TRUE : FALSE);
}

static void send_pointer(void *ctx, int dx, int dy, unsigned buttons)
{
    struct session *s = ctx;
    s->px = clamp(s->px + dx, 0, s->width - 1);
    s->py = clamp(s->py + dy, 0, s->height - 1);
    follow_pointer(s);
    SendPointerEvent(s->client, s->px, s->py, (int)buttons);
}

/* 0..INPUT_ABS_MAX to 0..side-1, rounded */
static int scale_to_side(int pos, int side)
{
    return (int)(((long long)pos * (side - 1) + INPUT_ABS_MAX / 2) / INPUT_ABS_MAX);
}

/* An absolute pointer (tablet, touchscreen): across the whole server
 * screen, from the same position relative moves go on from. */
static void send_pointer_at(void *ctx, int x, int y, unsigned buttons)
{
    struct session *s = ctx;
    s->px = clamp(scale_to_side(x, s->width), 0, s->width - 1);
    s->py = clamp(scale_to_side(y, s->height), 0, s->height - 1);
    follow_pointer(s);
    SendPointerEvent(s->client, s->px, s->py, (int)buttons);
}

static rfbClient *new_client(struct session *s, int sock)
{
    rfbClient *c = rfbGetClient(8, 3, 4);
    if (!c)
        return NULL;
    rfbClientSetClientData(c, (void *)&session_tag, s);
    set_pixel_format(c, &s->v->fb);
    c->MallocFrameBuffer = on_resize;
    c->GotFrameBufferUpdate = on_update;
    c->FinishedFrameBufferUpdate = on_finished;
    c->GetPassword = on_password;
    c->canHandleNewFBSize = TRUE;
    c->appData.encodingsString = s->v->opt.encodings;
    c->appData.useRemoteCursor = FALSE;   /* the server draws the cursor */
    c->readTimeout = READ_TIMEOUT_S;
    c->programName = "fbvnc";
    free(c->serverHost);
    c->serverHost = strdup(s->v->opt.host);
    c->serverPort = s->v->opt.port;
    c->sock = sock;
    c->listenSpecified = TRUE;   /* connected already: start with the handshake */
    return c;
}

static void handshake_failed(const struct session *s, struct session_result *r)
{
    const char *last = log_library_last();
    if (s->refused[0]) {
        r->end = SESSION_HANDSHAKE;
        snprintf(r->why, sizeof r->why, "%s", s->refused);
    } else if (s->password_error[0]) {
        r->end = SESSION_AUTH;
        snprintf(r->why, sizeof r->why, "the server wants a password; %s", s->password_error);
    } else if (s->asked_password && log_contains_nocase(last, "auth")) {
        r->end = SESSION_AUTH;
        snprintf(r->why, sizeof r->why, "authentication failed (wrong password?)");
    } else {
        r->end = SESSION_HANDSHAKE;
        /* (with listenSpecified, libvncclient logs nothing when the server
         * closes before sending its version) */
        snprintf(r->why, sizeof r->why, "handshake failed: %s",
                 last[0] ? last : "the server closed the connection");
    }
}

/* The message loop: server messages, local input, until the end. */
static void run(struct session *s, struct session_result *r)
{
    struct pollfd p[1 + INPUT_MAX_DEVICES];
    const struct input_sink sink = {s, send_key, send_pointer, send_pointer_at};
    rfbClient *c = s->client;
    while (!viewer_stopping()) {
        if (c->buffered > 0) {   /* a whole message may be waiting in libvncclient's buffer */
            if (!HandleRFBServerMessage(c))
                goto lost;
            continue;
        }
        input_hotplug(&s->v->in);
        p[0] = (struct pollfd){.fd = c->sock, .events = POLLIN};
        int n = 1 + input_pollfds(&s->v->in, p + 1);
        if (poll(p, (nfds_t)n, 1000) < 0)
            continue;   /* EINTR: a signal; the loop condition looks at it */
        if (p[0].revents && !HandleRFBServerMessage(c))
            goto lost;
        for (int i = n - 1; i >= 1; i--)
            if (p[i].revents)
                input_handle(&s->v->in, i - 1, p[i].revents, &s->v->km, &sink);
    }
    r->end = SESSION_STOPPED;
    return;
lost:
    r->end = SESSION_LOST;
    if (s->refused[0])
        snprintf(r->why, sizeof r->why, "%s", s->refused);
    else
        snprintf(r->why, sizeof r->why, "connection lost: %s",
                 log_library_last()[0] ? log_library_last() : "no reason given");
}

void session_run(struct viewer *v, int sock, struct session_result *r)
{
    struct session s;
    memset(&s, 0, sizeof s);
    memset(r, 0, sizeof *r);
    s.v = v;
    s.bytespp = v->fb.bytespp == 2 ? 2 : 4;
    s.px = s.py = -1;
    log_library_reset();
    s.client = new_client(&s, sock);
    if (!s.client) {
        close(sock);
        r->end = SESSION_HANDSHAKE;
        snprintf(r->why, sizeof r->why, "out of memory");
        return;
    }
    if (!rfbInitClient(s.client, NULL, NULL)) {
        /* libvncclient has closed the socket and freed the client */
        handshake_failed(&s, r);
        free(s.shadow);
        return;
    }
    log_msg("connected to %s:%d", v->opt.host, v->opt.port);
    log_library_reset();
    run(&s, r);
    r->frames = s.frames;
    rfbClientCleanup(s.client);
    free(s.shadow);
}
