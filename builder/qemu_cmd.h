/* qemu_cmd.h — the QEMU command line that boots one image here (`tinynetboot run`).
 *
 * Pure: a plan in, an argv out; no file is read, nothing is started.
 *   BIOS: qemu-system-i386 for an i386 kernel, qemu-system-x86_64 for an x86_64
 *         one (SeaBIOS either way), machine pc.
 *   UEFI: qemu-system-x86_64, machine q35, OVMF as two pflash drives (the code
 *         read-only, a writable copy of the variables); the kernel still comes
 *         by QEMU's direct kernel boot (-kernel/-initrd), which OVMF honours.
 * The serial port and QEMU's monitor share stdio (mux: Ctrl-A x quits, Ctrl-A c
 * is the monitor; Ctrl-C goes to the client), user networking (the host is
 * 10.0.2.2 inside), -no-reboot (a reboot or power-off ends QEMU). */
#ifndef TNB_QEMU_CMD_H
#define TNB_QEMU_CMD_H

#include "util.h"

struct qemu_plan {
    const char *arch;          /* the kernel's: "i386" or "x86_64" */
    int uefi;
    const char *ovmf_code;     /* uefi: the firmware */
    const char *ovmf_vars;     /* uefi: a writable copy of its variable store */
    const char *kernel, *initrd, *cmdline;
    int mem_mb;
    const char *nic;           /* a QEMU -device model, e.g. e1000 */
    const char *accel;         /* "kvm" or "tcg" */
    const char *display;       /* "gtk", "sdl", or NULL: no window */
};

/* The QEMU binary the plan needs. */
const char *qemu_binary(const struct qemu_plan *p);
/* Appends the whole argv (argv[0] is the binary). */
void qemu_argv(const struct qemu_plan *p, struct strv *argv);

#endif
