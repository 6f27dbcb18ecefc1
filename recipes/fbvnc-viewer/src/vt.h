/* vt.h - the viewer's own virtual terminal (VT 7).
 *
 * At start the viewer makes VT 7 the console's foreground terminal and locks
 * VT switching. Keystrokes that reach the console while no viewer holds the
 * keyboard (before it grabs it, between a crash and the restart) then go to a
 * terminal nobody reads, never to a console shell on tty1; the lock stays
 * when the viewer dies, so Alt+F1 cannot bring that shell up either. Only a
 * clean stop (SIGTERM) gives the console back. */
#ifndef FBVNC_VT_H
#define FBVNC_VT_H

#define FBVNC_VT 7

struct vt {
    int fd;     /* /dev/tty7, or -1: no VT (then there is nothing to do) */
    int prev;   /* the foreground VT before, 0 if unknown */
};

/* Switches to VT 7 and locks switching; logs (and returns -1) when it cannot. */
int vt_take(struct vt *vt);

/* KD_GRAPHICS while the framebuffer is ours (no console text over it), else KD_TEXT. */
void vt_graphics(const struct vt *vt, int on);

/* Clears VT 7 and writes msg there: what is wrong, when there is no
 * framebuffer to draw a status screen on (a text console may still show it). */
void vt_say(const struct vt *vt, const char *msg);

/* Text mode, unlocked, back to the VT that was in front before. */
void vt_release(struct vt *vt);

#endif
