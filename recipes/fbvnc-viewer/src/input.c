/* input.c - evdev keyboards and pointers: discovery, hotplug, grabbing,
 * translation.
 *
 * Discovery: every event<N> node of the input directory is opened once and
 * asked what it is; keyboards, mice and absolute pointers are kept (and
 * grabbed), the rest are remembered as ignored. The directory is looked at
 * again every second (input_hotplug): USB keyboards and mice appear a
 * second or more after the viewer started (their drivers are modules) and
 * come and go. A node is known by its inode number, so a device unplugged
 * and plugged in again between two looks, under the same name, is still
 * opened anew; one that went away is dropped when its fd hangs up.
 *
 * Keys: the keymap gives a keysym for the key under the current modifier
 * state; the same keysym is sent again on release (and on autorepeat), so
 * the server never sees a release it did not see pressed. Shift, AltGr
 * (whatever key maps to ISO_Level3_Shift or Mode_switch), Caps Lock and Num
 * Lock are tracked from the keysyms themselves, so a keymap file can move
 * them; the lock states start from the keyboards' LEDs (the console set
 * them, Num Lock from the BIOS) and are shown on their LEDs.
 * Pointer: relative motion, absolute positions, buttons and wheels are
 * collected until SYN_REPORT and sent as one event (wheel notches as press
 * + release of buttons 4-7, the RFB convention). Absolute positions are
 * scaled from the device's range to 0..INPUT_ABS_MAX; BTN_TOUCH (a
 * touchscreen) is the left button. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/input.h>
#include <rfb/keysym.h>

#include "log.h"

#define BITS_PER_LONG (8 * sizeof(unsigned long))
#define NLONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define SCAN_EVERY_MS 1000

static int test_bit(const unsigned long *bits, unsigned n)
{
    return (bits[n / BITS_PER_LONG] >> (n % BITS_PER_LONG)) & 1;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct device_kind {
    int keyboard;     /* has KEY_A or KEY_ENTER */
    int mouse;        /* has REL_X */
    int absolute;     /* ABS_X and ABS_Y with BTN_LEFT or BTN_TOUCH */
    int touchpad;     /* absolute too, but meant to move the pointer relatively */
};

/* What a device is, from its capability bits (a failed ioctl leaves them 0). */
static struct device_kind classify(int fd)
{
    unsigned long ev[NLONGS(EV_CNT)] = {0}, keys[NLONGS(KEY_CNT)] = {0}, rel[NLONGS(REL_CNT)] = {0},
                  abs[NLONGS(ABS_CNT)] = {0}, props[NLONGS(INPUT_PROP_CNT)] = {0};
    struct device_kind k = {0, 0, 0, 0};
    if (ioctl(fd, EVIOCGBIT(0, sizeof ev), ev) < 0)
        return k;
    if (test_bit(ev, EV_KEY))
        ioctl(fd, EVIOCGBIT(EV_KEY, sizeof keys), keys);
    if (test_bit(ev, EV_REL))
        ioctl(fd, EVIOCGBIT(EV_REL, sizeof rel), rel);
    if (test_bit(ev, EV_ABS))
        ioctl(fd, EVIOCGBIT(EV_ABS, sizeof abs), abs);
    ioctl(fd, EVIOCGPROP(sizeof props), props);
    k.keyboard = test_bit(keys, KEY_A) || test_bit(keys, KEY_ENTER);
    k.mouse = test_bit(rel, REL_X);
    int xy = test_bit(abs, ABS_X) && test_bit(abs, ABS_Y) &&
             (test_bit(keys, BTN_LEFT) || test_bit(keys, BTN_TOUCH));
    /* a touchpad reports finger positions on the pad, not on the screen
     * (a touchscreen or tablet says INPUT_PROP_DIRECT, or has no finger tool) */
    k.touchpad = xy && test_bit(keys, BTN_TOOL_FINGER) && !test_bit(props, INPUT_PROP_DIRECT);
    k.absolute = xy && !k.touchpad;
    return k;
}

/* An axis's range and current value; 0, or -1 for an empty range. */
static int read_axis(int fd, unsigned code, struct input_axis *a)
{
    struct input_absinfo info;
    memset(&info, 0, sizeof info);
    if (ioctl(fd, EVIOCGABS(code), &info) < 0 || info.maximum <= info.minimum)
        return -1;
    a->min = info.minimum;
    a->max = info.maximum;
    a->value = info.value;
    return 0;
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

static void set_leds(const struct input *in, int fd)
{
    write_led(fd, LED_CAPSL, (in->mods & MOD_CAPS) != 0);
    write_led(fd, LED_NUML, (in->mods & MOD_NUM) != 0);
}

/* Caps Lock and Num Lock LEDs of every device (mice ignore them). */
static void show_leds(const struct input *in)
{
    for (int i = 0; i < in->n; i++)
        set_leds(in, in->dev[i].fd);
}

/* Adds part to the ", "-separated list in buf. */
static void add_to_list(char *buf, size_t size, const char *part)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%s%s", n ? ", " : "", part);
}

/* For the console: 'event3 "QEMU USB Tablet": absolute pointer (x 0..32767, y 0..32767)'. */
static void log_device(const struct input_device *d, int fd, const struct device_kind *k)
{
    char name[80] = "", what[160] = "", axes[80];
    if (ioctl(fd, EVIOCGNAME(sizeof name - 1), name) < 0)
        name[0] = '\0';
    if (k->keyboard)
        add_to_list(what, sizeof what, "keyboard");
    if (k->mouse)
        add_to_list(what, sizeof what, "mouse");
    if (d->absolute) {
        snprintf(axes, sizeof axes, "absolute pointer (x %d..%d, y %d..%d)", d->x.min, d->x.max,
                 d->y.min, d->y.max);
        add_to_list(what, sizeof what, axes);
    }
    if (!what[0])
        snprintf(what, sizeof what, "ignored (%s)",
                 k->touchpad ? "a touchpad: not supported" : "neither keyboard nor pointer");
    log_msg("input: %s \"%s\": %s", d->name, name, what);
}

enum probe { PROBE_OPENED, PROBE_IGNORED, PROBE_FAILED };

/* Opens, asks and keeps (grabbed) or closes the device node dir/name.
 * adopt_leds: take the lock states from its LEDs (at start), else show
 * ours on them (a keyboard plugged in later). */
static enum probe open_device(struct input *in, const char *name, ino_t node, int adopt_leds)
{
    char path[300];
    struct input_device d;
    memset(&d, 0, sizeof d);
    snprintf(path, sizeof path, "%s/%s", in->dir, name);
    /* read-write to set LEDs; read-only will do */
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return PROBE_FAILED;   /* tried again at the next look */
    struct device_kind k = classify(fd);
    d.fd = fd;
    d.node = node;
    memcpy(d.name, name, strlen(name) + 1);   /* fits: is_event_node() */
    d.absolute = k.absolute && read_axis(fd, ABS_X, &d.x) == 0 && read_axis(fd, ABS_Y, &d.y) == 0;
    if (!k.keyboard && !k.mouse && !d.absolute) {
        log_device(&d, fd, &k);
        close(fd);
        return PROBE_IGNORED;
    }
    if (in->n == INPUT_MAX_DEVICES) {
        close(fd);
        return PROBE_FAILED;
    }
    log_device(&d, fd, &k);
    /* exclusive: keystrokes meant for the remote desktop must not also
     * reach a console shell */
    ioctl(fd, EVIOCGRAB, 1);
    if (adopt_leds)
        read_leds(in, fd);
    else
        set_leds(in, fd);
    in->dev[in->n++] = d;
    return PROBE_OPENED;
}

/* "event" and digits: the kernel's evdev nodes, nothing else there. */
static int is_event_node(const char *name)
{
    if (strncmp(name, "event", 5) != 0 || !name[5] || strlen(name) >= INPUT_NAME_SIZE)
        return 0;
    return strspn(name + 5, "0123456789") == strlen(name + 5);
}

static int is_open(const struct input *in, ino_t node)
{
    for (int i = 0; i < in->n; i++)
        if (in->dev[i].node == node)
            return 1;
    return 0;
}

static int was_ignored(const struct input *in, ino_t node)
{
    for (int i = 0; i < in->n_ignored; i++)
        if (in->ignored[i] == node)
            return 1;
    return 0;
}

/* One look at the directory: opens the devices not seen before. The
 * ignored list keeps only nodes still there (a missing directory: none). */
static void scan(struct input *in, int adopt_leds)
{
    ino_t still[INPUT_MAX_IGNORED];
    int n_still = 0;
    DIR *d = opendir(in->dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!is_event_node(e->d_name) || is_open(in, e->d_ino))
            continue;
        if ((was_ignored(in, e->d_ino) || open_device(in, e->d_name, e->d_ino, adopt_leds) == PROBE_IGNORED) &&
            n_still < INPUT_MAX_IGNORED)
            still[n_still++] = e->d_ino;
    }
    if (d)
        closedir(d);
    memcpy(in->ignored, still, (size_t)n_still * sizeof still[0]);
    in->n_ignored = n_still;
    in->scanned_ms = now_ms();
}

void input_open(struct input *in, const char *dir)
{
    in->dir = dir;
    scan(in, 1);
}

void input_hotplug(struct input *in)
{
    if (in->dir && now_ms() - in->scanned_ms >= SCAN_EVERY_MS)
        scan(in, 0);
}

void input_close(struct input *in)
{
    for (int i = 0; i < in->n; i++)
        close(in->dev[i].fd);
    in->n = 0;
    in->n_ignored = 0;
}

int input_pollfds(const struct input *in, struct pollfd *p)
{
    for (int i = 0; i < in->n; i++)
        p[i] = (struct pollfd){.fd = in->dev[i].fd, .events = POLLIN};
    return in->n;
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
    case BTN_TOUCH: return BUTTON_LEFT;   /* a finger on a touchscreen */
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

/* An axis's last value, clamped to its range, in 0..INPUT_ABS_MAX. */
static int axis_position(const struct input_axis *a)
{
    long long span = (long long)a->max - a->min;
    int v = a->value < a->min ? a->min : a->value > a->max ? a->max : a->value;
    return (int)((((long long)v - a->min) * INPUT_ABS_MAX + span / 2) / span);
}

/* SYN_REPORT from dev: deliver what was collected since the last one. */
static void flush_pointer(struct input *in, struct input_device *dev, const struct input_sink *sink)
{
    int placed = 0;
    if (sink && sink->pointer_at && dev->moved) {
        sink->pointer_at(sink->ctx, axis_position(&dev->x), axis_position(&dev->y), in->buttons);
        placed = 1;   /* the buttons went with it */
    }
    if (sink && sink->pointer) {
        if (in->dx || in->dy || (in->button_changed && !placed))
            sink->pointer(sink->ctx, in->dx, in->dy, in->buttons);
        wheel_clicks(sink, in->buttons, in->wheel, BUTTON_WHEEL_UP, BUTTON_WHEEL_DOWN);
        wheel_clicks(sink, in->buttons, in->hwheel, BUTTON_WHEEL_RIGHT, BUTTON_WHEEL_LEFT);
    }
    in->dx = in->dy = in->wheel = in->hwheel = in->button_changed = 0;
    dev->moved = 0;
}

static void abs_event(struct input_device *dev, unsigned code, int value)
{
    if (!dev->absolute)
        return;
    if (code == ABS_X)
        dev->x.value = value;
    else if (code == ABS_Y)
        dev->y.value = value;
    else
        return;
    dev->moved = 1;
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

static void one_event(struct input *in, struct input_device *dev, const struct input_event *e,
                      const struct keymap *km, const struct input_sink *sink)
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
    case EV_ABS:
        abs_event(dev, e->code, e->value);
        break;
    case EV_SYN:
        if (e->code == SYN_REPORT)
            flush_pointer(in, dev, sink);
        break;
    }
}

static void drop_device(struct input *in, int i)
{
    log_msg("input: %s gone", in->dev[i].name);
    close(in->dev[i].fd);
    memmove(&in->dev[i], &in->dev[i + 1], (size_t)(in->n - i - 1) * sizeof in->dev[0]);
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
    ssize_t n = read(in->dev[i].fd, ev, sizeof ev);
    if (n < 0) {
        if (errno == ENODEV)
            drop_device(in, i);
        return;   /* else EAGAIN: nothing after all */
    }
    for (size_t k = 0; k < (size_t)n / sizeof ev[0]; k++)
        one_event(in, &in->dev[i], &ev[k], km, sink);
}
