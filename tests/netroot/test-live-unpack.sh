#!/usr/bin/env bash
# tests/netroot/test-live-unpack.sh - the httproot layer's image handler
# (overlays/httproot/lib/netroot/live.sh) on the host, no QEMU (TAP).
#
# nr_attempt runs in BusyBox ash with the client's BusyBox applets (base's
# and the httproot layer's, from output/release, or $BUSYBOX),
# the fetch replaced by a copy of a local image and mount/umount by stubs
# (or, as root, a real 256 KB tmpfs in a private mount namespace for the
# "tmpfs full" case). Images: a small root as cpio and cpio.xz, whole, cut
# short, cut at an entry boundary, with flipped bytes. A damaged image must
# fail with the reason (nr_err), be final (nr_fatal=1: refetching the same
# bytes will not help, /init goes to the rescue path) and leave nothing
# mounted on /newroot: a partial root is never booted.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
live=$top/overlays/httproot/lib/netroot/live.sh

scratch_dir live
cleanup_hook() { umount -l "$scratch/ns" 2>/dev/null; }

# ---- BusyBox as the client runs it: base's (ash and the usual applets) and
# the netroot layers' second one (cpio, unxz, sha256sum, timeout); or $BUSYBOX
# for both
bb=${BUSYBOX:-} nbb=${BUSYBOX:-}
if [ -z "$bb" ] && [ -r "$rel/base.cpio.xz" ] && [ -r "$rel/httproot.cpio.xz" ]; then
    mkdir -p "$scratch/base" "$scratch/httproot"
    (cd "$scratch/base" && xz -dc "$rel/base.cpio.xz" | cpio -i -d --quiet bin/busybox 2>/dev/null)
    (cd "$scratch/httproot" && xz -dc "$rel/httproot.cpio.xz" | cpio -i -d --quiet usr/lib/netroot/busybox 2>/dev/null)
    bb=$scratch/base/bin/busybox nbb=$scratch/httproot/usr/lib/netroot/busybox
fi
if [ -z "$bb" ] || ! "$bb" true 2>/dev/null || ! "$nbb" cpio --help > /dev/null 2>&1; then
    not_ok "no BusyBox to run live.sh with (make, or BUSYBOX=PATH)"
    tap_end; exit
fi
echo "# busybox: $bb, $nbb ($("$bb" 2>&1 | head -n 1))"
mkdir -p "$scratch/shim"
for a in sh tail grep ls rm mkdir cat head tr echo mv cp sleep true false; do
    ln -s "$bb" "$scratch/shim/$a"
done
for a in cpio unxz sha256sum timeout; do
    ln -s "$nbb" "$scratch/shim/$a"
done

# ---- images: a small root with an init and some incompressible bytes
root=$scratch/root
mkdir -p "$root/sbin" "$root/etc" "$root/data"
printf '#!/bin/sh\necho hello\n' > "$root/sbin/init"; chmod 755 "$root/sbin/init"
echo demo > "$root/etc/hostname"
head -c 300000 /dev/urandom > "$root/data/blob"
echo last > "$root/zz-last"
img=$scratch/img
mkdir -p "$img"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$img/good.cpio"
xz --check=crc32 -c "$img/good.cpio" > "$img/good.cpio.xz"
size=$(stat -c %s "$img/good.cpio.xz")
head -c $((size / 2)) "$img/good.cpio.xz" > "$img/half.cpio.xz"
head -c $((size - 40)) "$img/good.cpio.xz" > "$img/tail-cut.cpio.xz"
cp "$img/good.cpio.xz" "$img/flipped.cpio.xz"
printf '\377\377\377\377\377\377\377\377' | dd of="$img/flipped.cpio.xz" bs=1 seek=$((size / 3)) conv=notrunc status=none
# plain cpio: cut in the middle of the blob, and cut just before zz-last
# (an entry boundary: cpio itself sees a clean end there)
head -c 200000 "$img/good.cpio" > "$img/mid.cpio"
off=$(grep -a -b -o 'zz-last' "$img/good.cpio" | head -n 1 | cut -d: -f1)
head -c $(( (off - 110) )) "$img/good.cpio" > "$img/boundary.cpio"

# run_attempt IMAGE [full]: nr_attempt on a copy of IMAGE; prints
# "rc=N fatal=F mounted=M files=K" and nr_err on the next line
run_attempt() {
    local image=$1 mode=${2:-stub} t
    t=$(mktemp -d "$scratch/run.XXXXXX")
    mkdir -p "$t/run" "$t/newroot"
    local prog
    prog=$(cat <<'SH'
say() { :; }
nr_run() { "$@" 2>&1; }
wget() { cp "$IMAGE" "$5"; }          # wget -q -T 30 -O FILE URL
if [ "$MODE" = stub ]; then
    mount() {                          # mount -t tmpfs -o OPTS tmpfs DIR
        eval "d=\${$#}"; mkdir -p "$d"; echo "$d" >> "$T/mounts"
    }
    umount() {
        eval "d=\${$#}"; grep -v -x "$d" "$T/mounts" > "$T/mounts.new"; mv "$T/mounts.new" "$T/mounts"
        [ "$d" = "$NEWROOT" ] && rm -rf "$NEWROOT"/* "$NEWROOT"/.[!.]* 2>/dev/null; return 0
    }
    mounted() { grep -q -x "$1" "$T/mounts" 2>/dev/null; }
else                                   # real mounts; /newroot a 256 KB tmpfs
    mount() {
        eval "d=\${$#}"
        if [ "$d" = "$NEWROOT" ]; then command mount -t tmpfs -o size=256k tmpfs "$d"; else command mount "$@"; fi
    }
    mounted() { grep -q "^[^ ]* $1 " /proc/mounts; }
fi
R=$T/run NEWROOT=$T/newroot rootmode=ro tlimit=60 LIVE_SHA256=
. "$LIVE"
nr_err= nr_fatal=
nr_parse http://10.0.2.2/root.img || { echo "rc=parse"; echo "$nr_err"; exit; }
nr_attempt; rc=$?
m=no; mounted "$NEWROOT" && m=yes
echo "rc=$rc fatal=${nr_fatal:-0} mounted=$m files=$(ls -A "$NEWROOT" | grep -c .)"
echo "$nr_err"
[ "$MODE" = stub ] || { mounted "$NEWROOT" && umount "$NEWROOT"; mounted "$R/live" && umount "$R/live"; }
SH
)
    if [ "$mode" = stub ]; then
        IMAGE=$image MODE=stub T=$t LIVE=$live PATH=$scratch/shim "$bb" sh -c "$prog"
    else
        IMAGE=$image MODE=real T=$t LIVE=$live PATH=$scratch/shim:/usr/sbin:/usr/bin:/sbin:/bin \
            unshare -m --propagation private "$bb" sh -c "$prog"
    fi
}

# expect_ok LABEL IMAGE
expect_ok() {
    local out
    out=$(run_attempt "$img/$2")
    local first=${out%%$'\n'*}
    echo "# $first"
    check "$1" [ "$first" = "rc=0 fatal=0 mounted=yes files=4" ]
    [ "$first" = "rc=0 fatal=0 mounted=yes files=4" ] || printf '# all of it: %q\n' "$out"
}
# expect_fail LABEL IMAGE REASON-REGEX [full]
expect_fail() {
    local out first err re=$3
    out=$(run_attempt "$img/$2" "${4:-stub}")
    first=$(head -n 1 <<< "$out"); err=$(sed -n 2p <<< "$out")
    echo "# $first"; echo "# nr_err: $err"
    check "$1" eval '[[ "$first" == "rc=1 fatal=1 mounted=no files=0" ]] && grep -q -E "$re" <<< "$err"'
}

expect_ok   "cpio.xz image, whole: unpacked, the root mounted" good.cpio.xz
expect_ok   "cpio image, whole: unpacked, the root mounted" good.cpio
expect_fail "cpio.xz cut in half: refused (unxz's status), nothing left mounted, final" half.cpio.xz \
    'cpio\.xz image is damaged or truncated: unxz failed'
expect_fail "cpio.xz without its last 40 bytes (the xz index and footer): refused" tail-cut.cpio.xz \
    'damaged or truncated: unxz failed'
expect_fail "cpio.xz with 8 flipped bytes (CRC32): refused" flipped.cpio.xz \
    'damaged or truncated|cpio exit status'
expect_fail "cpio cut inside a file: refused (cpio's status)" mid.cpio \
    'cpio exit status|truncated'
expect_fail "cpio cut at an entry boundary (cpio sees a clean end): refused, no TRAILER!!!" boundary.cpio \
    'truncated \(it does not end with the TRAILER!!! entry\)'
if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
    expect_fail "a 300 KB root into a full 256 KB tmpfs: refused (cpio's status), unmounted" good.cpio.xz \
        'cpio exit status [0-9]+.*full tmpfs' real
else
    echo "ok $((n += 1)) # SKIP full tmpfs: needs root and unshare -m"
fi

tap_end
