#!/usr/bin/env bash
# tests/hardware/test-nics.sh - a DHCP lease on every NIC QEMU emulates (TAP).
# One boot per NIC and stack, with that NIC alone: the `vnc` and `rescue-system`
# stacks on linux-pc (BIOS clients) and `vnc` on linux-efi (UEFI clients), each
# with the boot test's layer on top (tests/boot/layer: "TNB-TEST PASS" once eth0
# has QEMU's lease 10.0.2.15). The drivers layer must have loaded the NIC's
# driver by its PCI (or USB) ID, unless the kernel builds it in; the console's
# "drivers: loaded:" line is checked for it. usb-net (CDC Ethernet) sits on an
# xHCI controller with no PCI NIC at all.
# Two boots run at a time (TCG is single-threaded). NICS="e1000e tulip" limits
# the list; KEEP=1 keeps the scratch directory.
set -u
RELEASE_VAR=NICS_RELEASE
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/qemu.sh"

scratch_dir nics
cleanup_hook() {   # the boots run as background jobs
    jobs -p | xargs -r kill 2>/dev/null
    wait 2>/dev/null
}

require qemu-system-i386 qemu-system-x86_64
require "$rel"/{linux-pc.bzImage,linux-efi.bzImage,base.cpio.xz,drivers.cpio.xz,drivers.linux-pc.cpio.xz} \
    "$rel"/{drivers.linux-efi.cpio.xz,fbvnc.cpio.xz,rescue.cpio.xz,rescue.linux-pc.cpio.xz}
"$tb" layer -o "$scratch/tnbtest.cpio.xz" --from "$top/tests/boot/layer" >/dev/null || { echo "Bail out! layer"; exit 1; }

# NIC (QEMU device) and the module that drives it ("-" where every kernel here
# that lacks it built in loads it as a module of that name)
nics=${NICS:-e1000 e1000e i82559er rtl8139 pcnet ne2k_pci tulip vmxnet3 virtio-net-pci usb-net}
module_of() {
    case $1 in
    e1000) echo e1000 ;; e1000e) echo e1000e ;; i82559er) echo e100 ;; rtl8139) echo 8139cp ;;
    pcnet) echo pcnet32 ;; ne2k_pci) echo ne2k_pci ;; tulip) echo tulip ;; vmxnet3) echo vmxnet3 ;;
    virtio-net-pci) echo virtio_net ;; usb-net) echo cdc_ether ;;
    esac
}

# stack KERNEL IMAGE-LAYERS...: the image's files in menu order, plus the test layer
stack_file() {
    local kernel=$1 out=$scratch/$1-$2.cpio l; shift 2
    : > "$out"
    for l in "$@"; do
        cat "$rel/$l.cpio.xz" >> "$out"
        [ -f "$rel/$l.$kernel.cpio.xz" ] && cat "$rel/$l.$kernel.cpio.xz" >> "$out"
    done
    cat "$scratch/tnbtest.cpio.xz" >> "$out"
    echo "$out"
}
pc_vnc=$(stack_file linux-pc vnc base drivers fbvnc)
pc_rescue=$(stack_file linux-pc rescue base drivers rescue)
efi_vnc=$(stack_file linux-efi vnc base drivers fbvnc)

# one_boot KERNEL STACK NIC LABEL: writes $scratch/LABEL.result ("ok ..." / "not ok ...")
one_boot() {
    local kernel=$1 stack=$2 nic=$3 label=$4 log=$scratch/$4.log dev bin=qemu-system-i386
    [ "$kernel" = linux-efi ] && bin=qemu-system-x86_64
    local iface=eth0
    if [ "$nic" = usb-net ]; then
        # cdc_ether names QEMU's device usb0; it enumerates after the coldplug,
        # so the hotplug helper loads its driver
        dev=(-device qemu-xhci,id=xhci -device usb-net,netdev=n0,bus=xhci.0) iface=usb0
    else
        dev=(-device "$nic,netdev=n0")
    fi
    QEMU_BIN=$bin qemu_boot_until "$log" 'TNB-TEST PASS' 180 -accel tcg -m 128 -nic none \
        -kernel "$rel/$kernel.bzImage" -initrd "$stack" -netdev user,id=n0 "${dev[@]}" \
        -append "console=ttyS0 tnbtest.iface=$iface tnbtest.ip=10.0.2.15 tnbtest.marker=$nic"
    local pass=$? mod line how=built-in loaded=0
    mod=$(module_of "$nic")
    line=$(grep -a -m1 'drivers: loaded:' "$log" | tr -d '\r')
    if [ "$nic" = usb-net ]; then
        how="loaded by USB ID on hotplug"
        loaded=1   # only cdc_ether makes a usb0 here
    elif grep -q -x "$mod" "$scratch/$kernel.modules"; then
        how="loaded by ID"
        case " ${line#*loaded: } " in *" $mod "*) loaded=1 ;; esac
    else
        loaded=1   # the kernel builds it in: nothing to load
    fi
    if [ $pass -eq 0 ] && [ $loaded = 1 ]; then
        echo "ok - $label: DHCP lease on $iface, driver $mod $how, $(printf %.0f "$QEMU_SECONDS") s" > "$scratch/$label.result"
    else
        { echo "not ok - $label: DHCP lease on $iface, driver $mod $how"
          echo "# ${line:-no 'drivers: loaded:' line}"
          grep -a -E 'TNB-TEST|network:|drivers:' "$log" | tail -n 6 | sed 's/^/#   /'; } > "$scratch/$label.result"
    fi
}

# the modules each kernel's drivers archive carries (a driver not among them is built in)
for k in linux-pc linux-efi; do
    xz -dc "$rel/drivers.$k.cpio.xz" | cpio -it --quiet 2>/dev/null | sed -n 's|.*/\([^/]*\)\.ko$|\1|p' |
        tr '-' '_' > "$scratch/$k.modules"
done

runs=()
for nic in $nics; do
    runs+=("linux-pc $pc_vnc $nic vnc-bios-$nic" "linux-pc $pc_rescue $nic rescue-bios-$nic" "linux-efi $efi_vnc $nic vnc-uefi-$nic")
done
# two at a time
i=0
while [ $i -lt ${#runs[@]} ]; do
    one_boot ${runs[$i]} &
    [ $((i + 1)) -lt ${#runs[@]} ] && one_boot ${runs[$((i + 1))]} &
    wait
    i=$((i + 2))
done
# dracut's rd.driver.blacklist= (the NIC's driver never loads: no lease, said on the
# console) and rd.driver.keep=1 (nothing freed), one boot each, side by side
kw_boot() {   # kw_boot LABEL KEYWORD
    QEMU_BIN=qemu-system-i386 qemu_boot_until "$scratch/$1.log" 'TNB-TEST (PASS|FAIL)' 180 -accel tcg -m 128 -nic none \
        -kernel "$rel/linux-pc.bzImage" -initrd "$pc_vnc" -netdev user,id=n0 -device e1000e,netdev=n0 \
        -append "console=ttyS0 tnbtest.iface=eth0 tnbtest.ip=10.0.2.15 $2"
}
kw_boot blacklist "rd.driver.blacklist=e1000e rd.net.timeout.carrier=1 rd.net.timeout.dhcp=1" &
kw_boot keep rd.driver.keep=1 &
wait
if grep -a -q 'drivers: blacklisted e1000e' "$scratch/blacklist.log" && ! grep -a -q 'TNB-TEST PASS' "$scratch/blacklist.log" &&
    ! grep -a -q -E '^drivers: loaded:.* e1000e' "$scratch/blacklist.log"; then
    ok "rd.driver.blacklist=e1000e: said on the console, e1000e not loaded, no lease"
else
    not_ok "rd.driver.blacklist=e1000e: said on the console, e1000e not loaded, no lease"
    grep -a -E 'drivers:|network:|TNB-TEST' "$scratch/blacklist.log" | sed 's/^/#   /'
fi
if grep -a -q 'TNB-TEST PASS' "$scratch/keep.log" && ! grep -a -q 'drivers: freed' "$scratch/keep.log"; then
    ok "rd.driver.keep=1: a lease on e1000e and no module freed"
else
    not_ok "rd.driver.keep=1: a lease on e1000e and no module freed"
    grep -a -E 'drivers:|network:|TNB-TEST' "$scratch/keep.log" | sed 's/^/#   /'
fi

for r in "${runs[@]}"; do
    set -- $r
    res=$(cat "$scratch/$4.result" 2>/dev/null || echo "not ok - $4: no result")
    case $res in
    "ok - "*) ok "${res#ok - }" ;;
    *) not_ok "${res#not ok - }"; printf '%s\n' "$res" | sed -n '2,$p' ;;
    esac
done
tap_end
