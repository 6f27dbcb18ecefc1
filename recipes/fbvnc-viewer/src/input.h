/* input.h - keyboards and pointers from evdev (/dev/input/event*), grabbed
 * so that nothing else (the console) sees them, translated into keysyms
 * and pointer events for the VNC session. Devices plugged in later (USB,
 * whose drivers load after the viewer started) are picked up while the
 * viewer runs; unplugged ones are dropped. */
#ifndef FBVNC_INPUT_H
#define FBVNC_INPUT_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "keymap.h"

#define INPUT_MAX_DEVICES 16
#define INPUT_MAX_IGNORED 32
#define INPUT_NAME_SIZE 16       /* "event3" and its NUL */

/* Absolute positions reach the sink in 0..INPUT_ABS_MAX on each axis
 * (0 the left or top edge, INPUT_ABS_MAX the right or bottom one),
 * whatever range the device reports in. */
#define INPUT_ABS_MAX 65535

/* RFB pointer button mask bits */
enum {
    BUTTON_LEFT = 1, BUTTON_MIDDLE = 2, BUTTON_RIGHT = 4,
    BUTTON_WHEEL_UP = 8, BUTTON_WHEEL_DOWN = 16,
    BUTTON_WHEEL_LEFT = 32, BUTTON_WHEEL_RIGHT = 64, BUTTON_BACK = 128
};

/* Where translated events go; any callback may be NULL (events are then
 * only used to keep the modifier state right). pointer: relative motion
 * (mice) or only a button change; pointer_at: an absolute position
 * (tablets, touchscreens, KVM consoles). */
struct input_sink {
    void *ctx;
    void (*key)(void *ctx, uint32_t keysym, int down);
    void (*pointer)(void *ctx, int dx, int dy, unsigned buttons);
    void (*pointer_at)(void *ctx, int x, int y, unsigned buttons);
};

struct input_axis {
    int min, max;      /* from EVIOCGABS; max > min */
    int value;         /* the last one reported */
};

struct input_device {
    int fd;
    ino_t node;        /* inode of its directory entry: a device plugged in
                          again gets a new one, even under the same name */
    char name[INPUT_NAME_SIZE];
    int absolute;      /* reports ABS_X/ABS_Y as a pointer */
    struct input_axis x, y;
    int moved;         /* an axis changed since the last SYN_REPORT */
};

struct input {
    const char *dir;               /* "/dev/input" */
    struct input_device dev[INPUT_MAX_DEVICES];
    int n;
    ino_t ignored[INPUT_MAX_IGNORED];   /* probed: neither keyboard nor pointer */
    int n_ignored;
    long long scanned_ms;          /* monotonic time of the last scan */
    unsigned mods;                 /* MOD_* of keymap.h */
    unsigned shifts, altgrs;       /* how many Shift / AltGr keys are down */
    uint32_t sent[KEYMAP_CODES];   /* keysym sent on press, repeated on release */
    int dx, dy, wheel, hwheel;     /* motion since the last SYN_REPORT */
    unsigned buttons;              /* held buttons (RFB mask) */
    int button_changed;
};

/* Opens and grabs every keyboard, mouse and absolute pointer in dir (kept:
 * the caller's string must outlive in); the lock keys start from the
 * keyboards' LEDs. dir need not exist yet. */
void input_open(struct input *in, const char *dir);
void input_close(struct input *in);

/* Opens devices that appeared in dir since the last look, at most once a
 * second (a directory read when nothing changed): call it from every loop
 * that waits for input. New keyboards get the current lock LEDs. */
void input_hotplug(struct input *in);

/* Fills p with one entry per device (POLLIN); returns how many. */
int input_pollfds(const struct input *in, struct pollfd *p);

/* Handles what poll() reported for device i (its entry from
 * input_pollfds); a device that went away is closed and dropped, which
 * moves the later ones down: walk the poll entries from the last. */
void input_handle(struct input *in, int i, short revents, const struct keymap *km,
                  const struct input_sink *sink);

#endif
