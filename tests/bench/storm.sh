#!/usr/bin/env bash
# tests/bench/storm.sh — the boot storm of `make bench` (section `storm`, not in
# the default sections: two storms of TCG clients take minutes). Prints its rows
# on stdout (bench.sh tees them into output/bench.txt); nothing here fails.
#
# In a network namespace of its own (br0 10.99.0.1/24, tap0..tapN-1 on it),
# `tinynetboot serve --interface br0 --dhcp-mode full` runs on a copy of the
# release with a clients file giving N clients (52:54:00:00:5f:01..) the `shell`
# image plus a probe site layer whose S99 prints `STORM-UP <mac>` on the serial
# console. N QEMU clients (BIOS, e1000, -m 128, -accel tcg, one tap each) are
# started at once; the storm's time is from their start to the last marker.
# Two storms, a fresh serve each:
#   tftp  TFTP only, through PXELINUX: iPXE (Debian's ipxe.lkrn, started as the
#         QEMU -kernel) takes the DHCP lease and runs pxelinux.0 from serve's
#         TFTP; PXELINUX reads pxelinux.cfg/01-<mac> and loads the kernel and
#         every layer over TFTP (through iPXE's PXE API; the DHCP filename iPXE
#         hands PXELINUX is set to pxelinux.0, else PXELINUX would take the
#         http:// of boot.ipxe as its path prefix). QEMU's own e1000 ROM
#         cannot be used here: it is an iPXE too (DHCP option 175), and
#         serve's dnsmasq.conf rightly hands any iPXE boot.ipxe, never pxelinux.0.
#   http  iPXE + HTTP: SeaBIOS boots QEMU's e1000 ROM (an iPXE), which dnsmasq
#         gives http://10.99.0.1:80/boot.ipxe; the per-MAC script it chains
#         (ipxe/01-<mac>.ipxe) fetches the kernel and the layers over HTTP from
#         serve's lighttpd.
# PXELINUX's per-MAC menu waits its TIMEOUT 50 (5 s) before booting the
# client's entry: part of every TFTP client's time, as on a real site.
# Rows: each storm's total and per-client median and slowest (seconds), serve's
# per-client lines seen, what the server sent (UDP datagrams, TCP segments,
# files by TFTP and by HTTP: the TFTP storm must have no HTTP), and the ratio
# tftp/http. BENCH_STORM_N (8) clients,
# BENCH_STORM_MEM (128) MB each, BENCH_STORM_TIMEOUT (300) s per storm,
# BENCH_STORM_MODES ("tftp http"). Needs root (ip netns), qemu-system-i386,
# dnsmasq, lighttpd, /usr/lib/ipxe/ipxe.lkrn. Leaves nothing running.
set -u
. "$(dirname "$0")/../lib/prologue.sh"   # here, top, tb, rel, PATH (its TAP helpers go unused)
n=${BENCH_STORM_N:-8}
mem=${BENCH_STORM_MEM:-128}
limit=${BENCH_STORM_TIMEOUT:-300}
modes=${BENCH_STORM_MODES:-tftp http}
lkrn=/usr/lib/ipxe/ipxe.lkrn

row1() { printf '%-52s %12s  %s\n' "$1" "$2" "${3:-}"; }
now() { date +%s.%N; }
echo "== boot storm: $n TCG clients (-m $mem, e1000) boot shell + a probe layer through tinynetboot serve (full DHCP) at once; seconds from their start to each marker"

why=
for c in qemu-system-i386 dnsmasq lighttpd ip bc; do command -v "$c" > /dev/null || why="$why $c"; done
for f in "$tb" "$rel/linux-pc.bzImage" "$rel/pxelinux.0" "$lkrn"; do [ -e "$f" ] || why="$why $f"; done
[ -n "$why" ] && { row1 "boot storm" "-" "(unavailable: missing$why)"; exit 0; }
[ "$(id -u)" = 0 ] || { row1 "boot storm" "-" "(unavailable: needs root for ip netns)"; exit 0; }
case $n in ''|*[!0-9]*) n=8;; esac
[ "$n" -ge 1 ] && [ "$n" -le 99 ] || n=8

scratch=$(mktemp -d /tmp/tnb-storm.XXXXXX)
chmod 755 "$scratch"   # dnsmasq (nobody) and lighttpd (www-data) read the release copy
mkdir -m 755 "$scratch/tmp"
export TMPDIR=$scratch/tmp   # serve's state directory goes here
netns=
servepid= qpids=()
stop_clients() {
    local p
    for p in "${qpids[@]}"; do kill "$p" 2> /dev/null; done
    for p in "${qpids[@]}"; do wait "$p" 2> /dev/null; done
    qpids=()
}
stop_serve() {   # SIGINT: serve stops dnsmasq and lighttpd itself
    [ -n "$servepid" ] || return 0
    kill -INT "$servepid" 2> /dev/null
    wait "$servepid" 2> /dev/null
    servepid=
}
cleanup() {
    stop_clients
    stop_serve
    # anything of ours still alive (a serve killed hard would leave its servers):
    # only processes whose command line names this run's scratch directory
    local left; left=$(pgrep -f "$scratch/" 2> /dev/null | tr '\n' ' ')
    [ -n "$left" ] && kill $left 2> /dev/null
    [ -n "$netns" ] && ip netns del "$netns" 2> /dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

. "$top/tests/lib/netns.sh"
mac_of() { printf '52:54:00:00:5f:%02x' $(($1 + 1)); }

# the release copy, the probe layer and the clients file (every client: shell + probe)
srv=$scratch/srv
cp -r "$rel" "$srv"
mkdir -p "$srv/sites"
printf '%s\n' '#!/bin/sh' '[ "$1" = start ] || exit 0' \
    'echo "STORM-UP $(cat /sys/class/net/eth0/address 2>/dev/null) uptime=$(cut -d" " -f1 /proc/uptime)" > /dev/console' \
    > "$scratch/S99storm"
"$tb" layer -o "$srv/sites/storm.cpio.xz" --file "$scratch/S99storm:/etc/init.d/S99storm:0755" 2> "$scratch/layer.err" ||
    { row1 "boot storm" "-" "(unavailable: tinynetboot layer: $(head -n1 "$scratch/layer.err"))"; exit 0; }
: > "$scratch/clients"
for i in $(seq 0 $((n - 1))); do
    printf 'client %s storm%02d\n    image    shell\n    layer    sites/storm.cpio.xz\n    cmdline  console=ttyS0\n' \
        "$(mac_of "$i")" "$i" >> "$scratch/clients"
done

# the TFTP storm's iPXE script (ipxe.lkrn runs its initrd). The DHCP filename
# iPXE gets is http://10.99.0.1:80/boot.ipxe, and PXELINUX takes its path prefix
# from it (it would load everything through iPXE over HTTP): net0/filename
# pxelinux.0 overrides it. In a storm a `dhcp` or the chain can time out; a
# failed script would fall back to iPXE's autoboot (boot.ipxe: HTTP), so it retries.
printf '%s\n' '#!ipxe' ':retry' 'dhcp || goto retry' 'set net0/filename pxelinux.0' \
    'chain tftp://10.99.0.1/pxelinux.0 || goto retry' > "$scratch/storm-tftp.ipxe"

# storm MODE: a fresh serve, N clients at once, their markers; prints the rows
storm() {
    local mode=$1 i mac t0 t left done_n
    local -a when=()
    rm -f "$scratch/$mode".*
    # a namespace of its own per storm: the same start for both, and no TCP
    # port 80 still in TIME_WAIT from the storm before
    netns_taps "tnbstorm-$$-$mode" "$n" || { row1 "storm $mode" "-" "(cannot create a network namespace)"; netns=; return 1; }
    ip netns exec "$netns" "$tb" -C "$top" serve --interface br0 --dhcp-mode full --release "$srv" \
        --clients "$scratch/clients" > "$scratch/$mode.serve.out" 2> "$scratch/$mode.serve.err" &
    servepid=$!
    for _ in $(seq 100); do grep -q '^serve: ready' "$scratch/$mode.serve.err" 2> /dev/null && break; sleep 0.2; done
    if ! grep -q '^serve: ready' "$scratch/$mode.serve.err"; then
        row1 "storm $mode" "-" "(serve did not start: $(tail -n1 "$scratch/$mode.serve.err"))"
        stop_serve; ip netns del "$netns"; netns=; return 1
    fi
    t0=$(now)
    for i in $(seq 0 $((n - 1))); do
        mac=$(mac_of "$i")
        # the ROM gives up when its DHCP or a fetch times out (3 of 8 in a storm):
        # SeaBIOS then reboots into it again after 1 s (so no -no-reboot here)
        local boot=(-boot order=n,reboot-timeout=1000)
        # TFTP only: iPXE as the kernel, running pxelinux.0 from serve's TFTP
        # (its initrd is the script storm-tftp.ipxe); PXELINUX does the rest by TFTP
        [ "$mode" = tftp ] && boot=(-kernel "$lkrn" -initrd "$scratch/storm-tftp.ipxe")
        : > "$scratch/$mode.$i.log"
        ip netns exec "$netns" qemu-system-i386 -accel tcg -m "$mem" -display none -monitor none \
            "${boot[@]}" -serial "file:$scratch/$mode.$i.log" \
            -netdev "tap,id=n0,ifname=tap$i,script=no,downscript=no" -device "e1000,netdev=n0,mac=$mac" \
            > "$scratch/$mode.$i.qemu" 2>&1 &
        qpids+=($!)
    done
    local deadline=$(($(date +%s) + limit))
    while :; do
        done_n=0
        for i in $(seq 0 $((n - 1))); do
            if [ -z "${when[i]:-}" ] && grep -a -q "STORM-UP $(mac_of "$i")" "$scratch/$mode.$i.log"; then
                when[i]=$(echo "$(now) - $t0" | bc)
            fi
            [ -n "${when[i]:-}" ] && done_n=$((done_n + 1))
        done
        [ "$done_n" -eq "$n" ] && break
        [ "$(date +%s)" -ge "$deadline" ] && break
        sleep 0.5
    done
    stop_clients
    sleep 3.5   # serve prints a client's line once it has been quiet for 3 s
    # what went by which protocol: the namespace's own UDP and TCP counters, the
    # files dnsmasq's TFTP sent and lighttpd's 200s (serve's state directory,
    # removed when it stops)
    local st nu nts nt nh
    st=$(ls -d "$scratch"/tmp/tnb-serve.* 2> /dev/null | head -n1)
    read -r nu nts < <(ip netns exec "$netns" awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ {u = $5} $1 == "Tcp:" && $2 ~ /^[0-9]+$/ {t = $12} END {print u, t}' /proc/net/snmp)
    nt=$(grep -c -E 'dnsmasq-tftp.*: sent ' "$st/dnsmasq.log" 2> /dev/null)
    nh=$(grep -c -E ' 200 /' "$st/http.log" 2> /dev/null)
    [ -n "${KEEP:-}" ] && cp "$st/dnsmasq.log" "$scratch/$mode.dnsmasq.log" && cp "$st/http.log" "$scratch/$mode.http.log"
    stop_serve
    ip netns del "$netns"; netns=
    local lines loader=boot.ipxe; lines=$(grep -c -E '^52:54:00:00:5f:[0-9a-f]{2} storm[0-9]+: ' "$scratch/$mode.serve.out")
    [ "$mode" = tftp ] && loader=pxelinux.0
    local byloader; byloader=$(grep -c -E "^52:54:00:00:5f:[0-9a-f]{2} storm[0-9]+: ${loader//./\\.} -> " "$scratch/$mode.serve.out")
    local first; first=$(grep -m1 -E '^52:54:00:00:5f:' "$scratch/$mode.serve.out")
    for i in $(seq 0 $((n - 1))); do echo "${when[i]:--}"; done > "$scratch/$mode.times"
    local med max
    med=$(grep -v '^-$' "$scratch/$mode.times" | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.1f", a[int((NR+1)/2)]; else print "-"}')
    max=$(grep -v '^-$' "$scratch/$mode.times" | sort -n | tail -n1 | awk '{printf "%.1f", $1}')
    if [ "$done_n" -eq "$n" ]; then total=$max; else total=-; fi
    eval "total_$mode=\$total"
    local what; [ "$mode" = tftp ] && what="TFTP only (iPXE -> pxelinux.0 -> TFTP)" || what="iPXE ROM + HTTP (boot.ipxe -> lighttpd)"
    row1 "storm $what: all $n up" "$total" "$([ "$done_n" -eq "$n" ] || echo "(only $done_n of $n markers in $limit s)")"
    row1 "  per-client median / slowest" "$med / ${max:--}"
    row1 "  serve's per-client lines (first file $loader)" "$lines ($byloader) of $n" "${first:+e.g. $first}"
    local pure=
    [ "$mode" = tftp ] && [ "${nh:-0}" != 0 ] && pure="NOT TFTP only: "
    row1 "  server sent: UDP datagrams / TCP segments" "${nu:-?} / ${nts:-?}" \
        "(${pure}files by TFTP ${nt:-?}, by HTTP ${nh:-?}; the namespace's /proc/net/snmp, serve's logs)"
    if [ "$done_n" -ne "$n" ]; then
        for i in $(seq 0 $((n - 1))); do
            [ -n "${when[i]:-}" ] || { echo "#   $(mac_of "$i") ($mode) last console lines:"; tail -n 3 "$scratch/$mode.$i.log" | tr -d '\r' | sed 's/^/#     /'; }
        done
    fi
}

total_tftp=- total_http=-
for m in $modes; do storm "$m"; done
r=$(echo "$total_tftp $total_http" | awk '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $2 > 0 {printf "%.2f", $1 / $2; exit} {print "-"}')
row1 "storm ratio TFTP/HTTP (all up)" "$r" "(> 1: TFTP slower; each TFTP client's time has PXELINUX's 5 s menu TIMEOUT in it)"
