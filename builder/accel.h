/* accel.h — what QEMU can use on this machine: KVM, a window.
 *
 * "kvm" only when the CPU advertises vmx or svm, /dev/kvm opens read-write, and
 * a probe boot of the given kernel under KVM prints its banner on the serial
 * port within 15 s; else "tcg". (Where /dev/kvm exists but the CPU lacks
 * virtualisation a KVM guest hangs: /dev/kvm alone proves nothing.) The same
 * rule as tests/lib/qemu.sh's qemu_accel. */
#ifndef TNB_ACCEL_H
#define TNB_ACCEL_H

/* qemu: the binary to probe with; scratch: a private directory for the probe's log. */
const char *accel_probe(const char *qemu, const char *kernel, const char *scratch);
/* A window for the guest's screen: "gtk" or "sdl" when $DISPLAY is set and this
 * QEMU has that UI (`-display help` lists it: Debian's qemu-system-gui), else NULL. */
const char *accel_window(const char *qemu);

#endif
