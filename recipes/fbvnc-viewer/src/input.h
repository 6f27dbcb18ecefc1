/* input.h - keyboards and mice from evdev (/dev/input/event*), grabbed so
 * that nothing else (the console) sees them, translated into keysym and
 * relative pointer events for the VNC session. */
#ifndef FBVNC_INPUT_H
#define FBVNC_INPUT_H

#include <poll.h>
#include <stdint.h>

#include "keymap.h"

#define INPUT_MAX_DEVICES 16

/* RFB pointer button mask bits */
enum {
    BUTTON_LEFT = 1, BUTTON_MIDDLE = 2, BUTTON_RIGHT = 4,
    BUTTON_WHEEL_UP = 8, BUTTON_WHEEL_DOWN = 16,
    BUTTON_WHEEL_LEFT = 32, BUTTON_WHEEL_RIGHT = 64, BUTTON_BACK = 128
};

/* Where translated events go; either callback may be NULL (events are
 * then only used to keep the modifier state right). */
struct input_sink {
    void *ctx;
    void (*key)(void *ctx, uint32_t keysym, int down);
    void (*pointer)(void *ctx, int dx, int dy, unsigned buttons);
};

struct input {
    int fd[INPUT_MAX_DEVICES];
    int n;
    unsigned mods;                 /* MOD_* of keymap.h */
    unsigned shifts, altgrs;       /* how many Shift / AltGr keys are down */
    uint32_t sent[KEYMAP_CODES];   /* keysym sent on press, repeated on release */
    int dx, dy, wheel, hwheel;     /* motion since the last SYN_REPORT */
    unsigned buttons;              /* held buttons (RFB mask) */
    int button_changed;
};

/* Opens and grabs every keyboard-like and mouse-like event device. */
void input_open(struct input *in);
void input_close(struct input *in);

/* Fills p with one entry per device (POLLIN); returns how many. */
int input_pollfds(const struct input *in, struct pollfd *p);

/* Handles what poll() reported for device i (its entry from
 * input_pollfds); a device that went away is closed and dropped, which
 * moves the later ones down: walk the poll entries from the last. */
void input_handle(struct input *in, int i, short revents, const struct keymap *km,
                  const struct input_sink *sink);

#endif
