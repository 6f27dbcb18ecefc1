/* accel.c — see accel.h. */
#define _GNU_SOURCE
#include "accel.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

static int cpu_has_virt(void)
{
    struct buf b = {0};
    struct diag ignored = {0};
    int yes = 0;
    if (read_file("/proc/cpuinfo", &b, &ignored) == 0 && b.len) {
        yes = memmem(b.data, b.len, " vmx", 4) || memmem(b.data, b.len, " svm", 4);
    }
    buf_free(&b);
    return yes;
}

static int kvm_opens(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

static int probe_boot(const char *qemu, const char *kernel, const char *scratch)
{
    char *log = xasprintf("%s/kvm-probe.log", scratch);
    char *serial = xasprintf("file:%s", log);
    const char *argv[] = {"timeout", "15", qemu, "-accel", "kvm", "-m", "64", "-display", "none",
                          "-monitor", "none", "-no-reboot", "-serial", serial, "-kernel", kernel,
                          "-append", "console=ttyS0 panic=-1", NULL};
    struct run_opts o = {.argv = argv, .what = "KVM probe"};
    struct diag ignored = {0};
    run_logged(&o, &ignored);   /* timeout ends it: the log decides */
    struct buf b = {0};
    int ok = read_file(log, &b, &ignored) == 0 && b.len && memmem(b.data, b.len, "Linux version", 13);
    buf_free(&b);
    unlink(log);
    free(serial);
    free(log);
    return ok;
}

const char *accel_probe(const char *qemu, const char *kernel, const char *scratch)
{
    if (!cpu_has_virt() || !kvm_opens())
        return "tcg";
    return probe_boot(qemu, kernel, scratch) ? "kvm" : "tcg";
}

static int listed(const struct buf *b, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i + n <= b->len; i++)
        if ((i == 0 || b->data[i - 1] == '\n') && !memcmp(b->data + i, name, n) &&
            (i + n == b->len || b->data[i + n] == '\n'))
            return 1;
    return 0;
}

const char *accel_window(const char *qemu)
{
    const char *display = getenv("DISPLAY");
    if (!display || !*display)
        return NULL;
    const char *argv[] = {qemu, "-display", "help", NULL};
    struct run_opts o = {.argv = argv, .what = "qemu -display help"};
    struct buf out = {0};
    struct diag ignored = {0};
    const char *ui = NULL;
    if (run_capture(&o, &out, &ignored) == 0)
        ui = listed(&out, "gtk") ? "gtk" : listed(&out, "sdl") ? "sdl" : NULL;
    buf_free(&out);
    return ui;
}
