#!/usr/bin/env bash
# tests/hardware/test-usb.sh - PCs without PS/2: USB keyboards and pointers, and
# USB disks (TAP). QEMU plays a machine with no i8042 at all (q35,i8042=off):
#   1. BIOS: PXELINUX netboots the `vnc` image (linux-pc + base + drivers +
#      fbvnc) through the emitted menu; xHCI with a usb-kbd and a usb-tablet;
#   2. UEFI: OVMF + GRUB x86_64-efi netboots `vnc` on linux-efi, same devices;
#   3. BIOS again with an EHCI controller and its UHCI companion (a USB 2 board
#      whose full-speed keyboard is handed to the companion) and a usb-kbd.
# Each time fbvnc draws a real Xvnc's picture, and keys typed on the USB
# keyboard (QMP input-send-event: with no i8042 the USB devices are the only
# keyboard and pointer QEMU can deliver to) and, with the tablet, absolute
# pointer moves and clicks reach the X server (checked on the X side: xev,
# xdotool). The images' drivers layer loads xhci/ehci/uhci + usbhid by PCI ID.
#   4. The rescue system reads and writes an ext4 partition on a usb-storage
#      stick on xHCI; the host checks what it wrote with debugfs.
# Runs in a network namespace of its own (10.0.2.2 = its loopback, Xvnc there).
# Needs root, Xvnc, xev, xdotool, ovmf, debugfs. KEEP=1 keeps the scratch dir.
set -u
RELEASE_VAR=USB_RELEASE
. "$(dirname "$0")/../lib/prologue.sh"
helper() { python3 "$top/tests/fbvnc/fbvnc-test.py" "$@"; }

scratch_dir usb
netns=tnbusb-$$
cleanup_hook() { ip netns del "$netns" 2>/dev/null; }   # once pids[] (QEMU, Xvnc) are gone

require qemu-system-i386 qemu-system-x86_64 Xvnc xsetroot xev xdotool python3 ip debugfs mkfs.ext4 \
    /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_VARS_4M.fd "$rel/linux-pc.bzImage" \
    "$rel/linux-efi.bzImage" "$rel/drivers.cpio.xz" "$rel/pxelinux.0" "$rel/grub/x86_64-efi/core.efi" "$tb"

. "$top/tests/lib/netns.sh"
netns_bridge "$netns" || { echo "Bail out! cannot create a network namespace (ip netns add)"; exit 1; }

# --- Xvnc in the namespace, root tiled with a red/blue quadrant picture
netns_xvnc 61 79 || { echo "Bail out! Xvnc"; exit 1; }

xev_start() {
    : > "$scratch/xev.log"
    ip netns exec "$netns" env DISPLAY=:$disp xev -root -event keyboard -event button > "$scratch/xev.log" 2>&1 &
    xev_pid=$!
    pids+=("$xev_pid")
    sleep 1
}
xev_stop() { kill "$xev_pid" 2>/dev/null; wait "$xev_pid" 2>/dev/null; }
xev_keys() {
    sed -n '/^KeyPress/,/keysym/s/.*(keysym \(0x[0-9a-f]*\), \([^)]*\)).*/\1,\2/p' "$scratch/xev.log" | tr '\n' ' '
}
xev_buttons() {
    sed -n '/^ButtonPress/,/button/s/.* button \([0-9]*\),.*/\1/p' "$scratch/xev.log" | tr '\n' ' '
}
# mouse_near X Y: the X server's pointer is within 3 pixels of X,Y
mouse_near() {
    local loc x y
    loc=$(ns env DISPLAY=:$disp xdotool getmouselocation 2>&1)
    echo "# X pointer: $loc"
    x=$(echo "$loc" | sed -n 's/^x:\([0-9]*\) .*/\1/p'); y=$(echo "$loc" | sed -n 's/.* y:\([0-9]*\) .*/\1/p')
    [ -n "$x" ] && [ -n "$y" ] && [ $((x - $1)) -le 3 ] && [ $(($1 - x)) -le 3 ] &&
        [ $((y - $2)) -le 3 ] && [ $(($2 - y)) -le 3 ]
}

# --- a served copy of the release; clients pinned to `vnc` with the server
srv=$scratch/srv
cp -r "$rel" "$srv"
cat > "$scratch/clients" <<EOC
client 52:54:00:00:0b:01 usb-bios
    image    vnc
    cmdline  fbvnc=10.0.2.2:$port
client 52:54:00:00:0b:02 usb-uefi
    image    vnc
    cmdline  fbvnc=10.0.2.2:$port
EOC
"$tb" -C "$top" menu --release "$srv" --clients "$scratch/clients" --append console=ttyS0 --timeout 1 \
    --subnet 10.0.2.0/24 --server-ip 10.0.2.2 > "$scratch/menu.log" 2>&1 ||
    { cat "$scratch/menu.log"; echo "Bail out! menu"; exit 1; }
grep -q 'drivers.cpio.xz' "$srv/pxelinux.cfg/01-52-54-00-00-0b-01" ||
    { echo "Bail out! the vnc entry does not stack the drivers layer"; exit 1; }

# usb_boot LABEL QEMU-BINARY QEMU-ARGS...: boot in the background until fbvnc
# draws its first frame (sets qemu_pid, serial, qmp); fails after 300 s
usb_boot() {
    local label=$1 bin=$2; shift 2
    n_boot=$((${n_boot:-0} + 1))
    serial=$scratch/serial-$n_boot.log qmp=$scratch/qmp-$n_boot.sock
    : > "$serial"
    local start=$(date +%s.%N)
    ip netns exec "$netns" "$bin" -accel tcg -m 256 -vga std -display none -monitor none -no-reboot \
        -serial "file:$serial" -qmp "unix:$qmp,server=on,wait=off" "$@" > "$serial.qemu" 2>&1 &
    qemu_pid=$!
    pids+=("$qemu_pid")
    local deadline=$(( $(date +%s) + ${USB_TIMEOUT:-300} ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -a -q 'fbvnc: first frame drawn' "$serial" && break
        grep -a -q 'Kernel panic' "$serial" && break
        kill -0 "$qemu_pid" 2>/dev/null || break
        sleep 0.5
    done
    if grep -a -q 'fbvnc: first frame drawn' "$serial"; then
        ok "$label: fbvnc first frame $(printf %.1f "$(echo "$(date +%s.%N) - $start" | bc)") s after QEMU started (TCG)"
        return 0
    fi
    not_ok "$label: fbvnc draws its first frame"
    echo "# last serial lines:"; tail -n 12 "$serial" | sed 's/^/#   /'
    return 1
}
usb_stop() { kill "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; }

drivers_line() {
    local line
    line=$(grep -a -m1 'drivers: loaded:' "$serial" | tr -d '\r')
    echo "# ${line:-no 'drivers: loaded:' line}"
    grep -a -m1 'drivers: freed' "$serial" | tr -d '\r' | sed 's/^/# /'
    for m in "$@"; do
        case " ${line#*loaded: } " in *" $m "*) ;; *) return 1 ;; esac
    done
}

# picture_shown: the Xvnc picture, centred on whatever mode the framebuffer has
picture_shown() {
    local fb geo w h ox oy
    fb=$(grep -a -m1 -o 'fbvnc: first frame drawn.*' "$serial" | tr -d '\r')
    geo=${fb##* on a }; geo=${geo%% *}; w=${geo%%x*}; h=${geo#*x}; h=${h%%x*}
    ox=$(( (w - 800) / 2 )) oy=$(( (h - 600) / 2 ))
    helper expect "$qmp" "$scratch/screen-$n_boot.ppm" 30 $((ox + 200)),$((oy + 150))=ff0000 \
        $((ox + 600)),$((oy + 150))=0000ff $((ox + 200)),$((oy + 450))=0000ff $((ox + 600)),$((oy + 450))=ff0000
}

# viewer_has REGEX: the viewer's console line about an input device it took
viewer_has() {
    local n
    for n in $(seq 20); do
        grep -a -q -E "fbvnc: input: event[0-9]+ $1" "$serial" && break
        sleep 0.5
    done
    grep -a -m1 -E "fbvnc: input: event[0-9]+ $1" "$serial" | tr -d '\r' | sed 's/^.*fbvnc:/# fbvnc:/'
    grep -a -q -E "fbvnc: input: event[0-9]+ $1" "$serial"
}

# usb_checks LABEL [tablet]: keys from the USB keyboard (and the tablet) reach X
usb_checks() {
    local label=$1 tablet=${2:-} keys buttons
    check "$label: the Xvnc picture on the guest screen (QMP screendump)" picture_shown
    # usbhid comes with the hotplug helper once the devices enumerate; the viewer
    # takes each input device as it appears
    check "$label: the viewer took the USB keyboard (usbhid loaded on hotplug)" viewer_has '"QEMU QEMU USB Keyboard": keyboard'
    [ -z "$tablet" ] ||
        check "$label: the viewer took the USB tablet as an absolute pointer" viewer_has '"QEMU QEMU USB Tablet": absolute pointer'
    xev_start
    helper qmp "$qmp" keyevents a shift+b 1 ret
    sleep 2
    keys=$(xev_keys)
    echo "# X saw keys: $keys"
    check "$label: keys typed on the USB keyboard reach the X server (a, Shift+b, 1, Return)" \
        eval '[[ "$keys" == *"0x61,a"*"0x42,B"*"0x31,1"*"0xff0d,Return"* ]]'
    if [ -n "$tablet" ]; then
        # usb-tablet: 0..32767 on both axes = the whole 800x600 server screen
        helper qmp "$qmp" abs 8192 8192; sleep 2
        check "$label: USB tablet at (1/4, 1/4) puts the X pointer at (200,150)" mouse_near 200 150
        helper qmp "$qmp" abs 24576 16384; sleep 2
        check "$label: USB tablet at (3/4, 1/2) puts the X pointer at (600,300)" mouse_near 600 300
        helper qmp "$qmp" click left; helper qmp "$qmp" click right
        sleep 2
        buttons=$(xev_buttons)
        echo "# X saw buttons: $buttons"
        check "$label: USB tablet buttons reach the X server (1 3)" eval '[[ "$buttons" == *1*3* ]]'
    fi
    xev_stop
}

usb_devices=(-device qemu-xhci,id=xhci -device usb-kbd,id=kbd0,bus=xhci.0 -device usb-tablet,id=tab0,bus=xhci.0)

# 1. BIOS, PXELINUX, xHCI keyboard + tablet, e1000e (a module of the drivers layer)
if usb_boot "BIOS q35 without PS/2, PXELINUX, vnc" qemu-system-i386 -machine q35,i8042=off -boot n \
    -netdev "user,id=n0,tftp=$srv,bootfile=pxelinux.0" -device e1000e,netdev=n0,mac=52:54:00:00:0b:01 \
    "${usb_devices[@]}"; then
    check "BIOS: the drivers layer loaded xhci_pci and e1000e by PCI ID" drivers_line xhci_pci e1000e
    usb_checks "BIOS xHCI" tablet
fi
usb_stop

# 2. UEFI (OVMF), GRUB x86_64-efi, xHCI keyboard + tablet, virtio-net (a module on linux-efi)
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/vars.fd"
if usb_boot "UEFI q35 without PS/2, OVMF + GRUB, vnc on linux-efi" qemu-system-x86_64 -machine q35,i8042=off \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$scratch/vars.fd" \
    -netdev "user,id=n0,tftp=$srv,bootfile=grub/x86_64-efi/core.efi" \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0b:02,romfile= "${usb_devices[@]}"; then
    check "UEFI: the drivers layer loaded xhci_pci and virtio_net by PCI ID" drivers_line xhci_pci virtio_net
    usb_checks "UEFI xHCI" tablet
fi
usb_stop

# 3. BIOS, EHCI + UHCI companion, a full-speed keyboard on the EHCI port
if usb_boot "BIOS q35 without PS/2, EHCI + UHCI companion, vnc" qemu-system-i386 -machine q35,i8042=off -boot n \
    -netdev "user,id=n0,tftp=$srv,bootfile=pxelinux.0" -device e1000e,netdev=n0,mac=52:54:00:00:0b:01 \
    -device ich9-usb-ehci1,id=ehci -device ich9-usb-uhci1,masterbus=ehci.0,firstport=0 \
    -device usb-kbd,id=kbd0,bus=ehci.0,port=1; then
    check "EHCI: the drivers layer loaded ehci_pci and uhci_hcd by PCI ID" drivers_line ehci_pci uhci_hcd
    usb_checks "EHCI + UHCI"
fi
usb_stop

# 4. rescue system: ext4 on a USB stick (usb-storage on xHCI), read and written
disk=$scratch/stick.img
truncate -s 64M "$disk"
# an MBR with one Linux partition from sector 2048 to the end
python3 - "$disk" <<'EOP'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(446)
    f.write(struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", 2048, 64 * 2048 - 2048))
    f.seek(510)
    f.write(b"\x55\xaa")
EOP
part=$scratch/part.img
truncate -s $((64 * 1024 * 1024 - 2048 * 512)) "$part"
echo "from the host $$" > "$scratch/fromhost"
mkfs.ext4 -q -F -L tnbstick "$part" >/dev/null 2>&1 &&
    debugfs -w -R "write $scratch/fromhost fromhost" "$part" >/dev/null 2>&1
dd if="$part" of="$disk" bs=512 seek=2048 conv=notrunc status=none
cat > "$scratch/S99usbdisk" <<'EOS'
#!/bin/sh
[ "$1" = start ] || exit 0
n=0
while [ ! -b /dev/sda1 ] && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
[ -b /dev/sda1 ] || { echo "TNB-USBDISK FAIL: no /dev/sda1 ($(ls /sys/block | tr '\n' ' '))" > /dev/console; exit 0; }
mkdir -p /mnt/stick
mount -t ext4 /dev/sda1 /mnt/stick 2> /tmp/mount.err ||
    { echo "TNB-USBDISK FAIL: mount: $(cat /tmp/mount.err)" > /dev/console; exit 0; }
type=$(grep ' /mnt/stick ' /proc/mounts | cut -d' ' -f3)
read -r got < /mnt/stick/fromhost
echo "written by the rescue system" > /mnt/stick/fromguest
umount /mnt/stick && echo "TNB-USBDISK PASS type=$type read=$got" > /dev/console
EOS
"$tb" layer -o "$scratch/usbdisk.cpio.xz" --file "$scratch/S99usbdisk:/etc/init.d/S99usbdisk:0755" >/dev/null ||
    { echo "Bail out! layer"; exit 1; }
cat "$rel/base.cpio.xz" "$rel/drivers.cpio.xz" "$rel/drivers.linux-pc.cpio.xz" "$rel/rescue.cpio.xz" \
    "$rel/rescue.linux-pc.cpio.xz" "$scratch/usbdisk.cpio.xz" > "$scratch/rescue-stack.cpio"
serial=$scratch/serial-rescue.log
: > "$serial"
timeout 240 qemu-system-i386 -machine q35,i8042=off -accel tcg -m 256 -display none -monitor none -no-reboot \
    -serial "file:$serial" -kernel "$rel/linux-pc.bzImage" -initrd "$scratch/rescue-stack.cpio" \
    -append "console=ttyS0 ip=off" -nic none -device qemu-xhci,id=xhci \
    -drive if=none,id=stick,format=raw,file="$disk" -device usb-storage,drive=stick,bus=xhci.0 \
    > "$serial.qemu" 2>&1 &
qemu_pid=$!
pids+=("$qemu_pid")
for i in $(seq 480); do
    grep -a -q -E 'TNB-USBDISK (PASS|FAIL)|Kernel panic' "$serial" && break
    kill -0 "$qemu_pid" 2>/dev/null || break
    sleep 0.5
done
usb_stop
line=$(grep -a -m1 -o 'TNB-USBDISK .*' "$serial" | tr -d '\r')
if [[ "$line" == "TNB-USBDISK PASS type=ext4 read=from the host $$" ]]; then
    ok "rescue: the USB stick's ext4 partition mounted and read in the guest ($line)"
else
    not_ok "rescue: mount ext4 from a usb-storage stick and read it (got '${line:-nothing}')"
    grep -a -E 'rescue:|drivers:|usb|sd ' "$serial" | tail -n 10 | sed 's/^/#   /'
fi
dd if="$disk" of="$part" bs=512 skip=2048 status=none
got=$(debugfs -R "cat fromguest" "$part" 2>/dev/null)
check "rescue: the host reads with debugfs what the guest wrote to the stick" \
    [ "$got" = "written by the rescue system" ]

tap_end
