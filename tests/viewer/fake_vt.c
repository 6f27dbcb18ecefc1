/* fake_vt.c - vt.c for the host build of the viewer: the host's consoles are
 * left alone; what would go to VT 7 goes to stderr. */
#include "vt.h"

#include <stdio.h>

int vt_take(struct vt *vt)
{
    vt->fd = -1;
    vt->prev = 0;
    return -1;
}

void vt_graphics(const struct vt *vt, int on)
{
    (void)vt; (void)on;
}

void vt_say(const struct vt *vt, const char *msg)
{
    (void)vt;
    fprintf(stderr, "fbvnc-vt: %s\n", msg);
}

void vt_release(struct vt *vt)
{
    (void)vt;
}
