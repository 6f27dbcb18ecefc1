/* fake_input.c - the kernel's evdev devices, faked for the host build of
 * the viewer, so that the real input.c (discovery, hotplug, translation)
 * runs under ASan+UBSan. Linked with -Wl,--wrap=open,--wrap=ioctl:
 *
 * A fake device is a FIFO in the viewer's input directory (-i DIR), say
 * DIR/event3: the test writes struct input_event records into it, and
 * closing its write end (after removing the node) is the unplug the viewer
 * sees (POLLHUP). DIR/event3.caps describes it, one item a line:
 *   name TEXT                 EVIOCGNAME
 *   key CODE...               EV_KEY codes it has (KEY_*, BTN_*)
 *   rel CODE...               EV_REL codes
 *   abs CODE MIN MAX VALUE    an EV_ABS axis (EVIOCGABS)
 *   prop BIT...               INPUT_PROP_* bits (EVIOCGPROP)
 *   led BIT...                LEDs that are on (EVIOCGLED)
 * open() of a FIFO is read-only whatever was asked (a reader that also held
 * a write end would never see the hangup), so LED writes fail, as they do on
 * a device opened read-only. The host's own evdev nodes (character major
 * 13) are never opened: the host build must not grab the host's keyboard. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/input.h>

#define INPUT_MAJOR 13

int __real_open(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long request, ...);
int __wrap_open(const char *path, int flags, ...);
int __wrap_ioctl(int fd, unsigned long request, ...);

int __wrap_open(const char *path, int flags, ...)
{
    struct stat st;
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, unsigned);
        va_end(ap);
    }
    if (stat(path, &st) == 0) {
        if (S_ISCHR(st.st_mode) && major(st.st_rdev) == INPUT_MAJOR) {
            errno = EACCES;
            return -1;
        }
        if (S_ISFIFO(st.st_mode))
            flags = (flags & ~O_ACCMODE) | O_RDONLY;
    }
    return __real_open(path, flags, mode);
}

static void set_bit_in(unsigned char *bits, size_t len, long n)
{
    if (n >= 0 && (size_t)n / 8 < len)
        bits[n / 8] |= (unsigned char)(1u << (n % 8));
}

/* The caps file of the FIFO open on fd (its path + ".caps"). */
static FILE *open_caps(int fd)
{
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 6);
    if (n <= 0)
        return NULL;
    memcpy(path + n, ".caps", 6);
    return fopen(path, "r");
}

/* Words after the keyword on a caps line, as numbers, into bits. */
static void numbers_to_bits(const char *rest, unsigned char *bits, size_t len)
{
    char *end;
    for (long v = strtol(rest, &end, 0); end != rest; v = strtol(rest, &end, 0)) {
        set_bit_in(bits, len, v);
        rest = end;
    }
}

/* EVIOCGBIT(0): which event types the caps file has lines for. */
static void event_types(FILE *f, unsigned char *bits, size_t len)
{
    char line[256];
    set_bit_in(bits, len, EV_SYN);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "key ", 4) == 0)
            set_bit_in(bits, len, EV_KEY);
        else if (strncmp(line, "rel ", 4) == 0)
            set_bit_in(bits, len, EV_REL);
        else if (strncmp(line, "abs ", 4) == 0)
            set_bit_in(bits, len, EV_ABS);
    }
}

/* The bits of every line that starts with word (abs lines: their codes). */
static void line_bits(FILE *f, const char *word, unsigned char *bits, size_t len)
{
    char line[256];
    size_t w = strlen(word);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, word, w) != 0 || line[w] != ' ')
            continue;
        if (strcmp(word, "abs") == 0)
            set_bit_in(bits, len, strtol(line + w, NULL, 0));
        else
            numbers_to_bits(line + w, bits, len);
    }
}

static int abs_info(FILE *f, unsigned axis, struct input_absinfo *a)
{
    char line[256];
    unsigned code;
    int min, max, value;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "abs %u %d %d %d", &code, &min, &max, &value) == 4 && code == axis) {
            memset(a, 0, sizeof *a);
            a->minimum = min;
            a->maximum = max;
            a->value = value;
            return 0;
        }
    errno = EINVAL;
    return -1;
}

static int device_name(FILE *f, char *buf, size_t len)
{
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "name ", 5) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(buf, len, "%s", line + 5);
            return (int)strlen(buf) + 1;
        }
    errno = ENOENT;
    return -1;
}

static int evdev_ioctl(FILE *f, unsigned long request, void *arg)
{
    unsigned nr = _IOC_NR(request);
    size_t len = _IOC_SIZE(request);
    static const char *const type_words[EV_CNT] = {[EV_KEY] = "key", [EV_REL] = "rel", [EV_ABS] = "abs"};
    if (request == EVIOCGRAB)
        return 0;
    if (_IOC_TYPE(request) != 'E' || _IOC_DIR(request) != _IOC_READ)
        return errno = ENOTTY, -1;
    if (nr >= 0x40 && nr < 0x40 + ABS_CNT)
        return abs_info(f, nr - 0x40, arg);
    if (nr == _IOC_NR(EVIOCGNAME(0)))
        return device_name(f, arg, len);
    memset(arg, 0, len);
    if (nr == 0x20)
        event_types(f, arg, len);
    else if (nr > 0x20 && nr < 0x20 + EV_CNT) {
        if (type_words[nr - 0x20])
            line_bits(f, type_words[nr - 0x20], arg, len);
    } else if (nr == _IOC_NR(EVIOCGPROP(0)))
        line_bits(f, "prop", arg, len);
    else if (nr == _IOC_NR(EVIOCGLED(0)))
        line_bits(f, "led", arg, len);
    else
        return errno = ENOTTY, -1;
    return (int)len;
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    struct stat st;
    va_start(ap, request);
    /* EVIOCGRAB's argument is an int; every other one here a pointer */
    void *arg = request == EVIOCGRAB ? NULL : va_arg(ap, void *);
    int grab = request == EVIOCGRAB ? va_arg(ap, int) : 0;
    va_end(ap);
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
        return request == EVIOCGRAB ? __real_ioctl(fd, request, grab) : __real_ioctl(fd, request, arg);
    FILE *f = open_caps(fd);
    if (!f)
        return errno = ENOTTY, -1;
    int rc = evdev_ioctl(f, request, arg);
    fclose(f);
    return rc;
}
