#!/usr/bin/env bash
# QEMU boots of the network-root layers (TAP): the release kernel with
# base + nfsroot, base + nbdroot or base + httproot, against real servers -
# nfs-ganesha (with rpcbind; NFSv3 and NFSv4), nbd-server, python3's
# http.server, dnsmasq handing out a DHCP root-path (option 17) - serving the
# demo root (examples/netroot/mkdemoroot). Each good boot ends with the demo
# root's own /sbin/init printing "TNB-NETROOT PASS root=<source> type=<fs>
# ... opts=<mount options>" (its / line of /proc/mounts) on the serial
# console after switch_root; the failure cases end in the rescue shell
# with the reason on the console; the retry cases start the server only after
# the console shows the failed attempt and the retry. The command-line forms
# themselves are tested on the host, all of them (tests/netroot/test-cmdline.sh);
# the boots here take one form per mount path. One NFSv4 boot is the `nfs` image's
# UEFI stack: OVMF starts the x86_64 linux-efi (EFI stub), whose NIC driver and
# NFS client are modules of drivers.linux-efi and nfsroot.linux-efi.
#
# As root, the whole test re-runs itself in a private network and mount
# namespace: the servers listen on that namespace's loopback only (fixed
# ports, no clash with anything on the host), QEMU's user network reaches
# them at 10.0.2.2, and rpcbind/ganesha state lives in tmpfs mounts that
# vanish with it. Without root (no namespace, no ganesha) the HTTP and NBD
# boots use free ports on the host's loopback and the NFS boots are skipped.
# Every process started here is killed on exit. KEEP=1 keeps the scratch dir;
# ONLY=REGEX boots only the cases whose label matches (while working on one).
set -u
if [ -z "${NETROOT_NS:-}" ]; then
    if [ "$(id -u)" = 0 ] && unshare --net --mount --propagation private true 2>/dev/null; then
        export NETROOT_NS=private
        exec unshare --net --mount --propagation private "$BASH" "$0" "$@"
    fi
    export NETROOT_NS=host
fi
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rel=${NETROOT_RELEASE:-$top/output/release}
. "$top/tests/lib/qemu.sh"
PATH=$PATH:/usr/sbin:/sbin

n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip()   { n=$((n + 1)); echo "ok $n # SKIP $*"; }

scratch=$(mktemp -d /tmp/tnb-netroot.XXXXXX)
chmod 755 "$scratch"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    sleep 0.5
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    [ -n "${KEEP:-}" ] && echo "# kept $scratch" || rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the network-root images boot the PC kernel; each root layer brings its modules for it
kernel=linux-pc
for f in $kernel.bzImage base.cpio.xz nfsroot.cpio.xz nbdroot.cpio.xz httproot.cpio.xz; do
    [ -r "$rel/$f" ] || { echo "Bail out! no $rel/$f (run make first)"; exit 1; }
done

if [ "$NETROOT_NS" = private ]; then
    ip link set lo up
    mount -t tmpfs -o mode=0755 tmpfs /run              # rpcbind's socket and state
    [ -d /var/lib/nfs ] && mount -t tmpfs tmpfs /var/lib/nfs   # ganesha's recovery dir
    HTTP_PORT=8080 NBD_PORT=10809
    echo "# private network namespace: servers on its loopback only"
else
    free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
    HTTP_PORT=$(free_port) NBD_PORT=$(free_port)
    echo "# not root: servers on the host's loopback, ports $HTTP_PORT $NBD_PORT"
fi

# ---- the demo root ---------------------------------------------------------
demo=$scratch/demo
if "$top/examples/netroot/mkdemoroot" "$demo" > "$scratch/mkdemoroot.log" 2>&1 &&
   "$top/examples/netroot/mkdemoroot" "$scratch/demo2" >> "$scratch/mkdemoroot.log" 2>&1 &&
   cmp -s "$demo/SHA256SUMS" "$scratch/demo2/SHA256SUMS"; then
    ok "demo root built from the base layer: tree, ext2, squashfs, cpio.xz, the same bytes twice"
else
    not_ok "demo root"
    sed 's/^/# /' "$scratch/mkdemoroot.log" | tail -n 20
    echo "Bail out! no demo root"; exit 1
fi
rm -rf "$scratch/demo2"
sha_of() { sha256sum "$demo/$1" | cut -d' ' -f1; }

# ---- stacks ----------------------------------------------------------------
for l in nfsroot nbdroot httproot; do
    cat "$rel/base.cpio.xz" "$rel/$l.cpio.xz" "$rel/$l.$kernel.cpio.xz" > "$scratch/stack-$l"
done
# the `nfs` image's UEFI stack: linux-efi takes its NIC drivers and NFS client as
# modules built for it (drivers.linux-efi, nfsroot.linux-efi)
efi_ready=yes
for f in linux-efi.bzImage drivers.cpio.xz drivers.linux-efi.cpio.xz nfsroot.linux-efi.cpio.xz; do
    [ -r "$rel/$f" ] || efi_ready="no $f"
done
[ -r /usr/share/OVMF/OVMF_CODE_4M.fd ] || efi_ready="no OVMF (package ovmf)"
[ "$efi_ready" = yes ] && cat "$rel/base.cpio.xz" "$rel/drivers.cpio.xz" "$rel/drivers.linux-efi.cpio.xz" \
    "$rel/nfsroot.cpio.xz" "$rel/nfsroot.linux-efi.cpio.xz" > "$scratch/stack-nfsroot-efi"
# base + httproot + the boot tests' layer (S99tnbtest): no root= keyword
(cd "$top/tests/boot/layer" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    xz --check=crc32 > "$scratch/tnbtest.cpio.xz"
cat "$scratch/stack-httproot" "$scratch/tnbtest.cpio.xz" > "$scratch/stack-httproot-tnbtest"

accel=$(qemu_accel "$rel/$kernel.bzImage")
echo "# accelerator: $accel"

# ---- servers ---------------------------------------------------------------
wait_port() {   # PORT: up to 15 s for something to listen on 127.0.0.1:PORT
    local i
    for i in $(seq 75); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}
stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

http_pid=
start_http() {
    python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$demo" > "$scratch/http.log" 2>&1 &
    http_pid=$!; pids+=("$http_pid")
    wait_port "$HTTP_PORT"
}
stop_http() { [ -n "$http_pid" ] && stop_pid "$http_pid"; http_pid=; }

nbd_pid=
cat > "$scratch/nbd.conf" <<EOF
[generic]
    port = $NBD_PORT
    listenaddr = 127.0.0.1
[ext2]
    exportname = $demo/demoroot.ext2
    readonly = true
[squashfs]
    exportname = $demo/demoroot.squashfs
    readonly = true
EOF
# (nbd-server -d, "don't fork", serves one connection only: it runs as the
# daemon it is, and its pid comes from its pid file)
start_nbd() {
    local i
    rm -f "$scratch/nbd.pid"
    nbd-server -C "$scratch/nbd.conf" -p "$scratch/nbd.pid" > "$scratch/nbd.log" 2>&1 || return 1
    for i in $(seq 50); do [ -s "$scratch/nbd.pid" ] && break; sleep 0.1; done
    nbd_pid=$(cat "$scratch/nbd.pid" 2>/dev/null)
    [ -n "$nbd_pid" ] || return 1
    pids+=("$nbd_pid")
    wait_port "$NBD_PORT"
}
stop_nbd() {
    [ -n "$nbd_pid" ] || return 0
    kill "$nbd_pid" 2>/dev/null
    local i
    for i in $(seq 50); do kill -0 "$nbd_pid" 2>/dev/null || break; sleep 0.1; done
    nbd_pid=
}

# NFS: ganesha (userspace NFSv3 and NFSv4, FSAL VFS) exporting the demo tree
# read-only (NFSv4 pseudo path = the same path), NFS on 2049 and MOUNT on
# 20048, registered with an rpcbind of our own
ganesha_pid= rpcbind_pid=
cat > "$scratch/ganesha.conf" <<EOF
NFS_CORE_PARAM {
    NFS_Port = 2049;
    MNT_Port = 20048;
    Protocols = 3, 4;
    Enable_NLM = false;
    Enable_RQUOTA = false;
}
NFSV4 { Graceless = true; Minor_Versions = 0, 1, 2; RecoveryRoot = "$scratch/ganesha-recovery"; }
EXPORT {
    Export_Id = 1;
    Path = $demo/tree;
    Pseudo = $demo/tree;
    Access_Type = RO;
    Squash = No_Root_Squash;
    SecType = sys;
    Protocols = 3, 4;
    Transports = TCP;
    FSAL { Name = VFS; }
}
EOF
start_rpcbind() {
    rpcbind -f -w > "$scratch/rpcbind.log" 2>&1 &
    rpcbind_pid=$!; pids+=("$rpcbind_pid")
    wait_port 111
}
start_nfs() {
    ganesha.nfsd -F -f "$scratch/ganesha.conf" -L "$scratch/ganesha.log" -p "$scratch/ganesha.pid" \
        -N NIV_EVENT > /dev/null 2>&1 &
    ganesha_pid=$!; pids+=("$ganesha_pid")
    wait_port 2049 && wait_port 20048
}
stop_nfs() { [ -n "$ganesha_pid" ] && stop_pid "$ganesha_pid"; ganesha_pid=; }

# ---- QEMU ------------------------------------------------------------------
qpid= log=
qnet_user=(-netdev user,id=n0 -device e1000,netdev=n0)
qnet=("${qnet_user[@]}")
# qemu_start STACK APPEND: boot in the background, serial console to $log
# (with UEFI=1: OVMF on q35 starts linux-efi through its EFI stub instead)
qemu_start() {
    log=$scratch/serial-$((n + 1)).log
    : > "$log"
    local machine=(-kernel "$rel/$kernel.bzImage" -m 128) bin=${QEMU_BIN:-qemu-system-i386}
    if [ -n "${UEFI:-}" ]; then
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/vars.fd"
        bin=qemu-system-x86_64
        machine=(-kernel "$rel/linux-efi.bzImage" -m 256 -machine q35
            -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
            -drive if=pflash,format=raw,file="$scratch/vars.fd")
    fi
    ${QEMU_RUNNER:-} "$bin" -accel "$accel" "${machine[@]}" -display none -monitor none \
        -no-reboot -serial "file:$log" -initrd "$scratch/stack-$1" \
        -append "console=ttyS0 $2" "${qnet[@]}" > "$log.qemu" 2>&1 &
    qpid=$!; pids+=("$qpid")
    t0=$(date +%s)
}
# wait_log REGEX SECONDS: 0 once the serial log matches; 1 on a panic, QEMU
# gone, or the time limit
wait_log() {
    local deadline=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -a -q -E "$1" "$log" && return 0
        grep -a -q -E 'Kernel panic|Attempted to kill init' "$log" && return 1
        kill -0 "$qpid" 2>/dev/null || { grep -a -q -E "$1" "$log"; return; }
        sleep 0.3
    done
    return 1
}
qemu_stop() { stop_pid "$qpid"; qpid=; }
has() { grep -a -q -E "$1" "$log"; }
show_log() {
    echo "# serial log (netroot lines, then the last lines):"
    grep -a -E 'netroot|network:|TNB-' "$log" | head -n 30 | sed 's/^/#   /'
    { tail -n 12 "$log"; echo; } | sed 's/^/#   /'   # (the log may not end with a newline)
}
took() { echo "$(( $(date +%s) - t0 )) s"; }

picked() { [ -z "${ONLY:-}" ] || printf '%s\n' "$1" | grep -q -E -- "$ONLY"; }

PASS='TNB-NETROOT (PASS|FAIL)'
RESCUE='netroot: no network root; the base system runs as a rescue shell'

# boot_root LABEL STACK APPEND FSTYPE [EXTRA-REGEX]: must reach the demo
# root's PASS marker with the root on FSTYPE (and the log must match EXTRA)
boot_root() {
    local label=$1 stack=$2 append=$3 fstype=$4 extra=${5:-}
    picked "$label" || return 0
    qemu_start "$stack" "$append"
    # (and modules loaded dependencies first: no "Unknown symbol" retry noise)
    if wait_log "$PASS" 300 && has "TNB-NETROOT PASS .* type=$fstype " && { [ -z "$extra" ] || has "$extra"; } &&
        ! has 'Unknown symbol'; then
        ok "$label ($(took))"
    else
        not_ok "$label"; show_log
    fi
    qemu_stop
}
# boot_rescue LABEL STACK APPEND REASON-REGEX: must end in the rescue shell,
# the reason on the console, no switch_root
boot_rescue() {
    local label=$1 stack=$2 append=$3 reason=$4
    picked "$label" || return 0
    qemu_start "$stack" "$append"
    if wait_log "$RESCUE" 300 && has "netroot: FAILED: .*$reason" && ! has 'TNB-NETROOT PASS|switch_root to'; then
        ok "$label ($(took))"
    else
        not_ok "$label"; show_log
    fi
    qemu_stop
}
# boot_retry LABEL STACK APPEND FSTYPE FAIL-REGEX START-FN: the server is down
# at boot; once the console shows the failed attempt and its retry, START-FN
# starts it, and the boot must then reach the PASS marker
boot_retry() {
    local label=$1 stack=$2 append=$3 fstype=$4 failre=$5 start=$6
    picked "$label" || return 0
    qemu_start "$stack" "$append"
    if ! wait_log "netroot: $failre.*\(attempt 1/[0-9]+\); retrying in 1s" 300; then
        not_ok "$label: no failed attempt with a retry on the console"; show_log; qemu_stop; return
    fi
    echo "# $(grep -a -E -m1 "netroot: $failre" "$log")"
    "$start" || { not_ok "$label: the server did not start"; qemu_stop; return; }
    if wait_log "$PASS" 300 && has "TNB-NETROOT PASS .* type=$fstype "; then
        ok "$label ($(took))"
    else
        not_ok "$label"; show_log
    fi
    qemu_stop
}

U="10.0.2.2:$HTTP_PORT"
# ---- base behaviour kept ---------------------------------------------------
if picked "without root="; then
qemu_start httproot-tnbtest "tnbtest.iface=eth0 tnbtest.ip=10.0.2.15 tnbtest.gw=10.0.2.2"
if wait_log 'TNB-TEST (PASS|FAIL)' 300 && has 'TNB-TEST PASS' && ! has 'netroot:'; then
    ok "without root= a netroot layer changes nothing: base boots, its test layer passes ($(took))"
else
    not_ok "without root= the stack should boot like base"; show_log
fi
qemu_stop
fi

# ---- HTTP ------------------------------------------------------------------
start_http || not_ok "python3 http.server did not start"
boot_root "HTTP: squashfs image into RAM, sha256 checked, switch_root, the root's init runs" httproot \
    "root=live:http://$U/demoroot.squashfs rd.live.sha256=$(sha_of demoroot.squashfs)" squashfs \
    'image sha256 [0-9a-f]{64} matches rd.live.sha256'
boot_root "HTTP: cpio.xz image unpacked into a tmpfs root (rd.live.ram=1 accepted)" httproot \
    "root=live:http://$U/demoroot.cpio.xz rd.live.ram=1" tmpfs
boot_root "HTTP: ext2 image loop-mounted" httproot \
    "root=live:http://$U/demoroot.ext2 rd.live.sha256=$(sha_of demoroot.ext2)" ext2
sz=$(stat -c %s "$demo/demoroot.cpio.xz")
head -c $((sz / 2)) "$demo/demoroot.cpio.xz" > "$demo/truncated.cpio.xz"
boot_rescue "HTTP: a truncated cpio.xz image is refused (unxz's status), rescue shell, no partial root" httproot \
    "root=live:http://$U/truncated.cpio.xz" \
    "image /truncated\.cpio\.xz: the cpio\.xz image is damaged or truncated: unxz failed .*a partial root is not used"
boot_rescue "HTTP: a wrong rd.live.sha256 is refused with a message, rescue shell" httproot \
    "root=live:http://$U/demoroot.squashfs rd.live.sha256=$(sha_of demoroot.ext2)" \
    "sha256 mismatch: the image has $(sha_of demoroot.squashfs), rd.live.sha256= says $(sha_of demoroot.ext2); refusing"
stop_http
boot_retry "HTTP: server down at boot, the retry is on the console, boots once it is up" httproot \
    "root=live:http://$U/demoroot.squashfs" squashfs \
    "HTTP server $U, image .*: .*(Connection refused|can't connect)" start_http
stop_http
boot_rescue "HTTP: server never up: retries run out, rescue shell with the reason" httproot \
    "root=live:http://$U/demoroot.squashfs rd.netroot.retries=2" \
    "HTTP server $U, image .*: gave up after 2 attempt\(s\); last error: .*"
boot_rescue "root=nbd: without the nbdroot layer: explained, rescue shell" httproot \
    "root=nbd:10.0.2.2:ext2" "needs the nbdroot layer"

# ---- NBD -------------------------------------------------------------------
N="10.0.2.2:$NBD_PORT"
if start_nbd; then
    boot_root "NBD: ext2 export (nbd-server), switch_root, the root's init runs" nbdroot \
        "root=nbd:10.0.2.2:$NBD_PORT/ext2" ext2
    boot_root "NBD: squashfs export" nbdroot \
        "root=nbd:10.0.2.2:$NBD_PORT/squashfs:squashfs" squashfs
    boot_root "NBD: dracut's netroot=nbd: with root=block:/dev/root, mount options reach mount" nbdroot \
        "netroot=nbd:10.0.2.2:$NBD_PORT/ext2:ext2:noatime root=block:/dev/root" ext2 \
        'TNB-NETROOT PASS root=/dev/nbd0 type=ext2 .*opts=ro,noatime'
    stop_nbd
    boot_retry "NBD: server down at boot, the retry is on the console, boots once it is up" nbdroot \
        "root=nbd:10.0.2.2:$NBD_PORT/ext2" ext2 \
        "NBD server 10.0.2.2 port $NBD_PORT, export ext2: .*Connection refused" start_nbd
    stop_nbd
else
    not_ok "nbd-server did not start: $(tail -n 3 "$scratch/nbd.log" | tr '\n' ' ')"
fi

# ---- NFS -------------------------------------------------------------------
if [ "$NETROOT_NS" != private ]; then
    skip "NFS root: needs root (a private network namespace for rpcbind and ganesha)"
    skip "NFS retry: needs root"
elif ! start_rpcbind; then
    not_ok "rpcbind did not start"; not_ok "NFS retry (no rpcbind)"
else
    if start_nfs; then
        T=$demo/tree
        boot_root "NFS: nfs-ganesha export via the server's portmapper, switch_root, the root's init runs" \
            nfsroot "root=nfs:10.0.2.2:$T" nfs
        boot_root "NFS: the kernel's root=/dev/nfs nfsroot=SERVER:PATH,OPTS; server, path, options in /proc/mounts" \
            nfsroot "root=/dev/nfs nfsroot=10.0.2.2:$T,port=2049,mountport=20048,rsize=8192" nfs \
            "TNB-NETROOT PASS root=10\\.0\\.2\\.2:$T type=nfs .*opts=ro,.*vers=3,rsize=8192,.*nolock,proto=tcp,port=2049,.*mountport=20048"
        boot_root "NFSv4: root=nfs4:SERVER:PATH:OPTS (vers=4.2 first, as mount.nfs), options in /proc/mounts" \
            nfsroot "root=nfs4:10.0.2.2:$T:rsize=16384" nfs4 \
            "TNB-NETROOT PASS root=10\\.0\\.2\\.2:$T type=nfs4 .*opts=ro,.*vers=4\\.2,rsize=16384,.*proto=tcp"
        boot_root "NFSv4.1: dracut's bare root=SERVER:PATH:OPTS with vers=4.1" \
            nfsroot "root=10.0.2.2:$T:vers=4.1,wsize=16384" nfs4 \
            "TNB-NETROOT PASS root=10\\.0\\.2\\.2:$T type=nfs4 .*opts=ro,.*vers=4\\.1,.*wsize=16384"
        if [ "$efi_ready" = yes ]; then
            UEFI=1 boot_root "NFSv4 on UEFI: OVMF starts linux-efi, its NIC and NFS modules load, switch_root" \
                nfsroot-efi "root=nfs4:10.0.2.2:$T" nfs4 'Linux version 6\.1\.[^ ]*-efi '
            # linux-efi has no Plug and Play layer: the legacy devices register as
            # platform devices instead (README, "Kernel flavours")
            if picked "NFSv4 on UEFI"; then
                if has 'i8042 KBD port at 0x60,0x64' && has 'rtc_cmos: registered platform RTC device' &&
                    has 'serial8250: ttyS0 at I/O 0x3f8'; then
                    ok "linux-efi without PNP: ttyS0, the i8042 ports and rtc-cmos found as platform devices"
                else
                    not_ok "linux-efi without PNP: ttyS0, the i8042 ports and rtc-cmos found as platform devices"
                    grep -a -E 'i8042|rtc|serial8250|pnp' "$log" | head -n 5 | sed 's/^/# /'
                fi
            fi
        else
            not_ok "NFSv4 on UEFI: $efi_ready"
        fi
        boot_rescue "a form not served (root=iscsi:): said on the console, /run/netroot/failed, rescue shell" \
            nfsroot "root=iscsi:10.0.2.2::3260::iqn.2009-06.test:root" \
            "root=iscsi:10\\.0\\.2\\.2::3260::iqn\\.2009-06\\.test:root: iSCSI is not served by these layers"
        # the DHCP root-path (option 17): dnsmasq on a bridge of this
        # namespace, QEMU on its tap; one root-path per client MAC
        if ip link add br0 type bridge forward_delay 0 && ip addr add 10.99.0.1/24 dev br0 &&
           ip tuntap add dev tap0 mode tap && ip link set tap0 master br0 &&
           ip link set tap0 up && ip link set br0 up; then
            cat > "$scratch/dnsmasq.conf" <<EOF
port=0
interface=br0
bind-interfaces
dhcp-authoritative
dhcp-range=10.99.0.50,10.99.0.99,255.255.255.0,1h
dhcp-host=52:54:00:00:21:01,set:rp1
dhcp-host=52:54:00:00:21:02,set:rp2
dhcp-option=tag:rp1,17,"nfs4:10.99.0.1:$T:vers=4.1,rsize=16384"
dhcp-option=tag:rp2,17,"$T,rsize=4096"
log-dhcp
EOF
            dnsmasq --keep-in-foreground --conf-file="$scratch/dnsmasq.conf" --user=root \
                --pid-file="$scratch/dnsmasq.pid" --log-facility="$scratch/dnsmasq.log" \
                --dhcp-leasefile="$scratch/dnsmasq.leases" &
            pids+=("$!")
            qnet=(-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device e1000,netdev=n0,mac=52:54:00:00:21:01)
            boot_root "DHCP root-path PROTO:IP:PATH:OPTS (dnsmasq option 17) with root=dhcp: NFSv4.1, options in /proc/mounts" \
                nfsroot "root=dhcp" nfs4 \
                "TNB-NETROOT PASS root=10\\.99\\.0\\.1:$T type=nfs4 .*opts=ro,.*vers=4\\.1,rsize=16384"
            qnet=(-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device e1000,netdev=n0,mac=52:54:00:00:21:02)
            boot_root "DHCP root-path PATH,OPTS with root=/dev/nfs: the server from DHCP, NFSv3" \
                nfsroot "root=/dev/nfs" nfs \
                "TNB-NETROOT PASS root=10\\.99\\.0\\.1:$T type=nfs .*opts=ro,.*vers=3,rsize=4096"
            qnet=("${qnet_user[@]}")
        else
            not_ok "no bridge and tap for the DHCP root-path boots"
        fi
    else
        not_ok "ganesha did not start"; grep -E 'CRIT|MAJ|FATAL' "$scratch/ganesha.log" | grep -v DBUS | head -n 5 | sed 's/^/# /'
    fi
    stop_nfs
    boot_retry "NFS: server down at boot (ports given in OPTS), the retry is on the console, boots once it is up" \
        nfsroot "root=nfs:10.0.2.2:$demo/tree:port=2049,mountport=20048" nfs \
        "NFS server 10.0.2.2, export $demo/tree: .*" start_nfs
    stop_nfs
fi

echo "1..$n"
[ "$failed" -eq 0 ]
