#!/usr/bin/env bash
# Real netboots (TAP) through the outputs of `tinynetboot menu`, each ending in
# the PASS marker of the test layer (tests/boot/layer) stacked on top of the
# image by the clients file, per MAC. Loaders are Debian's: PXELINUX, iPXE
# (QEMU's own NIC ROM), GRUB BIOS and EFI (OVMF). Servers: QEMU's built-in
# TFTP+DHCP, a web server on the host's loopback, and dnsmasq itself in a
# network namespace made here (no traffic leaves it). Also: a per-MAC PXELINUX
# menu's "Other images..." chosen by keys over QMP, and an iPXE client without a
# per-MAC script of its own falling back to boot.ipxe's menu.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tb=$top/output/bin/tinynetboot
. "$top/tests/lib/qemu.sh"
PATH=$PATH:/usr/sbin:/sbin

. "$top/tests/lib/tap.sh"
. "$top/tests/lib/netns.sh"

scratch=$(mktemp -d /tmp/tnb-netboot.XXXXXX)
chmod 755 "$scratch"   # dnsmasq drops to nobody and must read the TFTP root
pids=()
netns=tnbtest-$$
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    [ -f "$scratch/dnsmasq.pid" ] && kill "$(cat "$scratch/dnsmasq.pid")" 2>/dev/null
    ip netns del "$netns" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$scratch"   # KEEP=1 keeps the logs for a look
}
trap cleanup EXIT

# A served copy of the release with the test layer and two per-MAC clients.
srv=$scratch/srv
cp -r "$top/output/release" "$srv"
"$tb" layer -o "$srv/sites/tnbtest.cpio.xz" --from "$top/tests/boot/layer" || { echo "Bail out! layer"; exit 1; }
# one site layer per client, on top of the test layer: different files per MAC
for c in a b c; do
    echo "site-$c" > "$scratch/site-$c"
    "$tb" layer -o "$srv/sites/site-$c.cpio.xz" --file "$scratch/site-$c:/etc/tnbtest-site" || { echo "Bail out! site layer"; exit 1; }
done
write_clients() {   # $1 = network check for S99
    cat > "$scratch/clients" <<EOC
client 52:54:00:00:00:11 client-a
    image    shell
    layer    sites/tnbtest.cpio.xz
    layer    sites/site-a.cpio.xz
    cmdline  tnbtest.iface=eth0 $1 tnbtest.marker=client-a
client 52:54:00:00:00:22 client-b
    image    vnc-tiny
    kernel   linux-pc
    layer    sites/tnbtest.cpio.xz
    layer    sites/site-b.cpio.xz
    cmdline  tnbtest.iface=eth0 $1 tnbtest.marker=client-b
client 52:54:00:00:00:33 client-c
    image    rescue-system
    layer    sites/tnbtest.cpio.xz
    layer    sites/site-c.cpio.xz
    cmdline  tnbtest.iface=eth0 $1 tnbtest.marker=client-c
EOC
}
write_clients "tnbtest.ip=10.0.2.15"
menu() { "$tb" -C "$top" menu --release "$1" --clients "$scratch/clients" --append console=ttyS0 --timeout 1 "${@:2}" > "$scratch/menu.log" 2>&1; }
menu "$srv" --subnet 10.0.2.0/24 --server-ip 10.0.2.2 || { cat "$scratch/menu.log"; echo "Bail out! menu"; exit 1; }

accel=$(qemu_accel "$srv/bzImage")
echo "# accelerator: $accel"

# netboot LABEL MARKER QEMU-ARGS...: the boot reaches the PASS line of MARKER's
# entry; with KERNEL=suffix set, on a kernel whose `uname -r` ends so.
netboot() {
    local label=$1 marker=$2; shift 2
    local log=$scratch/serial-$n.log
    if qemu_boot_until "$log" "TNB-TEST PASS marker=$marker site=site-${marker#client-} " 240 -accel "$accel" -m 128 "$@" &&
        grep -a -q -E "TNB-TEST PASS marker=$marker .*kernel=[^ ]*${KERNEL:-} " "$log"; then
        ok "$label ($(printf %.1f "$QEMU_SECONDS") s, kernel $(grep -a -o -E 'kernel=[^ ]+' "$log" | head -n 1 | cut -d= -f2))"
    else
        not_ok "$label"
        grep -a -E 'TNB-TEST|PXELINUX|iPXE|GRUB|error|Error|panic|Could not' "$log" | tail -n 12 | sed 's/^/# /'
        echo "# last serial lines:"; tail -n 8 "$log" | sed 's/^/# /'
    fi
}
nic() { echo "-netdev user,id=n0,$1 -device e1000,netdev=n0,mac=$2"; }

# 1. PXELINUX, two MACs, two entries
# shellcheck disable=SC2046
netboot "PXELINUX (Debian's pxelinux.0 + menu.c32), client-a by its MAC" client-a -boot n \
    $(nic "tftp=$srv,bootfile=pxelinux.0" 52:54:00:00:00:11)
# shellcheck disable=SC2046
netboot "PXELINUX, client-b gets its own per-MAC entry and site layer" client-b -boot n \
    $(nic "tftp=$srv,bootfile=pxelinux.0" 52:54:00:00:00:22)

# 1b. a per-MAC PXELINUX menu's "Other images..." entry, chosen with the keyboard
# (QMP send-key: Down, Enter), opens the shared menu (CONFIG pxelinux.cfg/default),
# whose default boots: image shell without client-a's layers and cmdline. Menus with
# 60 s timeouts in a copy (the keys are pressed 20 s in, whenever the menu showed);
# loglevel=7: the kernel's command line on the console despite the image's quiet.
other=$scratch/other
cp -r "$srv" "$other"
menu "$other" --subnet 10.0.2.0/24 --server-ip 10.0.2.2 --no-loaders --timeout 60 --default shell \
    --append "console=ttyS0 loglevel=7"
# qmp_keys SOCKET SECONDS:KEY...: presses each key (a QEMU qcode) that many seconds
# after the call, through QEMU's QMP socket
qmp_keys() {
    python3 - "$@" <<'EOP'
import json, socket, sys, time
t0, s = time.time(), socket.socket(socket.AF_UNIX)
for _ in range(100):
    try:
        s.connect(sys.argv[1]); break
    except OSError:
        time.sleep(0.2)
f = s.makefile("rw")
def cmd(c):
    f.write(json.dumps(c) + "\n"); f.flush()
f.readline(); cmd({"execute": "qmp_capabilities"})
for arg in sys.argv[2:]:
    at, key = arg.split(":")
    time.sleep(max(0, t0 + float(at) - time.time()))
    cmd({"execute": "send-key", "arguments": {"keys": [{"type": "qcode", "data": key}]}})
time.sleep(1)
EOP
}
log=$scratch/serial-other.log
qmp_keys "$scratch/qmp" 20:down 21:ret 35:ret > /dev/null 2>&1 &
keys=$!
if qemu_boot_until "$log" 'Kernel command line:' 240 -accel "$accel" -m 128 -boot n -qmp "unix:$scratch/qmp,server,nowait" \
    -netdev "user,id=n0,tftp=$other,bootfile=pxelinux.0" -device e1000,netdev=n0,mac=52:54:00:00:00:11 &&
    grep -a 'Kernel command line:' "$log" | grep -v 'tnbtest' | grep -q 'console=ttyS0 loglevel=7'; then
    ok "PXELINUX per-MAC menu, \"Other images...\" (Down, Enter): the shared menu boots shell, not client-a's entry ($(printf %.1f "$QEMU_SECONDS") s)"
else
    not_ok "PXELINUX per-MAC menu, \"Other images...\" opens the shared menu"; grep -a 'Kernel command line' "$log" | sed 's/^/# /'
fi
wait "$keys" 2>/dev/null

# 2. iPXE over TFTP, then over HTTP from a web server on the host's loopback
# shellcheck disable=SC2046
netboot "iPXE over TFTP (boot.ipxe)" client-a -boot n $(nic "tftp=$srv,bootfile=boot.ipxe" 52:54:00:00:00:11)
web=$scratch/web
mkdir -p "$web"
cp -r "$srv" "$web/tnb"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# loglevel=7: the kernel's "Kernel command line:" on the console despite the images' quiet
menu "$web/tnb" --url-base "http://10.0.2.2:$port/tnb" --no-loaders --append "console=ttyS0 loglevel=7"
(cd "$web" && exec python3 -m http.server --bind 127.0.0.1 "$port") > "$scratch/http.log" 2>&1 &
pids+=($!)
sleep 1
# shellcheck disable=SC2046
KERNEL=-pc netboot "iPXE over HTTP (--url-base, no TFTP at all), BIOS kernel" client-b -boot n \
    $(nic "bootfile=http://10.0.2.2:$port/tnb/boot.ipxe" 52:54:00:00:00:22)
if grep -q 'GET /tnb/linux-pc.bzImage' "$scratch/http.log" && grep -q 'GET /tnb/sites/tnbtest.cpio.xz' "$scratch/http.log"; then
    ok "the kernel and layers came from the web server"
else
    not_ok "the kernel and layers came from the web server"
fi
# per-MAC iPXE scripts: client-b's entry is not in boot.ipxe (which stays the
# size of the shared menu); iPXE chained its own ipxe/01-<mac>.ipxe by ${mac:hexhyp}
if grep -q '"GET /tnb/ipxe/01-52-54-00-00-00-22.ipxe HTTP/1\.[01]" 200' "$scratch/http.log" &&
    ! grep -q 'client-' "$web/tnb/boot.ipxe"; then
    ok "client-b's iPXE got its own script ipxe/01-52-54-00-00-00-22.ipxe (boot.ipxe has no client entry)"
else
    not_ok "client-b's iPXE got its own script ipxe/01-52-54-00-00-00-22.ipxe"; grep 'GET' "$scratch/http.log" | head -5 | sed 's/^/# /'
fi
# a MAC without a per-MAC script: the chain finds nothing (404) and iPXE goes on
# to the menu, whose default entry (vnc, timeout 1 s) boots
log=$scratch/serial-nomac.log
if qemu_boot_until "$log" 'Kernel command line:' 240 -accel "$accel" -m 128 -boot n \
    -netdev "user,id=n0,bootfile=http://10.0.2.2:$port/tnb/boot.ipxe" -device e1000,netdev=n0,mac=52:54:00:00:00:44 &&
    grep -q '"GET /tnb/ipxe/01-52-54-00-00-00-44.ipxe HTTP/1\.[01]" 404' "$scratch/http.log" &&
    grep -a 'Kernel command line:' "$log" | grep -q -v 'tnbtest'; then
    ok "a MAC with no script of its own: 404, then the menu's default entry boots ($(printf %.1f "$QEMU_SECONDS") s)"
else
    not_ok "a MAC with no script of its own falls back to the menu"; grep -a -E 'Kernel command line|iPXE|Could not' "$log" | tail -5 | sed 's/^/# /'
    grep 'GET' "$scratch/http.log" | tail -5 | sed 's/^/# /'
fi

# 3. GRUB BIOS netboot. 3+4: the same grub.cfg-01-<mac> boots the kernel client-b's
# clients-file section pins for BIOS (`kernel linux-pc`; its image vnc-tiny boots
# linux-floppy) under BIOS, and the image's own linux-floppy under OVMF: GRUB
# chooses by $grub_platform. (vnc-tiny = base fbvnc: the floppy kernel has no
# modules, so it cannot boot the images that stack the drivers layer.)
# shellcheck disable=SC2046
KERNEL=-pc netboot "GRUB BIOS (i386-pc core.0, grub.cfg-01-<mac>): the BIOS kernel" client-b -boot n \
    $(nic "tftp=$srv,bootfile=grub/i386-pc/core.0" 52:54:00:00:00:22)

# 4. an EFI client: OVMF + GRUB x86_64-efi (client-b's UEFI kernel: vnc-tiny's
# linux-floppy, an i386 kernel GRUB starts through the legacy boot protocol):
# OVMF's own network stack on a virtio NIC without an option ROM, as on a real UEFI board
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/vars.fd"
# shellcheck disable=SC2046
KERNEL=-floppy QEMU_BIN=qemu-system-x86_64 netboot "UEFI (OVMF) + GRUB x86_64-efi: the same grub.cfg-01-<mac> boots the UEFI kernel" client-b \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$scratch/vars.fd" \
    -netdev "user,id=n0,tftp=$srv,bootfile=grub/x86_64-efi/core.efi" \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:22,romfile=

# 4b. rescue-system on UEFI: GRUB x86_64-efi starts its UEFI kernel, linux-efi (it
# has the block layer since issue 22), with rescue's modules built for it
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/vars-c.fd"
KERNEL=-efi QEMU_BIN=qemu-system-x86_64 netboot "UEFI (OVMF) + GRUB x86_64-efi: rescue-system on linux-efi" client-c \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$scratch/vars-c.fd" \
    -netdev "user,id=n0,tftp=$srv,bootfile=grub/x86_64-efi/core.efi" \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:33,romfile=
if grep -a -q -E 'rescue: modules loaded: virtio_blk ahci' "$scratch"/serial-*.log &&
    ! grep -a -q 'cannot load kernel module' "$scratch"/serial-*.log; then
    ok "rescue-system on UEFI: rescue.linux-efi.cpio.xz's modules load"
else
    not_ok "rescue-system on UEFI: rescue.linux-efi.cpio.xz's modules load"; grep -a 'rescue:' "$scratch"/serial-*.log | head -5 | sed 's/^/# /'
fi

# 5. the emitted dnsmasq.conf itself, serving DHCP+TFTP in a namespace of ours
if netns_bridge "$netns"; then
    nsrel=$scratch/nsrel
    cp -r "$srv" "$nsrel"
    write_clients "tnbtest.net=10.99.0."
    menu "$nsrel" --subnet 10.99.0.0/24 --server-ip 10.99.0.1 --interface br0 --range 10.99.0.100,10.99.0.150 --no-loaders
    ip netns exec "$netns" dnsmasq --keep-in-foreground --conf-file="$nsrel/dnsmasq.conf" --pid-file="$scratch/dnsmasq.pid" \
        --log-facility="$scratch/dnsmasq.log" --dhcp-leasefile="$scratch/leases" &
    pids+=($!)
    sleep 1
    QEMU_RUNNER="ip netns exec $netns" netboot "dnsmasq.conf as written, in a namespace: DHCP+TFTP to iPXE, per-MAC entry" client-b \
        -boot n -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device e1000,netdev=n0,mac=52:54:00:00:00:22
    if grep -q -E 'tags:.*\<ipxe\>' "$scratch/dnsmasq.log" && grep -q -E 'bootfile-name +boot\.ipxe' "$scratch/dnsmasq.log" &&
        grep -q -E 'sent .*/boot\.ipxe' "$scratch/dnsmasq.log" && ! grep -q -E 'bootfile-name +(pxelinux|undionly)' "$scratch/dnsmasq.log"; then
        ok "dnsmasq recognised iPXE and handed it boot.ipxe (no chain-load loop)"
    else
        not_ok "dnsmasq recognised iPXE and handed it boot.ipxe"; grep -E 'tags|sent|boot' "$scratch/dnsmasq.log" | tail -5 | sed 's/^/# /'
    fi
    if grep -q -E 'sent .*/ipxe/01-52-54-00-00-00-22\.ipxe' "$scratch/dnsmasq.log"; then
        ok "iPXE fetched client-b's own script ipxe/01-52-54-00-00-00-22.ipxe by TFTP"
    else
        not_ok "iPXE fetched client-b's own script by TFTP"; grep -E 'sent' "$scratch/dnsmasq.log" | tail -5 | sed 's/^/# /'
    fi
else
    not_ok "cannot create a network namespace (ip netns add)"
fi

tap_end
