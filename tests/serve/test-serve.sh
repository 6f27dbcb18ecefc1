#!/usr/bin/env bash
# tests/serve/test-serve.sh — `tinynetboot serve` (TAP), in network namespaces of
# the test's own, in proxy-DHCP mode beside another DHCP server:
#   namespace A: br0 10.99.0.1/24 with tap0 and tap1 for two QEMU clients, and
#                `tinynetboot serve --interface br0` (dnsmasq proxy-DHCP + TFTP,
#                lighttpd) on a copy of the release, with a clients file;
#   namespace B: "the router", a plain dnsmasq handing out addresses only
#                (10.99.0.254 on a veth into br0; no boot options at all).
# 1. proxy-DHCP beside the router, two clients at once, each booting `shell` plus
#    a probe site layer (its clients-file entry): a UEFI client (OVMF's own PXE on
#    virtio-net without ROM: ipxe.efi over TFTP, then boot.ipxe and the stack over
#    HTTP) and a BIOS client (SeaBIOS; QEMU's e1000 ROM is an iPXE: boot.ipxe from
#    the proxy offer, its per-MAC script, kernel and layers over HTTP; a real PXE
#    ROM would get pxe-service's pxelinux instead: untested);
# 2. full DHCP (router stopped): the BIOS client again, serve the only DHCP server.
# Each: the probe's marker on the serial console, serve's line naming the MAC,
# hostname, loader, entry, kernel and layers; SIGINT: exit 0, nothing left.
# 3. SIGKILL of serve: no dnsmasq or lighttpd of it left.
# Before that, serve refuses to start (exit 2, the reason) on an interface with no
# address, a missing interface, and when its HTTP port is taken. ~1.5 min (TCG).
set -u
. "$(dirname "$0")/../lib/prologue.sh"

scratch_dir servetest   # mode 0755: dnsmasq (nobody) and lighttpd (www-data) read the release copy
mkdir -m 755 "$scratch/tmp"
export TMPDIR=$scratch/tmp   # serve's state directory goes here
netns=tnbserve-$$ router=tnbrouter-$$
cleanup_hook() {   # after prologue_cleanup has killed and reaped pids[]
    pkill -f "$scratch/" 2>/dev/null
    ip netns del "$netns" 2>/dev/null
    ip netns del "$router" 2>/dev/null
}

require qemu-system-i386 qemu-system-x86_64 dnsmasq lighttpd ip \
    "$tb" "$rel/linux-pc.bzImage" "$rel/linux-efi.bzImage" "$rel/ipxe.efi" /usr/share/OVMF/OVMF_CODE_4M.fd

. "$top/tests/lib/netns.sh"
netns_taps "$netns" 2 || { echo "Bail out! cannot create a network namespace (ip netns add)"; exit 1; }
ns ip tuntap add dev nic0 mode tap    # an interface with no address, for the refusal
# the router: its own namespace, a veth into br0, DHCP for addresses only
ip netns add "$router" || { echo "Bail out! ip netns add"; exit 1; }
ns ip link add vr0 type veth peer name vr1 netns "$router"
ns ip link set vr0 master br0
ns ip link set vr0 up
ip netns exec "$router" ip link set lo up
ip netns exec "$router" ip addr add 10.99.0.254/24 dev vr1
ip netns exec "$router" ip link set vr1 up
ip netns exec "$router" dnsmasq --keep-in-foreground --port=0 --interface=vr1 --bind-interfaces \
    --dhcp-range=10.99.0.100,10.99.0.150,1h --dhcp-leasefile="$scratch/router.leases" \
    --pid-file="$scratch/router.pid" --log-facility="$scratch/router.log" --log-dhcp &
pids+=($!)

# the release copy, a probe site layer and the clients file
srv=$scratch/srv
cp -r "$rel" "$srv"
cat > "$scratch/S99serveprobe" <<'EOS'
#!/bin/sh
[ "$1" = start ] || exit 0
echo "TNB-SERVE-PROBE uname-r=$(uname -r) ip=$(cat /run/net/ip 2>/dev/null) cmdline=$(cat /proc/cmdline)" > /dev/console
EOS
mkdir -p "$srv/sites"
"$tb" layer -o "$srv/sites/probe.cpio.xz" --file "$scratch/S99serveprobe:/etc/init.d/S99serveprobe:0755" 2>/dev/null ||
    { echo "Bail out! tinynetboot layer"; exit 1; }
cat > "$scratch/clients" <<'EOC'
client 52:54:00:00:5e:01 biospc
    image    shell
    layer    sites/probe.cpio.xz
    cmdline  console=ttyS0
client 52:54:00:00:5e:02 uefipc
    image    shell
    layer    sites/probe.cpio.xz
    cmdline  console=ttyS0
EOC

# refusals: exit 2 and the reason, nothing left running
refuse() {
    local want=$1; shift
    local out rc
    out=$(ns "$tb" -C "$top" serve --release "$srv" "$@" 2>&1 </dev/null); rc=$?
    if [ $rc -eq 2 ] && [[ "$out" == *"$want"* ]]; then ok "serve $*: refused, exit 2: $out"
    else not_ok "serve $*: exit 2 and '$want' (got $rc: $out)"; fi
}
refuse "--interface nic0: it has no IPv4 address" --interface nic0
ns python3 -c 'import socket,time; s=socket.socket(); s.bind(("10.99.0.1",8080)); s.listen(); time.sleep(60)' &
pids+=($!)
# until it listens (0.5 s was not always enough for python to start on a busy machine)
for _ in $(seq 100); do ns ss -Hltn 'sport = :8080' | grep -q . && break; sleep 0.1; done
refuse "TCP port 8080 (HTTP) on br0 (10.99.0.1) is taken" --interface br0 --http-port 8080
refuse "--interface nosuch0: no such interface" --interface nosuch0
[ -z "$(pgrep -f "$scratch/tmp/")" ] && ok "refusals left nothing running" || not_ok "refusals left: $(pgrep -af "$scratch/tmp/")"

# start_serve NAME ARGS...: serve in the namespace (ip netns exec execs it: $!
# is serve's own pid), until its ready line
start_serve() {
    local name=$1; shift
    sout=$scratch/$name.out serr=$scratch/$name.err
    ip netns exec "$netns" "$tb" -C "$top" serve --interface br0 --release "$srv" --clients "$scratch/clients" "$@" \
        > "$sout" 2> "$serr" &
    servepid=$!
    for _ in $(seq 300); do grep -q '^serve: ready' "$serr" && break; kill -0 "$servepid" 2>/dev/null || break; sleep 0.2; done
    if grep -q "^serve: ready on br0 (10.99.0.1): dnsmasq $name + TFTP, HTTP http://10.99.0.1:80/" "$serr"; then
        ok "serve is up: $(head -1 "$serr")"
    else
        not_ok "serve is up ($name)"; sed 's/^/# /' "$serr"; tap_end; exit
    fi
}
# stop_serve LABEL: Ctrl-C; exit 0, nothing of serve left
stop_serve() {
    kill -INT "$servepid"
    wait "$servepid"; local rc=$?
    sleep 0.3
    local left; left=$(pgrep -af "$scratch/tmp/" || true)
    if [ "$rc" -eq 0 ] && grep -q '^serve: stopped (Interrupt)' "$serr" && [ -z "$left" ] && [ -z "$(ls -A "$scratch/tmp")" ]; then
        ok "$1: SIGINT: serve stopped, exit 0, no dnsmasq or lighttpd of it left, its state directory removed"
    else
        not_ok "$1: SIGINT: exit $rc, left running: '${left:-none}', files: $(ls -A "$scratch/tmp")"; tail -3 "$serr" | sed 's/^/# /'
    fi
}
# client NAME FW TAP MAC: a QEMU client netbooting on the tap (BIOS: SeaBIOS and
# QEMU's iPXE ROM on e1000; UEFI: OVMF's own PXE on virtio-net without a ROM), its
# console in $scratch/NAME.log; its pid in cpids too (stop_clients)
cpids=()
client() {
    local name=$1 fw=$2 tap=$3 mac=$4
    if [ "$fw" = bios ]; then
        ip netns exec "$netns" qemu-system-i386 -accel tcg -m 128 -display none -monitor none -no-reboot -boot n \
            -serial "file:$scratch/$name.log" -netdev tap,id=n0,ifname=$tap,script=no,downscript=no \
            -device e1000,netdev=n0,mac=$mac > "$scratch/$name.qemu" 2>&1 &
    else
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/$name.vars.fd"
        ip netns exec "$netns" qemu-system-x86_64 -machine q35 -accel tcg -m 256 -display none -monitor none -no-reboot \
            -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
            -drive if=pflash,format=raw,file="$scratch/$name.vars.fd" \
            -serial "file:$scratch/$name.log" -netdev tap,id=n1,ifname=$tap,script=no,downscript=no \
            -device virtio-net-pci,netdev=n1,mac=$mac,romfile= > "$scratch/$name.qemu" 2>&1 &
    fi
    pids+=($!) cpids+=($!)
}
stop_clients() {
    local p
    for p in "${cpids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    cpids=()
}
# booted NAME KERNEL LINE-REGEX: the probe marker on the client's console, and serve's line
booted() {
    local fw=$1 k=$2 line=$3 probe t0=$(date +%s)
    local deadline=$(( t0 + ${SERVE_TIMEOUT:-300} ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -a -q TNB-SERVE-PROBE "$scratch/$fw.log" 2>/dev/null && grep -q -E "$line" "$sout" && break
        sleep 1
    done
    probe=$(grep -a -m1 -o 'TNB-SERVE-PROBE.*' "$scratch/$fw.log" 2>/dev/null | tr -d '\r')
    case "$probe" in
    *"uname-r=6.1."*"-$k "*) ok "$fw client booted shell + the probe layer through serve: $probe" ;;
    *) not_ok "$fw client: the probe layer's marker on linux-$k (got '${probe:-nothing}')"
       tail -n 5 "$scratch/$fw.log" 2>/dev/null | tr -d '\r' | sed 's/^/# /' ;;
    esac
    if grep -q -E "$line" "$sout"; then
        ok "serve's line for the $fw client: $(grep -m1 -E "$line" "$sout")"
    else
        not_ok "serve's line for the $fw client ($line)"; sed 's/^/# /' "$sout"
    fi
}

# 1. proxy-DHCP beside the router, both clients at once: the UEFI one (OVMF's PXE
# gets ipxe.efi by TFTP from serve's proxy offer, the iPXE it starts fetches
# boot.ipxe, the kernel and the layers over HTTP) and the BIOS one (QEMU's iPXE ROM
# takes boot.ipxe's URL from the proxy offer: it carries next-server, else that
# ROM said "Nothing to boot"; then its own ipxe/01-<mac>.ipxe, kernel and layers)
start_serve proxy-DHCP --efi-loader ipxe
client uefi uefi tap1 52:54:00:00:5e:02
client bios-proxy bios tap0 52:54:00:00:5e:01
booted uefi efi '^52:54:00:00:5e:02 uefipc: ipxe\.efi -> client-52-54-00-00-5e-02: linux-efi\.bzImage base\.cpio\.xz .*sites/probe\.cpio\.xz in [0-9.]+ s$'
booted bios-proxy pc '^52:54:00:00:5e:01 biospc: boot\.ipxe -> client-52-54-00-00-5e-01: linux-pc\.bzImage base\.cpio\.xz .*sites/probe\.cpio\.xz in [0-9.]+ s$'
for mac in 52:54:00:00:5e:02 52:54:00:00:5e:01; do
    if grep -q -E "DHCPACK\\(vr1\\) 10\\.99\\.0\\.[0-9]+ $mac" "$scratch/router.log" &&
        grep -q -E "PXE\\(br0\\) .*$mac" "$scratch/proxy-DHCP.err" "$scratch"/tmp/*/dnsmasq.log 2>/dev/null; then
        ok "$mac: the router handed out the address, serve only added the boot offer (proxy-DHCP)"
    else
        not_ok "$mac: the router handed out the address, serve the boot offer"; grep DHCPACK "$scratch/router.log" | head -4 | sed 's/^/# /'
    fi
done
stop_serve "proxy-DHCP"
stop_clients

# 2. full DHCP (the router stopped): the BIOS client again, serve the only DHCP server
kill "$(cat "$scratch/router.pid")" 2>/dev/null
start_serve DHCP --dhcp-mode full --range 10.99.0.160,10.99.0.170
client bios bios tap0 52:54:00:00:5e:01
booted bios pc '^52:54:00:00:5e:01 biospc: boot\.ipxe -> client-52-54-00-00-5e-01: linux-pc\.bzImage base\.cpio\.xz .*sites/probe\.cpio\.xz in [0-9.]+ s$'
stop_serve "full DHCP"

# 3. SIGKILL: serve cannot forward anything, yet its servers end with it (they run
# in a PID namespace whose init dies with serve)
start_serve DHCP --dhcp-mode full --range 10.99.0.160,10.99.0.170
servers=$(pgrep -f "$scratch/tmp/" | wc -l)
kill -KILL "$servepid"
wait "$servepid" 2>/dev/null
left=
for _ in $(seq 20); do left=$(pgrep -af "$scratch/tmp/" || true); [ -z "$left" ] && break; sleep 0.1; done
if [ "$servers" -ge 2 ] && [ -z "$left" ]; then
    ok "SIGKILL: serve's $servers processes (dnsmasq, lighttpd) ended with it"
else
    not_ok "SIGKILL: no dnsmasq or lighttpd of serve left (had $servers; left: ${left:-none})"
fi
pkill -KILL -f "$scratch/tmp/" 2>/dev/null
rm -rf "$scratch"/tmp/*   # a killed serve cannot remove its state directory

tap_end
