# busybox.sh — the client's own BusyBox for host tests that run client shell
# scripts (source it; needs tap.sh): release_busybox SCRATCH sets $bb to
# $BUSYBOX or to base's bin/busybox unpacked from output/release into SCRATCH,
# says which on a TAP comment line, and fails (with a not ok line) if there is
# none that runs.
release_busybox() {
    bb=${BUSYBOX:-}
    local rel=$top/output/release
    if [ -z "$bb" ] && [ -r "$rel/base.cpio.xz" ]; then
        (cd "$1" && xz -dc "$rel/base.cpio.xz" | cpio -i -d --quiet bin/busybox 2>/dev/null)
        bb=$1/bin/busybox
    fi
    if [ -z "$bb" ] || ! "$bb" true 2>/dev/null; then
        not_ok "no BusyBox to run the scripts with (make, or BUSYBOX=PATH)"
        return 1
    fi
    echo "# busybox: $bb ($("$bb" 2>&1 | head -n 1))"
}
