#!/usr/bin/env bash
# make bench — sizes against budgets and boot times, as one table, also
# written to output/bench.txt. Boot times are from QEMU start to the marker
# on the serial console (TCG unless a probe shows KVM works), median of 3.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rel=$top/output/release
. "$top/tests/lib/qemu.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
out=$top/output/bench.txt

# A layer whose S99 script prints a marker once base's S?? scripts are done
# (the DHCP lease is taken by then) and whose shell prompt follows.
mkdir -p "$scratch/layer/etc/init.d"
cat > "$scratch/layer/etc/init.d/S99bench" <<'EOS'
#!/bin/sh
[ "$1" = start ] && echo "TNB-BENCH lease-done uptime=$(cut -d' ' -f1 /proc/uptime)" > /dev/console
EOS
chmod 755 "$scratch/layer/etc/init.d/S99bench"
(cd "$scratch/layer" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    xz --check=crc32 > "$scratch/bench.cpio.xz"
cat "$rel/base.cpio.xz" "$scratch/bench.cpio.xz" > "$scratch/stack.cpio"
accel=$(qemu_accel "$rel/bzImage")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_to MARKER: QEMU start -> first serial line matching MARKER, 3 runs
time_to() {
    local marker=$1 i
    for i in 1 2 3; do
        if qemu_boot_until "$scratch/serial.log" "$marker" 120 -accel "$accel" -m 96 \
            -kernel "$rel/bzImage" -initrd "$scratch/stack.cpio" -append "console=ttyS0" \
            -netdev user,id=n0 -device e1000,netdev=n0; then
            printf '%.2f\n' "$QEMU_SECONDS"
        fi
    done | median
}

{
    echo "tinynetboot bench  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores, QEMU accelerator: $accel"
    echo
    echo "== sizes"
    "$top/output/bin/tinynetboot" -C "$top" sizes "$rel"
    echo
    echo "== boot (QEMU start ->, median of 3, seconds)"
    printf '%-40s %8s\n' "kernel banner on the serial console" "$(time_to 'Linux version')"
    printf '%-40s %8s\n' "base's S10network starting" "$(time_to 'network: ')"
    printf '%-40s %8s\n' "DHCP lease done (S99 reached)" "$(time_to 'TNB-BENCH lease-done')"
    printf '%-40s %8s\n' "base shell prompt" "$(time_to ':/# ')"
} | tee "$out"

# --- fbvnc layer: QEMU start -> the viewer's first frame from a real VNC server
# (TigerVNC Xvnc on the host's loopback; the guest reaches it as 10.0.2.2),
# median of 3, and the layer's size. Skipped without the layer or Xvnc.
{
    echo
    echo "== fbvnc (base + fbvnc, vga=788, Xvnc 800x600 on the host)"
    if [ -f "$rel/fbvnc.cpio.xz" ] && command -v Xvnc >/dev/null; then
        for fb_disp in $(seq 81 99); do
            [ -e "/tmp/.X11-unix/X$fb_disp" ] || [ -e "/tmp/.X$fb_disp-lock" ] || break
        done
        Xvnc ":$fb_disp" -geometry 800x600 -depth 24 -rfbport $((5900 + fb_disp)) -localhost \
            -SecurityTypes None -nolisten tcp >/dev/null 2>&1 &
        fb_xvnc=$!
        sleep 2
        cat "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" > "$scratch/vnc-stack.cpio"
        fb_first=$(for i in 1 2 3; do
            if qemu_boot_until "$scratch/fbvnc.log" 'fbvnc: first frame drawn' 150 -accel "$accel" \
                -m 96 -vga std -kernel "$rel/bzImage" -initrd "$scratch/vnc-stack.cpio" \
                -append "console=ttyS0 vga=788 fbvnc=10.0.2.2:$((5900 + fb_disp))" \
                -netdev user,id=n0 -device e1000,netdev=n0; then
                printf '%.2f\n' "$QEMU_SECONDS"
            fi
        done | median)
        kill "$fb_xvnc" 2>/dev/null; wait "$fb_xvnc" 2>/dev/null
        printf '%-40s %8s\n' "fbvnc first frame drawn" "${fb_first:-failed}"
    else
        echo "(skipped: no $rel/fbvnc.cpio.xz or no Xvnc)"
    fi
    [ -f "$rel/fbvnc.cpio.xz" ] && printf '%-40s %8s\n' "fbvnc.cpio.xz bytes" "$(wc -c < "$rel/fbvnc.cpio.xz")"
} | tee -a "$out"
