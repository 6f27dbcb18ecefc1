#!/usr/bin/env bash
# tests/uefi/test-uefi.sh - UEFI clients (TAP): OVMF (QEMU q35, x86_64) netboots
# the `vnc` image (base + fbvnc) on the x86_64 kernel linux-efi, through the
# outputs of `tinynetboot menu`, with Debian's loaders:
#   1. GRUB x86_64-efi (grub/x86_64-efi/core.efi + grub/grub.cfg-01-<mac>),
#      QEMU's built-in DHCP+TFTP;
#   1b. the same for `vnc-ssh` (+ fbvnc-ssh): the session through dropbear's
#      dbclient to a real OpenSSH sshd in the namespace, the key and host key in a
#      site layer from `tinynetboot sshkey`; sshd's log must show the key and the
#      direct-tcpip channel;
#   2. Debian's ipxe.efi chained from the emitted dnsmasq.conf
#      (--efi-loader ipxe; dnsmasq in a network namespace made here), boot.ipxe.
# Each boot must show on the serial console: the kernel banner `Linux version
# 6.1.*-efi`, the test layer's PASS line (tests/boot/layer: base's network set
# up by i386 userspace on the x86_64 kernel), and the fbvnc viewer drawing the
# first frame of a real Xvnc on the GOP framebuffer ("first frame drawn ... on a
# WxHxBPP framebuffer"; without /dev/fb0 it says "no usable framebuffer"); then a
# QMP screendump shows the server's picture.
# The NIC is virtio-net without an option ROM (romfile=): the firmware's own UEFI
# network stack does DHCP and TFTP, as on a real UEFI board (QEMU's e1000 ROM would
# be an iPXE of its own, not the loader under test).
# Everything runs inside a network namespace of ours (QEMU's user network maps
# 10.0.2.2 to that namespace's loopback; Xvnc listens there): no traffic leaves it.
# 3. The images whose layers carry modules, on linux-efi through ipxe.efi (issue 22:
#    before, they booted the i386 linux-pc on UEFI, which ipxe.efi refuses with
#    `Exec format error`): rescue-system (the rescue layer's modules from
#    rescue.linux-efi.cpio.xz load: no "cannot load kernel module") and http (the
#    demo root's squashfs fetched over HTTP from the namespace into RAM, loop and
#    squashfs from httproot.linux-efi.cpio.xz, switch_root, its TNB-NETROOT PASS line).
# Needs root (ip netns), Xvnc, sshd, dnsmasq, ovmf, ipxe, mksquashfs, a release with linux-efi.
# Takes ~50 s a boot under TCG (2 shared cores). KEEP=1 keeps the scratch directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tb=$top/output/bin/tinynetboot
rel=${UEFI_RELEASE:-$top/output/release}
PATH=$PATH:/usr/sbin:/sbin
. "$top/tests/lib/qemu.sh"
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/sshd.sh"
helper() { python3 "$top/tests/fbvnc/fbvnc-test.py" "$@"; }

scratch=$(mktemp -d /tmp/tnb-uefi.XXXXXX)
chmod 755 "$scratch"   # dnsmasq drops to nobody and must read the TFTP root
pids=()
netns=tnbuefi-$$
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    [ -f "$scratch/dnsmasq.pid" ] && kill "$(cat "$scratch/dnsmasq.pid")" 2>/dev/null
    ip netns del "$netns" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

missing=
for c in qemu-system-x86_64 dnsmasq Xvnc xsetroot python3 ip ssh-keygen /usr/sbin/sshd; do
    command -v "$c" >/dev/null || missing="$missing $c"
done
for f in /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_VARS_4M.fd "$rel/linux-efi.bzImage" \
    "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$rel/fbvnc-ssh.cpio.xz" "$rel/ipxe.efi" "$rel/grub/x86_64-efi/core.efi" "$tb"; do
    [ -e "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
    not_ok "prerequisites missing:$missing (setup/install-deps; make)"
    tap_end
    exit
fi

# --- the network namespace: loopback (QEMU user network's 10.0.2.2) and a bridge
# with a tap for the dnsmasq case
. "$top/tests/lib/netns.sh"
netns_bridge "$netns" || { echo "Bail out! cannot create a network namespace (ip netns add)"; exit 1; }

# --- Xvnc in the namespace (all its addresses: the loopback and br0), root tiled
# with a red/blue quadrant picture
netns_xvnc 81 99 || { echo "Bail out! Xvnc"; exit 1; }

# --- a served copy of the release: the test layer on top of `vnc`, per MAC
srv=$scratch/srv
cp -r "$rel" "$srv"
"$tb" layer -o "$srv/sites/tnbtest.cpio.xz" --from "$top/tests/boot/layer" || { echo "Bail out! layer"; exit 1; }
# and a site layer that says which kernel runs and whether /dev/fb0 exists (the
# image's cmdline has `quiet`: no kernel banner on the console)
cat > "$scratch/S98uefi" <<'EOS'
#!/bin/sh
[ "$1" = start ] || exit 0
echo "TNB-UEFI uname-r=$(uname -r) uname-m=$(uname -m) fb0=$(cat /sys/class/graphics/fb0/name 2>/dev/null || echo none) $(ls /dev/fb0 2>&1)" > /dev/console
EOS
"$tb" layer -o "$srv/sites/uefi.cpio.xz" --file "$scratch/S98uefi:/etc/init.d/S98uefi:0755" || { echo "Bail out! layer"; exit 1; }
# --- vnc-ssh's peer: a real OpenSSH sshd in the namespace (its loopback: the
# guest's 10.0.2.2), its own host key and authorized_keys; the client's key and
# sshd's host key in a site layer made by `tinynetboot sshkey`
sshport=2222
sshd_setup "$scratch" "$sshport" || { echo "Bail out! sshd's host key and config"; exit 1; }
"$tb" sshkey -o "$srv/sites/ssh.cpio.xz" --permit "localhost:$port" \
    --known-host "10.0.2.2=$scratch/ssh_host_ed25519_key.pub" \
    --authorized-keys "$scratch/authorized_keys" --comment uefi-test > /dev/null || { echo "Bail out! sshkey"; exit 1; }
ip netns exec "$netns" /usr/sbin/sshd -D -f "$scratch/sshd_config" -E "$scratch/sshd.log" &
pids+=($!)

write_clients() {   # $1 = VNC server, $2 = network check
    cat > "$scratch/clients" <<EOC
client 52:54:00:00:0e:01 uefi-vnc
    image    vnc
    layer    sites/tnbtest.cpio.xz
    layer    sites/uefi.cpio.xz
    cmdline  fbvnc=$1 tnbtest.iface=eth0 $2 tnbtest.marker=uefi-vnc
client 52:54:00:00:0e:02 uefi-rescue
    image    rescue-system
    layer    sites/tnbtest.cpio.xz
    layer    sites/uefi.cpio.xz
    cmdline  tnbtest.iface=eth0 $2 tnbtest.marker=uefi-rescue
client 52:54:00:00:0e:03 uefi-http
    image    http
    cmdline  root=live:http://${3:-10.0.2.2}:8080/demoroot.squashfs
client 52:54:00:00:0e:04 uefi-vnc-ssh
    image    vnc-ssh
    layer    sites/ssh.cpio.xz
    layer    sites/tnbtest.cpio.xz
    layer    sites/uefi.cpio.xz
    cmdline  fbvnc=localhost:$port fbvnc.ssh=root@${3:-10.0.2.2}:$sshport tnbtest.iface=eth0 $2 tnbtest.marker=uefi-vnc-ssh
EOC
}
menu() { "$tb" -C "$top" menu --release "$1" --clients "$scratch/clients" --append console=ttyS0 --timeout 1 "${@:2}" > "$scratch/menu.log" 2>&1; }

# uefi_boot LABEL QEMU-ARGS...: OVMF netboots the client MAC; the checks above
# (the test layer's marker: $MARKER, uefi-vnc unless set)
uefi_boot() {
    local label=$1 marker=${MARKER:-uefi-vnc}; shift
    n_boot=$((${n_boot:-0} + 1))
    local log=$scratch/serial-$n_boot.log qmp=$scratch/qmp-$n_boot.sock
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/vars-$n_boot.fd"
    : > "$log"
    local start=$(date +%s.%N)
    ${RUNNER:-} qemu-system-x86_64 -machine q35 -accel tcg -m 256 -vga std -display none -monitor none -no-reboot \
        -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
        -drive if=pflash,format=raw,file="$scratch/vars-$n_boot.fd" \
        -serial "file:$log" -qmp "unix:$qmp,server=on,wait=off" "$@" > "$log.qemu" 2>&1 &
    local pid=$!
    pids+=("$pid")
    local deadline=$(( $(date +%s) + ${UEFI_TIMEOUT:-300} )) t=
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -a -q 'fbvnc: first frame drawn' "$log" && grep -a -q 'TNB-TEST PASS' "$log" && grep -a -q 'TNB-UEFI' "$log" && break
        grep -a -q -E 'TNB-TEST FAIL|Kernel panic|no usable framebuffer' "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    t=$(printf %.1f "$(echo "$(date +%s.%N) - $start" | bc)")
    local uname fb
    uname=$(grep -a -m1 -o 'TNB-UEFI .*' "$log" | tr -d '\r')
    fb=$(grep -a -m1 -o 'fbvnc: first frame drawn.*' "$log" | tr -d '\r')
    if [[ "$uname" == *" uname-r=6.1."*"-efi uname-m=x86_64 fb0=simple /dev/fb0"* ]]; then
        ok "$label: $uname"
    else
        not_ok "$label: uname -r 6.1.*-efi, x86_64, /dev/fb0 from simplefb (got '${uname:-nothing}')"
    fi
    if grep -a -q -E "TNB-TEST PASS marker=$marker([[:space:]]|\$)" "$log"; then
        ok "$label: i386 userspace up, network configured: $(grep -a -m1 -o 'TNB-TEST PASS.*' "$log" | tr -d '\r')"
    else
        not_ok "$label: the test layer's TNB-TEST PASS line"
    fi
    if [ -n "$fb" ]; then
        ok "$label: $fb ($t s after QEMU started, TCG)"
        # the 800x600 server screen is centred on the firmware's mode (OVMF: 1280x800)
        local geo=${fb##* on a } w h ox oy
        geo=${geo%% *}; w=${geo%%x*}; h=${geo#*x}; h=${h%%x*}
        ox=$(( (w - 800) / 2 )) oy=$(( (h - 600) / 2 ))
        check "$label: the Xvnc picture on the guest's GOP framebuffer (QMP screendump)" \
            helper expect "$qmp" "$scratch/screen-$n_boot.ppm" 30 $((ox + 200)),$((oy + 150))=ff0000 \
            $((ox + 600)),$((oy + 150))=0000ff $((ox + 200)),$((oy + 450))=0000ff $((ox + 600)),$((oy + 450))=ff0000
    else
        not_ok "$label: fbvnc draws on /dev/fb0 (first frame drawn)"
        grep -a -E 'fbvnc|TNB-TEST|error|Error|panic|Could not|EFI stub' "$log" | tail -n 8 | sed 's/^/# /'
        echo "# last serial lines:"; tail -n 8 "$log" | sed 's/^/# /'
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# 1. OVMF + GRUB x86_64-efi, QEMU's user network (DHCP+TFTP), in the namespace
write_clients "10.0.2.2:$port" "tnbtest.ip=10.0.2.15"
menu "$srv" --subnet 10.0.2.0/24 --server-ip 10.0.2.2 || { cat "$scratch/menu.log"; echo "Bail out! menu"; exit 1; }
grep -q 'linux-efi.bzImage' "$srv/grub/grub.cfg-01-52-54-00-00-0e-01" ||
    { echo "Bail out! grub.cfg has no linux-efi entry for vnc"; exit 1; }
# GRUB's Linux loader (Debian's 2.06) starts the kernel through the boot protocol,
# not the EFI stub: the kernel gets a framebuffer only if GRUB sets a graphics
# mode, which needs GRUB's GOP video driver loaded (vga=788 on the command line
# asks GRUB for "800x600x16,800x600"; without efi_gop: "error: no suitable video
# mode found." and no /dev/fb0).
grep -q 'insmod efi_gop' "$srv/grub/grub.cfg-01-52-54-00-00-0e-01" ||
    { echo "Bail out! grub.cfg does not load efi_gop for UEFI clients"; exit 1; }
RUNNER="ip netns exec $netns" uefi_boot "OVMF + GRUB x86_64-efi, vnc" \
    -netdev "user,id=n0,tftp=$srv,bootfile=grub/x86_64-efi/core.efi" -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0e:01,romfile=

# 1b. vnc-ssh the same way: the VNC session through the SSH tunnel to the real sshd
MARKER=uefi-vnc-ssh RUNNER="ip netns exec $netns" uefi_boot "OVMF + GRUB x86_64-efi, vnc-ssh through sshd" \
    -netdev "user,id=n0,tftp=$srv,bootfile=grub/x86_64-efi/core.efi" -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0e:04,romfile=
if grep -q 'Accepted publickey for root .* ED25519' "$scratch/sshd.log" &&
    grep -q -E "server_request_direct_tcpip: originator .*, target localhost port $port" "$scratch/sshd.log"; then
    ok "vnc-ssh on linux-efi: sshd accepted the site layer's key and forwarded the session to localhost:$port"
else
    not_ok "vnc-ssh on linux-efi: sshd's log shows the key and the direct-tcpip channel"
    grep -a 'fbvnc-ssh' "$scratch/serial-$n_boot.log" | tail -n 5 | sed 's/^/# /'; tail -n 5 "$scratch/sshd.log" | sed 's/^/# /'
fi

# 2. OVMF + Debian's ipxe.efi, chained by the emitted dnsmasq.conf (DHCP+TFTP on br0)
nsrel=$scratch/nsrel
cp -r "$srv" "$nsrel"
write_clients "10.99.0.1:$port" "tnbtest.net=10.99.0." 10.99.0.1
menu "$nsrel" --subnet 10.99.0.0/24 --server-ip 10.99.0.1 --interface br0 --range 10.99.0.100,10.99.0.150 \
    --efi-loader ipxe --no-loaders || { cat "$scratch/menu.log"; echo "Bail out! menu (ipxe)"; exit 1; }
# An EFI-stub kernel started by ipxe.efi (Debian's is a 2019 build) loads its
# initrds itself, from iPXE's file system, only when the command line names them:
# initrd=NAME, one per layer in stack order (NAME: the image name iPXE gives a
# fetched file, its last path component).
grep -q '^kernel .*linux-efi.bzImage initrd=base.cpio.xz initrd=drivers.cpio.xz initrd=drivers.linux-efi.cpio.xz initrd=fbvnc.cpio.xz' "$nsrel/boot.ipxe" ||
    { echo "Bail out! boot.ipxe does not name its layers for the EFI stub"; exit 1; }
ip netns exec "$netns" dnsmasq --keep-in-foreground --conf-file="$nsrel/dnsmasq.conf" --pid-file="$scratch/dnsmasq.pid" \
    --log-facility="$scratch/dnsmasq.log" --dhcp-leasefile="$scratch/leases" &
pids+=($!)   # ip execs Xvnc/dnsmasq: the same pid
sleep 1
RUNNER="ip netns exec $netns" uefi_boot "OVMF + ipxe.efi via dnsmasq.conf, vnc" \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0e:01,romfile=
if grep -q -E 'sent .*/ipxe\.efi' "$scratch/dnsmasq.log" && grep -q -E 'sent .*/boot\.ipxe' "$scratch/dnsmasq.log" &&
    grep -q -E 'sent .*/linux-efi\.bzImage' "$scratch/dnsmasq.log"; then
    ok "dnsmasq sent ipxe.efi to the UEFI firmware, then boot.ipxe and linux-efi.bzImage to iPXE"
else
    not_ok "dnsmasq sent ipxe.efi, boot.ipxe, linux-efi.bzImage"; grep -E 'sent|tags' "$scratch/dnsmasq.log" | tail -6 | sed 's/^/# /'
fi

# 3. the images whose layers carry modules, on linux-efi through ipxe.efi (same dnsmasq)
# uefi_until DONE-REGEX QEMU-ARGS...: OVMF boots until the serial log matches
# DONE-REGEX (or a failure line, a panic, or 300 s); sets log and t
uefi_until() {
    local done=$1; shift
    n_boot=$((${n_boot:-0} + 1))
    log=$scratch/serial-$n_boot.log
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/vars-$n_boot.fd"
    : > "$log"
    local start=$(date +%s.%N)
    ip netns exec "$netns" qemu-system-x86_64 -machine q35 -accel tcg -m 256 -vga std -display none -monitor none -no-reboot \
        -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
        -drive if=pflash,format=raw,file="$scratch/vars-$n_boot.fd" \
        -serial "file:$log" "$@" > "$log.qemu" 2>&1 &
    local pid=$!
    pids+=("$pid")
    local deadline=$(( $(date +%s) + ${UEFI_TIMEOUT:-300} ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -a -q -E "$done" "$log" && break
        grep -a -q -E 'TNB-TEST FAIL|TNB-NETROOT FAIL|Kernel panic|Exec format error|netroot: FAILED' "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    t=$(printf %.1f "$(echo "$(date +%s.%N) - $start" | bc)")
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}
show_serial() {
    grep -a -E 'TNB-|rescue:|netroot|iPXE|Exec format|error|Error|panic|Could not' "$log" | tail -n 10 | sed 's/^/# /'
    echo "# last serial lines:"; tail -n 6 "$log" | sed 's/^/# /'
}
if grep -q '^kernel .*linux-efi.bzImage initrd=base.cpio.xz initrd=drivers.cpio.xz initrd=drivers.linux-efi.cpio.xz initrd=rescue.cpio.xz initrd=rescue.linux-efi.cpio.xz' "$nsrel/boot.ipxe" &&
    grep -q '^kernel .*linux-efi.bzImage initrd=base.cpio.xz initrd=drivers.cpio.xz initrd=drivers.linux-efi.cpio.xz initrd=httproot.cpio.xz initrd=httproot.linux-efi.cpio.xz' "$nsrel/boot.ipxe"; then
    ok "boot.ipxe's EFI branches start linux-efi with the modules archives for rescue-system and http"
else
    not_ok "boot.ipxe's EFI branches start linux-efi with the modules archives for rescue-system and http"
fi

uefi_until 'TNB-TEST (PASS|FAIL)' -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0e:02,romfile=
# (S05rescue-modules and the site layer's S98uefi run before the test layer's S99)
uname=$(grep -a -m1 -o 'TNB-UEFI .*' "$log" | tr -d '\r')
if [[ "$uname" == *" uname-r=6.1."*"-efi uname-m=x86_64 "* ]] && grep -a -q 'TNB-TEST PASS marker=uefi-rescue' "$log"; then
    ok "OVMF + ipxe.efi, rescue-system on linux-efi: $uname ($t s after QEMU started, TCG)"
else
    not_ok "OVMF + ipxe.efi, rescue-system on linux-efi (got '${uname:-nothing}')"; show_serial
fi
if grep -a -q -E 'rescue: modules loaded: virtio_blk ahci ata_piix sd_mod nvme usb_storage uas ext2 crc32c_generic ext4 vfat' "$log" &&
    ! grep -a -q -E 'cannot load kernel module|invalid module format|Exec format error' "$log"; then
    ok "rescue-system on linux-efi: rescue.linux-efi.cpio.xz's modules load"
else
    not_ok "rescue-system on linux-efi: rescue.linux-efi.cpio.xz's modules load"; grep -a -E 'rescue:|module' "$log" | head -5 | sed 's/^/# /'
fi

# the demo root on a web server in the namespace (port 8080 on br0)
demo=$scratch/demo
if "$top/examples/netroot/mkdemoroot" "$demo" "$rel/base.cpio.xz" > "$scratch/mkdemoroot.log" 2>&1; then
    ip netns exec "$netns" python3 -m http.server 8080 --bind 10.99.0.1 --directory "$demo" > "$scratch/http.log" 2>&1 &
    pids+=($!)
    sleep 1
    uefi_until 'TNB-NETROOT (PASS|FAIL)' -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0e:03,romfile=
    if grep -a -q -E 'Linux version 6\.1\.[^ ]*-efi ' "$log" && grep -a -q 'TNB-NETROOT PASS .* type=squashfs ' "$log" &&
        ! grep -a -q -E 'invalid module format|Exec format error' "$log"; then
        ok "OVMF + ipxe.efi, http on linux-efi: $(grep -a -m1 -o 'TNB-NETROOT PASS.*' "$log" | tr -d '\r') ($t s, TCG)"
    else
        not_ok "OVMF + ipxe.efi, http on linux-efi: the kernel -efi, the squashfs root over HTTP, its TNB-NETROOT PASS"; show_serial
    fi
else
    not_ok "mkdemoroot"; tail -5 "$scratch/mkdemoroot.log" | sed 's/^/# /'
fi

tap_end
