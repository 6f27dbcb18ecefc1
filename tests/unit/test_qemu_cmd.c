/* test_qemu_cmd.c — the QEMU command line of `tinynetboot run` (qemu_cmd.c). */
#define _GNU_SOURCE
#include "qemu_cmd.h"
#include "tap.h"

static char *joined(const struct qemu_plan *p)
{
    struct strv a = {0};
    struct buf b = {0};
    qemu_argv(p, &a);
    for (size_t i = 0; i < a.n; i++)
        buf_printf(&b, "%s%s", i ? " " : "", a.v[i]);
    strv_free(&a);
    return (char *)b.data;
}

int main(void)
{
    struct tap t = {0};
    struct qemu_plan bios = {.arch = "i386", .kernel = "/r/linux-pc.bzImage", .initrd = "/s/initrd.cpio",
                             .cmdline = "quiet console=ttyS0", .mem_mb = 96, .nic = "e1000", .accel = "tcg"};
    char *s = joined(&bios);
    is_str(&t, s, "qemu-system-i386 -machine pc -accel tcg -m 96 -kernel /r/linux-pc.bzImage -initrd /s/initrd.cpio "
                  "-append quiet console=ttyS0 -display none -chardev stdio,id=console,mux=on,signal=off "
                  "-serial chardev:console -mon chardev=console,mode=readline -netdev user,id=net0 "
                  "-device e1000,netdev=net0 -no-reboot", "BIOS, i386 kernel: qemu-system-i386, serial+monitor on stdio");
    free(s);

    struct qemu_plan x64 = bios;
    x64.arch = "x86_64";
    x64.display = "gtk";
    is_str(&t, qemu_binary(&x64), "qemu-system-x86_64", "BIOS, x86_64 kernel: qemu-system-x86_64");
    s = joined(&x64);
    ok(&t, strstr(s, " -display gtk ") != NULL, "a window when asked for");
    free(s);

    struct qemu_plan efi = bios;
    efi.uefi = 1;
    efi.ovmf_code = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    efi.ovmf_vars = "/s/vars.fd";
    is_str(&t, qemu_binary(&efi), "qemu-system-x86_64", "UEFI: always qemu-system-x86_64 (OVMF is x86_64)");
    s = joined(&efi);
    ok(&t, strstr(s, "-machine q35 -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd "
                     "-drive if=pflash,format=raw,file=/s/vars.fd ") != NULL, "UEFI: q35, OVMF code read-only, a copy of its variables");
    ok(&t, strstr(s, "-kernel /r/linux-pc.bzImage -initrd /s/initrd.cpio") != NULL, "UEFI: direct kernel boot too");
    free(s);
    return tap_done(&t);
}
