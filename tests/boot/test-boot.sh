#!/usr/bin/env bash
# QEMU boot tests (TAP): each kernel of the release + base layer (+ the drivers
# layer and its modules for that kernel, as every image on a kernel with
# modules stacks them) + a test-only layer stacked on top by concatenation
# (every kernel boots base: every image has it). The test layer's S99 script checks what
# base set up (DHCP lease from QEMU's user network, static ip=, BOOTIF
# preference) and prints a marker the test reads from the serial console.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/qemu.sh"

scratch_dir boot

# The test layer is made with GNU cpio, not our writer: layers are the kernel's format.
(cd "$here/layer" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    xz --check=crc32 > "$scratch/test.cpio.xz"

accel=$(qemu_accel "$rel/bzImage")
echo "# accelerator: $accel"
# shellcheck disable=SC2046
set -- $(awk '$1 == "kernels" { $1 = ""; print }' "$top/recipes/release/recipe")
kernels=("$@")

# boot LABEL APPEND QEMU-ARGS...
boot() {
    local label=$1 append=$2; shift 2
    local log=$scratch/serial-$n.log
    # (and no shell error on the console: ash says "SCRIPT: line N: ...")
    if qemu_boot_until "$log" 'TNB-TEST PASS' 180 "${common[@]}" -append "console=ttyS0 $append" "$@" &&
        grep -a -q -E "TNB-TEST PASS .*kernel=[^ ]*-${kernel#linux-} " "$log" &&
        ! grep -a -q -E '^[^ ]+: line [0-9]+: ' "$log"; then
        ok "$kernel: $label ($(printf %.1f "$QEMU_SECONDS") s under $accel)"
    else
        not_ok "$kernel: $label"
        grep -a -E 'TNB-TEST|network|udhcpc|error|panic|: line [0-9]+: ' "$log" | head -20 | sed 's/^/# /'
        echo "# last lines of the serial log:"; tail -n 15 "$log" | sed -e 's/^/# /' -e '$a\'
    fi
}

for kernel in "${kernels[@]}"; do
    [ -r "$rel/$kernel.bzImage" ] || { not_ok "$kernel: no $rel/$kernel.bzImage (run make first)"; continue; }
    # an x86_64 kernel (UEFI flavour) boots here too: SeaBIOS + qemu-system-x86_64
    qemu=qemu-system-i386
    grep -q -E '^arch +x86_64' "$top/recipes/$kernel/recipe" && qemu=qemu-system-x86_64
    nic1=e1000 nic2=rtl8139
    export QEMU_BIN=$qemu
    if [ -f "$rel/drivers.$kernel.cpio.xz" ]; then
        cat "$rel/base.cpio.xz" "$rel/drivers.cpio.xz" "$rel/drivers.$kernel.cpio.xz" "$scratch/test.cpio.xz"
    else
        cat "$rel/base.cpio.xz" "$scratch/test.cpio.xz"
    fi > "$scratch/stack.cpio"
    common=(-accel "$accel" -m 96 -kernel "$rel/$kernel.bzImage" -initrd "$scratch/stack.cpio")
    boot "DHCP by default on $nic1: lease, route, DNS from QEMU's user network" \
        "tnbtest.iface=eth0 tnbtest.ip=10.0.2.15 tnbtest.gw=10.0.2.2 tnbtest.dns=10.0.2.3" \
        -netdev user,id=n0 -device $nic1,netdev=n0

    boot "dracut static ip= with nameserver= and hostname" \
        "ip=10.0.2.77::10.0.2.2:255.255.255.0:client7:eth0:none nameserver=10.0.2.3 tnbtest.iface=eth0 tnbtest.ip=10.0.2.77 tnbtest.gw=10.0.2.2 tnbtest.dns=10.0.2.3 tnbtest.hostname=client7" \
        -netdev user,id=n0 -device $nic1,netdev=n0

    boot "BOOTIF picks the second of two NICs ($nic2), the first stays idle" \
        "BOOTIF=01-52-54-00-12-00-02 tnbtest.mac=52:54:00:12:00:02 tnbtest.idle=52:54:00:12:00:01 tnbtest.ip=10.0.2.15 tnbtest.dns=10.0.2.3" \
        -netdev user,id=n0 -device $nic1,netdev=n0,mac=52:54:00:12:00:01 \
        -netdev user,id=n1 -device $nic2,netdev=n1,mac=52:54:00:12:00:02

    boot "virtio-net NIC gets a lease" \
        "tnbtest.iface=eth0 tnbtest.ip=10.0.2.15" \
        -netdev user,id=n0 -device virtio-net-pci,netdev=n0
done

tap_end
