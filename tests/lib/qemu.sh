# qemu.sh — shared by the boot tests and the benchmark (source it).
#
# qemu_accel: "kvm" only when the CPU advertises vmx/svm, /dev/kvm opens, and
# a short probe boot under KVM really prints the kernel banner; else "tcg".
# (On machines where /dev/kvm exists but the CPU lacks virtualisation, a KVM
# guest hangs: never trust /dev/kvm alone.)
# qemu_boot_until LOG MARKER_REGEX TIMEOUT QEMU-ARGS...: boot in the
# background, watch the serial log, stop QEMU once the marker (or a FAIL line)
# shows or the timeout passes. A tiny kernel without ACPI cannot power off.

qemu_accel() {
    local kernel=$1 log
    if ! grep -q -E '\b(vmx|svm)\b' /proc/cpuinfo || ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
        echo tcg; return
    fi
    log=$(mktemp)
    timeout 15 qemu-system-i386 -accel kvm -m 64 -display none -monitor none -no-reboot \
        -serial "file:$log" -kernel "$kernel" -append "console=ttyS0 panic=-1" >/dev/null 2>&1
    if grep -q 'Linux version' "$log"; then echo kvm; else echo tcg; fi
    rm -f "$log"
}

# Sets QEMU_SECONDS (time until the marker) and returns 0 when the marker was seen.
qemu_boot_until() {
    local log=$1 marker=$2 limit=$3; shift 3
    : > "$log"
    local start=$(date +%s.%N)
    ${QEMU_RUNNER:-} "${QEMU_BIN:-qemu-system-i386}" -display none -monitor none -no-reboot -serial "file:$log" "$@" >"$log.qemu" 2>&1 &
    local pid=$! found=1
    local deadline=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if grep -q -E "$marker" "$log"; then found=0; break; fi
        if grep -q -E 'TNB-TEST FAIL|Kernel panic' "$log"; then break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    QEMU_SECONDS=$(echo "$(date +%s.%N) - $start" | bc)
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return $found
}
