/* qemu_cmd.c — see qemu_cmd.h. */
#define _GNU_SOURCE
#include "qemu_cmd.h"

#include <string.h>

const char *qemu_binary(const struct qemu_plan *p)
{
    return p->uefi || !strcmp(p->arch, "x86_64") ? "qemu-system-x86_64" : "qemu-system-i386";
}

static void push2(struct strv *a, const char *opt, char *owned_value)
{
    strv_push(a, opt);
    strv_push_owned(a, owned_value);
}

static void firmware(const struct qemu_plan *p, struct strv *a)
{
    if (!p->uefi) {
        push2(a, "-machine", xstrdup("pc"));
        return;
    }
    push2(a, "-machine", xstrdup("q35"));
    push2(a, "-drive", xasprintf("if=pflash,format=raw,readonly=on,file=%s", p->ovmf_code));
    push2(a, "-drive", xasprintf("if=pflash,format=raw,file=%s", p->ovmf_vars));
}

void qemu_argv(const struct qemu_plan *p, struct strv *a)
{
    strv_push(a, qemu_binary(p));
    firmware(p, a);
    push2(a, "-accel", xstrdup(p->accel));
    push2(a, "-m", xasprintf("%d", p->mem_mb));
    push2(a, "-kernel", xstrdup(p->kernel));
    push2(a, "-initrd", xstrdup(p->initrd));
    push2(a, "-append", xstrdup(p->cmdline));
    push2(a, "-display", xstrdup(p->display ? p->display : "none"));
    push2(a, "-chardev", xstrdup("stdio,id=console,mux=on,signal=off"));
    push2(a, "-serial", xstrdup("chardev:console"));
    push2(a, "-mon", xstrdup("chardev=console,mode=readline"));
    push2(a, "-netdev", xstrdup("user,id=net0"));
    push2(a, "-device", xasprintf("%s,netdev=net0", p->nic));
    strv_push(a, "-no-reboot");
}
