#!/usr/bin/env bash
# QEMU boots of the rescue system (TAP): the release kernel with base + rescue.
#
# Boot 1, with a site layer made by `tinynetboot layer` that carries
# /etc/dropbear/authorized_keys for a key this test generates, and a virtio
# disk made here without root (an MBR table written by hand: an ext2
# partition made by mke2fs -d, then a second, empty one):
#   - the console: disk modules loaded, the disk seen, a root shell at once
#     (commands typed on the serial line run as uid 0), sshd's status line
#     with the host key's fingerprint;
#   - that fingerprint is the one the server shows OpenSSH's ssh-keyscan; only
#     then is the key written to the test's own known_hosts, and every ssh
#     below runs with StrictHostKeyChecking=yes;
#   - over ssh (hostfwd on the host's loopback, a free port): the server
#     offers public-key authentication only; the rescue applets are there;
#     `fdisk -l` lists both partitions; e2fsck -fn finds the ext2 partition
#     clean; mount it, read the host's file, write one, umount;
#   - after QEMU is stopped, the host reads the guest's file back from the
#     image with debugfs (e2fsprogs), no root, no mount.
# Boot 2, without a site layer: the console says sshd is not started and why,
# no dropbear runs, and ssh to the forwarded port gets no SSH server.
# The layer itself ships no host key.
#
# Every wait is bounded; QEMU and the serial reader are killed on exit.
# KEEP=1 keeps the scratch directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rel=${RESCUE_RELEASE:-$top/output/release}
tnb=$top/output/bin/tinynetboot
. "$top/tests/lib/qemu.sh"
. "$top/tests/lib/tap.sh"
PATH=$PATH:/usr/sbin:/sbin

# the rescue-system image: the PC kernel, base, rescue and rescue's modules built by that kernel
kernel=linux-pc
for f in $kernel.bzImage base.cpio.xz rescue.cpio.xz rescue.$kernel.cpio.xz; do
    [ -r "$rel/$f" ] || { echo "Bail out! no $rel/$f (run make first)"; exit 1; }
done
for t in ssh ssh-keygen ssh-keyscan mke2fs debugfs python3 qemu-system-i386; do
    command -v "$t" > /dev/null || { echo "Bail out! $t is missing (setup/debian-packages)"; exit 1; }
done

scratch=$(mktemp -d /tmp/tnb-rescue.XXXXXX)
qemu_pid= reader_pid=
cleanup() {
    local p
    for p in $qemu_pid $reader_pid; do kill "$p" 2>/dev/null; done
    sleep 0.3
    for p in $qemu_pid $reader_pid; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    [ -n "${KEEP:-}" ] && echo "# kept $scratch" || rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- the layer ships no host key ---------------------------------------------
if xz -dc "$rel/rescue.cpio.xz" | cpio -t --quiet > "$scratch/rescue.list" 2>/dev/null; then
    if grep -q -E 'host_key|authorized_keys$' "$scratch/rescue.list"; then
        not_ok "the rescue layer ships no host key and no authorized_keys"
        grep -E 'host_key|authorized_keys$' "$scratch/rescue.list" | sed 's/^/# /'
    else
        ok "the rescue layer ships no host key and no authorized_keys ($(wc -l < "$scratch/rescue.list") entries)"
    fi
else
    not_ok "rescue.cpio.xz lists with cpio"
fi

# ---- the disk: MBR, partition 1 ext2 (16 MiB at 1 MiB), partition 2 empty ---
nonce=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$scratch/fsroot"
echo "made on the host $nonce" > "$scratch/fsroot/host.txt"
disk=$scratch/disk.img
p1_start=2048 p1_sectors=32768
p2_start=$((p1_start + p1_sectors)) p2_sectors=16384
if mke2fs -q -F -t ext2 -L rescuetest -d "$scratch/fsroot" "$scratch/part1.ext2" 16M > "$scratch/mke2fs.log" 2>&1 &&
   truncate -s $(( (p2_start + p2_sectors) * 512 )) "$disk" &&
   python3 - "$disk" "$p1_start" "$p1_sectors" "$p2_start" "$p2_sectors" <<'EOF' &&
import struct, sys
path, s1, n1, s2, n2 = sys.argv[1], *map(int, sys.argv[2:])
def chs(lba):   # the geometry Linux reports for a small virtio disk: 16 heads x 63 sectors
    c, h, s = lba // (16 * 63), (lba // 63) % 16, lba % 63 + 1
    return bytes([h, s | ((c >> 2) & 0xc0), c & 0xff])
def entry(start, count, ptype):
    # status, CHS first, type, CHS last, LBA start, count
    return struct.pack('<B3sB3sII', 0, chs(start), ptype, chs(start + count - 1), start, count)
with open(path, 'r+b') as f:
    f.seek(440)
    f.write(struct.pack('<I', 0x7e5c0e01) + b'\0\0')         # disk signature
    f.write(entry(s1, n1, 0x83) + entry(s2, n2, 0x83) + b'\0' * 32 + b'\x55\xaa')
EOF
   dd if="$scratch/part1.ext2" of="$disk" bs=512 seek=$p1_start conv=notrunc status=none; then
    ok "test disk: MBR with an ext2 partition (mke2fs -d) and an empty one, made without root"
else
    not_ok "test disk"; echo "Bail out! no test disk"; exit 1
fi

# ---- the key and the site layer ----------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C tnb-rescue-test -f "$scratch/id" &&
"$tnb" layer -o "$scratch/site.cpio.xz" --file "$scratch/id.pub:/etc/dropbear/authorized_keys:0600" ||
    { echo "Bail out! cannot make the site layer"; exit 1; }

accel=$(qemu_accel "$rel/$kernel.bzImage")
echo "# accelerator: $accel"

# boot NAME LAYER...: start QEMU in the background with the serial console on
# a pipe pair (input: $scratch/NAME.in, everything it prints: $scratch/NAME.log)
port=
boot() {
    local name=$1; shift
    local l
    cat "$@" > "$scratch/$name.initrd"
    port=$(free_port)
    log=$scratch/$name.log
    mkfifo "$scratch/$name.ser.in" "$scratch/$name.ser.out"
    : > "$log"
    ${QEMU_BIN:-qemu-system-i386} -accel "$accel" -m 128 -display none -monitor none -no-reboot \
        -kernel "$rel/$kernel.bzImage" -initrd "$scratch/$name.initrd" -append "console=ttyS0 panic=-1" \
        -serial "pipe:$scratch/$name.ser" \
        -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:22" -device e1000,netdev=n0 \
        -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
        > "$scratch/$name.qemu" 2>&1 &
    qemu_pid=$!
    cat "$scratch/$name.ser.out" > "$log" &
    reader_pid=$!
    exec 7> "$scratch/$name.ser.in"
}
stop_qemu() {
    exec 7>&-
    [ -n "$qemu_pid" ] && { kill "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; }
    [ -n "$reader_pid" ] && { kill "$reader_pid" 2>/dev/null; wait "$reader_pid" 2>/dev/null; }
    qemu_pid= reader_pid=
}
# wait_for REGEX SECONDS: until the serial log matches (0) or the time is up (1)
wait_for() {
    local deadline=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -a -q -E "$1" "$log" && return 0
        grep -a -q 'Kernel panic' "$log" && return 1
        kill -0 "$qemu_pid" 2>/dev/null || return 1
        sleep 0.3
    done
    return 1
}
console() { printf '%s\n' "$*" >&7; }   # a line typed on the serial console
show_log() { echo "# last lines of the serial log:"; tail -n "${1:-15}" "$log" | sed 's/^/# /'; }

sshopts=(-F /dev/null -o BatchMode=yes -o ConnectTimeout=20 -o IdentitiesOnly=yes -i "$scratch/id"
         -o UserKnownHostsFile="$scratch/known_hosts" -o StrictHostKeyChecking=yes -o LogLevel=ERROR)
rssh() { timeout 90 ssh "${sshopts[@]}" -p "$port" root@127.0.0.1 "$@"; }

# ==== boot 1: base + rescue + site layer ======================================
boot keyed "$rel/base.cpio.xz" "$rel/rescue.cpio.xz" "$rel/rescue.$kernel.cpio.xz" "$scratch/site.cpio.xz"
start=$(date +%s)
if wait_for 'sshd: (running|not started)' 240; then
    ok "boot 1 reached sshd's status line ($(( $(date +%s) - start )) s under $accel)"
else
    not_ok "boot 1 reached sshd's status line"; show_log 25
    echo "Bail out! boot 1 failed"; exit 1
fi

check "console: the disk modules loaded, virtio disk vda seen" \
    grep -a -q -E 'rescue: disks:.* vda\(' "$log"
# the modules archive was built by the kernel that runs: modprobe loaded every one
# (the list S05rescue-modules loads, from the script itself)
mods=$(sed -n 's/^MODULES="\(.*\)"$/\1/p' "$top/overlays/rescue/etc/init.d/S05rescue-modules")
check "console: every module of rescue.$kernel.cpio.xz loads into $kernel (no invalid module format)" \
    bash -c "[ -n '$mods' ] && grep -a -q -F 'rescue: modules loaded: $mods' '$log' &&
             ! grep -a -q -E 'cannot load kernel module|[Ii]nvalid module format|disagrees about version' '$log'"
grep -a -E '^rescue:' "$log" | sed 's/^/# /'

fp_console=$(grep -a -o -E 'sshd: running on port 22.*host key fingerprint: ssh-ed25519 SHA256:[A-Za-z0-9+/]+' "$log" |
             grep -o -E 'SHA256:[A-Za-z0-9+/]+' | head -n 1)
if [ -n "$fp_console" ]; then
    ok "console: sshd running, ed25519 host key fingerprint $fp_console"
else
    not_ok "console: sshd running with a host key fingerprint"; grep -a 'sshd:' "$log" | sed 's/^/# /'
fi

# a root shell on the console, without a login
wait_for '[#] $' 60 > /dev/null
console 'echo "TNB-CONSOLE uid=$(id -u) $((40 + 2))"'
if wait_for 'TNB-CONSOLE uid=0 42' 60; then
    ok "console: a root shell, no login"
else
    not_ok "console: a root shell, no login"; show_log
fi

# the server's host key, as OpenSSH sees it, must be the one on the console
: > "$scratch/known_hosts"
for i in $(seq 10); do
    timeout 30 ssh-keyscan -T 20 -t ed25519 -p "$port" 127.0.0.1 > "$scratch/scan" 2>/dev/null
    [ -s "$scratch/scan" ] && break
    sleep 2
done
fp_ssh=$(ssh-keygen -l -f "$scratch/scan" 2>/dev/null | awk '{ print $2 }' | head -n 1)
if [ -n "$fp_ssh" ] && [ "$fp_ssh" = "$fp_console" ]; then
    cp "$scratch/scan" "$scratch/known_hosts"
    ok "the host key ssh sees is the one on the console ($fp_ssh)"
else
    not_ok "the host key ssh sees ('${fp_ssh:-none}') is the one on the console ('${fp_console:-none}')"
fi

out=$(rssh 'id -u; echo "$SSH_CONNECTION" | cut -d" " -f4' 2>&1)
if [ "$out" = "0
22" ]; then
    ok "ssh with the site layer's key: root, StrictHostKeyChecking=yes"
else
    not_ok "ssh with the site layer's key"; printf '%s\n' "$out" | sed 's/^/# /' | head -n 10
fi

# password logins: the server offers public keys only
out=$(timeout 60 ssh -F /dev/null -v -o BatchMode=yes -o ConnectTimeout=20 -o PubkeyAuthentication=no \
      -o UserKnownHostsFile="$scratch/known_hosts" -o StrictHostKeyChecking=yes \
      -p "$port" root@127.0.0.1 true 2>&1)
rc=$?
out=$(printf '%s\n' "$out" | tr -d '\r')
if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'Authentications that can continue: publickey$' &&
   ! printf '%s\n' "$out" | grep 'Authentications that can continue' | grep -q -E 'password|keyboard'; then
    ok "no key, no login: the server offers publickey only"
else
    not_ok "no key, no login: the server offers publickey only (ssh exit $rc)"
    printf '%s\n' "$out" | grep -i -E 'authentications|denied|closed' | sed 's/^/# /'
fi

applets="fdisk mkfs.ext2 mke2fs mkfs.vfat mount umount losetup dd tar gzip gunzip xz unxz bzip2 cpio
 wget nc ip ping traceroute netstat top ps lsof vi less hexdump xxd md5sum sha256sum sha512sum chroot
 blkid hdparm lspci find xargs awk diff patch e2fsck fsck.ext4 scp dropbear dropbearkey"
out=$(rssh "for a in $(echo $applets); do command -v \$a > /dev/null || echo \"missing \$a\"; done; echo done" 2>&1)
if [ "$out" = done ]; then
    ok "the rescue tools are there ($(echo $applets | wc -w) checked)"
else
    not_ok "the rescue tools are there"; printf '%s\n' "$out" | sed 's/^/# /' | head -n 20
fi

out=$(rssh 'fdisk -l /dev/vda' 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
if printf '%s\n' "$out" | grep -q -E '^/dev/vda1 .* 2048 +34815 .*83 Linux' &&
   printf '%s\n' "$out" | grep -q -E '^/dev/vda2 .* 34816 +51199 .*83 Linux'; then
    ok "fdisk -l over ssh lists both partitions"
else
    not_ok "fdisk -l over ssh lists both partitions"
fi

out=$(rssh 'e2fsck -f -n /dev/vda1; echo "exit $?"' 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
if printf '%s\n' "$out" | grep -q '^rescuetest: [0-9]*/[0-9]* files' && [ "$(printf '%s\n' "$out" | tail -n 1)" = "exit 0" ]; then
    ok "e2fsck (static, from e2fsprogs) checks the ext2 partition: clean"
else
    not_ok "e2fsck checks the ext2 partition"
fi

out=$(rssh "set -e; mount /dev/vda1 /mnt; grep ' /mnt ' /proc/mounts; cat /mnt/host.txt;
            echo 'written by the rescue system $nonce' > /mnt/rescue.txt; sync; umount /mnt;
            grep -q ' /mnt ' /proc/mounts && echo still-mounted; echo umounted" 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
if printf '%s\n' "$out" | grep -q '^/dev/vda1 /mnt ext2 ' &&
   printf '%s\n' "$out" | grep -q -x "made on the host $nonce" &&
   [ "$(printf '%s\n' "$out" | tail -n 1)" = umounted ]; then
    ok "over ssh: mount the ext2 partition, read the host's file, write one, umount"
else
    not_ok "over ssh: mount, read, write, umount"
fi

stop_qemu
dd if="$disk" of="$scratch/part1.after" bs=512 skip=$p1_start count=$p1_sectors status=none
got=$(debugfs -R 'cat /rescue.txt' "$scratch/part1.after" 2>/dev/null)
if [ "$got" = "written by the rescue system $nonce" ]; then
    ok "the host reads the rescue system's file back from the image (debugfs)"
else
    not_ok "the host reads the rescue system's file back (got '${got}')"
fi
if e2fsck -f -n "$scratch/part1.after" > "$scratch/e2fsck.log" 2>&1; then
    ok "the filesystem is clean after the rescue system's umount (the host's e2fsck -fn)"
else
    not_ok "the filesystem is clean after the rescue system's umount"; sed 's/^/# /' "$scratch/e2fsck.log"
fi

# ==== boot 2: base + rescue, no site layer ====================================
boot nokey "$rel/base.cpio.xz" "$rel/rescue.cpio.xz" "$rel/rescue.$kernel.cpio.xz"
if wait_for 'sshd: (running|not started)' 240; then
    ok "boot 2 reached sshd's status line"
else
    not_ok "boot 2 reached sshd's status line"; show_log 25
fi
check "console: sshd not started, and says why (no authorized_keys from a site layer)" \
    grep -a -q 'sshd: not started: no /etc/dropbear/authorized_keys or /root/.ssh/authorized_keys from a site layer' "$log"
wait_for '[#] $' 60 > /dev/null
console 'pidof dropbear || echo "TNB-NOSSHD $((6 * 7))"'
if wait_for 'TNB-NOSSHD 42' 60; then
    ok "no dropbear process"
else
    not_ok "no dropbear process"; show_log
fi
out=$(timeout 60 ssh-keyscan -T 10 -p "$port" 127.0.0.1 2>&1)
if ! printf '%s\n' "$out" | grep -q -E 'ssh-|ecdsa-'; then
    ok "nothing answers SSH on the forwarded port"
else
    not_ok "nothing answers SSH on the forwarded port"; printf '%s\n' "$out" | sed 's/^/# /'
fi
stop_qemu

tap_end
