#!/usr/bin/env bash
# UEFI HTTP boot (TAP), issue 22: Debian's OVMF (its own HTTP boot, PXE turned
# off through fw_cfg, no NIC ROM) asks a real DHCP server running the config
# `tinynetboot menu --url-base` wrote (dnsmasq, then Kea, then ISC dhcpd) in a
# network namespace made here, fetches ipxe.efi from a web server serving the
# release, and that iPXE fetches boot.ipxe. The assertions are the web server's
# log, the DHCP server's log and OVMF's own console; no kernel is booted (the
# i386 kernels cannot start under iPXE EFI: issue 22's x86_64 flavour). If
# OVMF offers no HTTP boot option, the tests are skipped, saying so. Last, the
# same with Secure Boot on: the unsigned ipxe.efi is refused.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tb=$top/output/bin/tinynetboot
. "$top/tests/lib/qemu.sh"
PATH=$PATH:/usr/sbin:/sbin

. "$top/tests/lib/tap.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

[ -f "$top/output/release/ipxe.efi" ] || { echo "Bail out! no output/release/ipxe.efi: run make first"; exit 1; }
scratch=$(mktemp -d /tmp/tnb-uefi-http.XXXXXX)
chmod 755 "$scratch"   # dnsmasq drops to nobody
pids=()
netns=tnbhttp-$$
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for f in "$scratch"/*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    ip netns del "$netns" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$scratch"   # KEEP=1 keeps the logs for a look
}
trap cleanup EXIT

. "$top/tests/lib/netns.sh"
netns_bridge "$netns" || { echo "Bail out! cannot create a network namespace (ip netns add)"; exit 1; }

# The release, served over HTTP from inside the namespace (the namespace is ours: the port is free).
port=8080
url=http://10.99.0.1:$port/tnb
mkdir -p "$scratch/web"
cp -r "$top/output/release" "$scratch/web/tnb"
rel=$scratch/web/tnb
"$tb" -C "$top" menu --release "$rel" --url-base "$url" --subnet 10.99.0.0/24 --server-ip 10.99.0.1 --interface br0 \
    --range 10.99.0.100,10.99.0.150 --timeout 1 --append console=ttyS0 > "$scratch/menu.log" 2>&1 ||
    { cat "$scratch/menu.log"; echo "Bail out! menu"; exit 1; }
(cd "$scratch/web" && exec ip netns exec "$netns" python3 -m http.server --bind 10.99.0.1 "$port") > "$scratch/http.log" 2>&1 &
pids+=($!)
accel=$(qemu_accel "$rel/bzImage")
echo "# accelerator: $accel"

# start_dhcp SERVER: the DHCP server with the config as written (Kea: only its
# lease file moved into the scratch dir).
start_dhcp() {
    case $1 in
    dnsmasq)
        ip netns exec "$netns" dnsmasq --keep-in-foreground --conf-file="$rel/dnsmasq.conf" --pid-file="$scratch/dnsmasq.pid" \
            --log-facility="$scratch/dhcp-dnsmasq.log" --dhcp-leasefile="$scratch/dnsmasq.leases" & ;;
    kea)
        python3 - "$rel/kea-dhcp4.json" "$scratch/kea.json" "$scratch/kea.leases" <<'EOP'
import json, re, sys
conf = json.loads(re.sub(r'(?m)^\s*//.*$', '', open(sys.argv[1]).read()))
conf['Dhcp4']['lease-database']['name'] = sys.argv[3]
json.dump(conf, open(sys.argv[2], 'w'), indent=1)
EOP
        KEA_PIDFILE_DIR=$scratch KEA_LOCKFILE_DIR=$scratch ip netns exec "$netns" kea-dhcp4 -c "$scratch/kea.json" > "$scratch/dhcp-kea.log" 2>&1 & ;;
    isc)
        : > "$scratch/dhcpd.leases"
        ip netns exec "$netns" dhcpd -4 -f -d -cf "$rel/dhcpd.conf" -lf "$scratch/dhcpd.leases" -pf "$scratch/dhcpd.pid" br0 \
            > "$scratch/dhcp-isc.log" 2>&1 & ;;
    esac
    dhcp_pid=$!
    pids+=("$dhcp_pid")
    # until it is ready (Kea takes seconds to start on a busy machine; OVMF gives
    # up on DHCP after a few tries: seen failing with a bare `sleep 1`). dnsmasq
    # and dhcpd listen on the DHCP port at once; Kea opens no socket on br0
    # before it has a carrier, i.e. before QEMU opens tap0: it has started when
    # it says so, and retries the socket every 2 s as the config tells it to
    # (without the retries it answered only when the previous client's QEMU had
    # not yet let go of its tap: CI's red "flake" of 2026-12-01).
    local i
    for i in $(seq 150); do
        if [ "$1" = kea ]; then
            grep -q DHCP4_STARTED "$scratch/dhcp-kea.log" 2>/dev/null && break
        else
            ip netns exec "$netns" ss -lun 2>/dev/null | grep -q -E '[:.]67 ' && break
        fi
        sleep 0.2
    done
    sleep 0.5
}
# (ip netns exec execs the server: $! is the server itself, and it is gone before the next one starts)
stop_dhcp() { kill "$dhcp_pid" 2>/dev/null; wait "$dhcp_pid" 2>/dev/null; rm -f "$scratch"/*.pid; }

# http_boot NAME [MARKER CODE VARS MACHINE]: one OVMF client (by default Secure Boot off,
# until iPXE has fetched boot.ipxe); sets log; returns qemu_boot_until's status.
http_boot() {
    log=$scratch/serial-$1.log
    cp "/usr/share/OVMF/${4:-OVMF_VARS_4M.fd}" "$scratch/vars-$1.fd"
    http_from=$(wc -l < "$scratch/http.log")
    QEMU_RUNNER="ip netns exec $netns" QEMU_BIN=qemu-system-x86_64 qemu_boot_until "$log" "${2:-boot\.ipxe : [0-9]+ bytes}" 240 \
        -machine "${5:-q35}" -m 256 -accel "$accel" \
        -drive if=pflash,format=raw,readonly=on,file="/usr/share/OVMF/${3:-OVMF_CODE_4M.fd}" \
        -drive if=pflash,format=raw,file="$scratch/vars-$1.fd" \
        -fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=n \
        -boot n -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
        -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:16,romfile= "${@:6}"
}
# The web server's requests since this client started, in order.
gets() { tail -n +"$((http_from + 1))" "$scratch/http.log" | grep -o -E '"GET [^ ]+' | cut -d' ' -f2; }
fetched_in_order() { gets | tr '\n' ' ' | grep -q -E "(^| )/tnb/ipxe\.efi .*/tnb/boot\.ipxe( |$)"; }
serial() { tr -d '\r' < "$log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'; }

for server in dnsmasq kea isc; do
    start_dhcp "$server"
    http_boot "$server"; booted=$?
    secs=$(printf %.1f "$QEMU_SECONDS")
    stop_dhcp
    if [ "$server" = dnsmasq ] && ! serial | grep -a -q 'UEFI HTTPv4'; then
        reason="Debian's OVMF (/usr/share/OVMF/OVMF_CODE_4M.fd) showed no 'UEFI HTTPv4' boot option: no HTTP boot here"
        skip "OVMF HTTP boot" "$reason"; skip "iPXE from HTTP boot" "$reason"; skip "Kea, ISC" "$reason"
        serial | grep -a -E 'BdsDxe|PXE|HTTP' | head -5 | sed 's/^/# /'
        break
    fi
    if [ $booted -eq 0 ] && serial | grep -a -q "URI: $url/ipxe.efi" && gets | head -n 1 | grep -qx /tnb/ipxe.efi; then
        ok "$server: OVMF's own HTTP boot fetched $url/ipxe.efi, the URL the config handed out ($secs s to boot.ipxe)"
    else
        not_ok "$server: OVMF's own HTTP boot fetched $url/ipxe.efi"
        serial | grep -a -E 'BdsDxe|HTTP|PXE|URI|Error|error' | tail -n 8 | sed 's/^/# /'
        gets | sed 's/^/# GET /'
        [ -f "$scratch/dhcp-$server.log" ] && grep -a -E 'WARN|ERROR|DHCPDISCOVER|DHCPOFFER' "$scratch/dhcp-$server.log" |
            sort -u -k4 | tail -n 6 | sed 's/^/# /'
    fi
    check "$server: that iPXE asked again, got boot.ipxe as a URL and fetched it from the same server" fetched_in_order
    case $server in
    kea)
        check "kea: Kea itself leased the client its address (the only DHCP server running)" \
            grep -q -E 'DHCP4_LEASE_ALLOC .*hwtype=1 52:54:00:00:00:16' "$scratch/dhcp-kea.log" ;;
    isc)
        check "isc: dhcpd itself acknowledged the client (the only DHCP server running)" \
            grep -q 'DHCPACK on 10.99.0.1[0-9]* to 52:54:00:00:00:16 via br0' "$scratch/dhcp-isc.log" ;;
    dnsmasq)
        d=$scratch/dhcp-dnsmasq.log
        check "dnsmasq: tagged the firmware httpclient+efi64-http, sent the URL and option 60 HTTPClient, iPXE got the script" \
            bash -c "grep -q -E 'tags: .*httpclient' '$d' && grep -q -E 'tags: .*efi64-http' '$d' &&
                grep -q -E 'bootfile-name +$url/ipxe.efi' '$d' && grep -q -E 'option: 60 vendor-class +48:54:54:50:43:6c:69:65:6e:74' '$d' &&
                grep -q -E 'bootfile-name +$url/boot.ipxe' '$d'"
        check "dnsmasq: no PXE, no TFTP: the firmware never got a TFTP loader" \
            bash -c "! grep -q -E 'bootfile-name +(grub|pxelinux|undionly)|sent .*(core.efi|pxelinux)' '$d'" ;;
    esac
done

# Secure Boot on (OVMF with Microsoft's keys enrolled, as most PCs ship): the firmware
# fetches the unsigned ipxe.efi and refuses to start it. README "Secure Boot" says so.
if [ "${reason:-}" = "" ]; then
    start_dhcp dnsmasq
    http_boot secureboot 'Uri\(\): Access Denied' OVMF_CODE_4M.ms.fd OVMF_VARS_4M.ms.fd q35,smm=on \
        -global driver=cfi.pflash01,property=secure,value=on; refused=$?
    stop_dhcp
    if [ $refused -eq 0 ] && gets | grep -qx /tnb/ipxe.efi && ! gets | grep -qx /tnb/boot.ipxe; then
        ok "Secure Boot on: OVMF fetched ipxe.efi and refused it (Access Denied): no signed loader here ($(printf %.1f "$QEMU_SECONDS") s)"
    else
        not_ok "Secure Boot on: OVMF refuses the unsigned ipxe.efi"
        serial | grep -a -E 'BdsDxe|URI|Access|Security' | tail -n 5 | sed 's/^/# /'
    fi
fi

tap_end
