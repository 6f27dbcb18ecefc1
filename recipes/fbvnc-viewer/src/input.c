/* input.c - evdev keyboards and mice: discovery, grabbing, translation.
 *
 * Keys: the keymap gives a keysym for the key under the current modifier
 * state; the same keysym is sent again on release (and on autorepeat), so
 * the server never sees a release it did not see pressed. Shift, AltGr
 * (whatever key maps to ISO_Level3_Shift or Mode_switch), Caps Lock and Num
 * Lock are tracked from the keysyms themselves, so a keymap file can move
 * them; the lock states start from the keyboard's LEDs (the console set
 * them, Num Lock from the BIOS) and are shown on its LEDs.
 * Pointer: relative motion, buttons and wheels are collected until
 * SYN_REPORT and sent as one event (wheel notches as press + release of
 * buttons 4-7, the RFB convention). */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/input.h>
#include <rfb/keysym.h>

#define BITS_PER_LONG (8 * sizeof(unsigned long))
#define NLONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static int test_bit(const unsigned long *bits, unsigned n)
{
    return (bits[n / BITS_PER_LONG] >> (n % BITS_PER_LONG)) & 1;
}

/* A keyboard (has KEY_A or KEY_ENTER) or a mouse (has REL_X). */
static int wanted_device(int fd)
{
    unsigned long ev[NLONGS(EV_CNT)] = {0}, keys[NLONGS(KEY_CNT)] = {0}, rel[NLONGS(REL_CNT)] = {0};
    if (ioctl(fd, EVIOCGBIT(0, sizeof ev), ev) < 0)
        return 0;
    if (test_bit(ev, EV_KEY) && ioctl(fd, EVIOCGBIT(EV_KEY, sizeof keys), keys) >= 0 &&
        (test_bit(keys, KEY_A) || test_bit(keys, KEY_ENTER)))
        return 1;
    return test_bit(ev, EV_REL) && ioctl(fd, EVIOCGBIT(EV_REL, sizeof rel), rel) >= 0 &&
           test_bit(rel, REL_X);
}

/* Lock states from a keyboard's LEDs, as the console left them. */
static void read_leds(struct input *in, int fd)
{
    unsigned long leds[NLONGS(LED_CNT)] = {0};
    if (ioctl(fd, EVIOCGLED(sizeof leds), leds) < 0)
        return;
    if (test_bit(leds, LED_NUML))
        in->mods |= MOD_NUM;
    if (test_bit(leds, LED_CAPSL))
        in->mods |= MOD_CAPS;
}

static void open_device(struct input *in, const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "/dev/input/%s", name);
    /* read-write to set LEDs; read-only will do */
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return;
    if (!wanted_device(fd) || in->n == INPUT_MAX_DEVICES) {
        close(fd);
        return;
    }
    /* exclusive: keystrokes meant for the remote desktop must not also
     * reach a console shell */
    ioctl(fd, EVIOCGRAB, 1);
    read_leds(in, fd);
    in->fd[in->n++] = fd;
}

void input_open(struct input *in)
{
    DIR *d = opendir("/dev/input");
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "event", 5) == 0)
            open_device(in, e->d_name);
    closedir(d);
}

void input_close(struct input *in)
{
    for (int i = 0; i < in->n; i++)
        close(in->fd[i]);
    in->n = 0;
}

int input_pollfds(const struct input *in, struct pollfd *p)
{
    for (int i = 0; i < in->n; i++)
        p[i] = (struct pollfd){.fd = in->fd[i], .events = POLLIN};
    return in->n;
}

static void write_led(int fd, unsigned led, int on)
{
    struct input_event ev[2];
    memset(ev, 0, sizeof ev);
    ev[0].type = EV_LED;
    ev[0].code = (unsigned short)led;
    ev[0].value = on;
    ev[1].type = EV_SYN;
    ev[1].code = SYN_REPORT;
    if (write(fd, ev, sizeof ev) < 0) {
        /* read-only or not a keyboard: no LEDs there */
    }
}

/* Caps Lock and Num Lock LEDs of every device (mice ignore them). */
static void show_leds(const struct input *in)
{
    for (int i = 0; i < in->n; i++) {
        write_led(in->fd[i], LED_CAPSL, (in->mods & MOD_CAPS) != 0);
        write_led(in->fd[i], LED_NUML, (in->mods & MOD_NUM) != 0);
    }
}

static void count_held(unsigned *held, int down)
{
    if (down)
        (*held)++;
    else if (*held)
        (*held)--;
}

/* Modifier bookkeeping from the keysym of a press (down=1) or release. */
static void track_modifier(struct input *in, uint32_t sym, int down)
{
    switch (sym) {
    case XK_Shift_L: case XK_Shift_R:
        count_held(&in->shifts, down);
        break;
    case XK_ISO_Level3_Shift: case XK_Mode_switch:
        count_held(&in->altgrs, down);
        break;
    case XK_Caps_Lock:
        if (down) {
            in->mods ^= MOD_CAPS;
            show_leds(in);
        }
        break;
    case XK_Num_Lock:
        if (down) {
            in->mods ^= MOD_NUM;
            show_leds(in);
        }
        break;
    }
    in->mods = (in->mods & (MOD_CAPS | MOD_NUM)) | (in->shifts ? MOD_SHIFT : 0) |
               (in->altgrs ? MOD_ALTGR : 0);
}

/* value: 1 press, 2 autorepeat, 0 release */
static void key_event(struct input *in, unsigned code, int value, const struct keymap *km,
                      const struct input_sink *sink)
{
    if (code >= KEYMAP_CODES)
        return;
    uint32_t sym = value == 1 ? keymap_lookup(km, code, in->mods) : in->sent[code];
    if (value == 1)
        in->sent[code] = sym;
    if (!sym)
        return;
    if (value != 2)
        track_modifier(in, sym, value == 1);
    if (value == 0)
        in->sent[code] = 0;
    if (sink && sink->key)
        sink->key(sink->ctx, sym, value != 0);
}

static unsigned button_bit(unsigned code)
{
    switch (code) {
    case BTN_LEFT: return BUTTON_LEFT;
    case BTN_MIDDLE: return BUTTON_MIDDLE;
    case BTN_RIGHT: return BUTTON_RIGHT;
    case BTN_SIDE: return BUTTON_BACK;
    default: return 0;
    }
}

static void wheel_clicks(const struct input_sink *sink, unsigned buttons, int n, unsigned up, unsigned down)
{
    unsigned bit = n > 0 ? up : down;
    for (int i = n > 0 ? n : -n; i > 0; i--) {
        sink->pointer(sink->ctx, 0, 0, buttons | bit);
        sink->pointer(sink->ctx, 0, 0, buttons);
    }
}

/* SYN_REPORT: deliver what was collected since the last one. */
static void flush_pointer(struct input *in, const struct input_sink *sink)
{
    if (sink && sink->pointer) {
        if (in->dx || in->dy || in->button_changed)
            sink->pointer(sink->ctx, in->dx, in->dy, in->buttons);
        wheel_clicks(sink, in->buttons, in->wheel, BUTTON_WHEEL_UP, BUTTON_WHEEL_DOWN);
        wheel_clicks(sink, in->buttons, in->hwheel, BUTTON_WHEEL_RIGHT, BUTTON_WHEEL_LEFT);
    }
    in->dx = in->dy = in->wheel = in->hwheel = in->button_changed = 0;
}

static void rel_event(struct input *in, unsigned code, int value)
{
    switch (code) {
    case REL_X: in->dx += value; break;
    case REL_Y: in->dy += value; break;
    case REL_WHEEL: in->wheel += value; break;
    case REL_HWHEEL: in->hwheel += value; break;
    }
}

static void one_event(struct input *in, const struct input_event *e, const struct keymap *km,
                      const struct input_sink *sink)
{
    unsigned bit;
    switch (e->type) {
    case EV_KEY:
        if ((bit = button_bit(e->code)) != 0) {
            if (e->value)
                in->buttons |= bit;
            else
                in->buttons &= ~bit;
            in->button_changed = 1;
        } else {
            key_event(in, e->code, e->value, km, sink);
        }
        break;
    case EV_REL:
        rel_event(in, e->code, e->value);
        break;
    case EV_SYN:
        if (e->code == SYN_REPORT)
            flush_pointer(in, sink);
        break;
    }
}

static void drop_device(struct input *in, int i)
{
    close(in->fd[i]);
    memmove(&in->fd[i], &in->fd[i + 1], (size_t)(in->n - i - 1) * sizeof in->fd[0]);
    in->n--;
}

void input_handle(struct input *in, int i, short revents, const struct keymap *km,
                  const struct input_sink *sink)
{
    struct input_event ev[32];
    if (i < 0 || i >= in->n)
        return;
    if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
        drop_device(in, i);
        return;
    }
    ssize_t n = read(in->fd[i], ev, sizeof ev);
    if (n < 0) {
        if (errno == ENODEV)
            drop_device(in, i);
        return;   /* else EAGAIN: nothing after all */
    }
    for (size_t k = 0; k < (size_t)n / sizeof ev[0]; k++)
        one_event(in, &ev[k], km, sink);
}
