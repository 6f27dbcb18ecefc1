/* vt.c - take VT 7 for the viewer, lock switching, give it back. */
#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kd.h>
#include <linux/vt.h>

#include "log.h"

int vt_take(struct vt *vt)
{
    char path[32];
    struct vt_stat st;
    vt->fd = -1;
    vt->prev = 0;
    int tty0 = open("/dev/tty0", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (tty0 < 0)
        return -1;   /* no VT in this kernel: no console keyboard either */
    if (ioctl(tty0, VT_GETSTATE, &st) == 0 && st.v_active != FBVNC_VT)
        vt->prev = st.v_active;
    snprintf(path, sizeof path, "/dev/tty%d", FBVNC_VT);
    vt->fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (vt->fd < 0 || ioctl(tty0, VT_ACTIVATE, FBVNC_VT) != 0 ||
        ioctl(tty0, VT_WAITACTIVE, FBVNC_VT) != 0 || ioctl(tty0, VT_LOCKSWITCH, 1) != 0) {
        log_msg("cannot take the console's VT %d: %s", FBVNC_VT, strerror(errno));
        close(tty0);
        return -1;
    }
    close(tty0);
    return 0;
}

void vt_graphics(const struct vt *vt, int on)
{
    if (vt->fd >= 0)
        ioctl(vt->fd, KDSETMODE, on ? KD_GRAPHICS : KD_TEXT);
}

void vt_say(const struct vt *vt, const char *msg)
{
    static const char clear[] = "\033[H\033[J";
    if (vt->fd < 0)
        return;
    if (write(vt->fd, clear, sizeof clear - 1) < 0 || write(vt->fd, msg, strlen(msg)) < 0 ||
        write(vt->fd, "\r\n", 2) < 0) {
        /* nothing more to tell it with: the serial console has it too */
    }
}

void vt_release(struct vt *vt)
{
    if (vt->fd < 0)
        return;
    ioctl(vt->fd, KDSETMODE, KD_TEXT);
    ioctl(vt->fd, VT_UNLOCKSWITCH, 1);
    if (vt->prev > 0)
        ioctl(vt->fd, VT_ACTIVATE, vt->prev);
    close(vt->fd);
    vt->fd = -1;
}
