#!/usr/bin/env bash
# tests/client/test-functions.sh - the client's shared init-script helpers on
# the host, no QEMU (TAP): base's /lib/tinynetboot/functions.sh (S01link's
# link_up_early among them), run in the client's own BusyBox ash
# (base's, from output/release, or $BUSYBOX). The kernel command line is a
# file bind-mounted over /proc/cmdline in a mount namespace of the test's
# own; the links are a veth pair in a network namespace of its own (whose
# /sys `ip netns exec` mounts), so nothing of the host's is touched.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/busybox.sh"
fn=$top/overlays/base/lib/tinynetboot/functions.sh

scratch_dir functions
ns=tnbfn$$
cleanup_hook() { ip netns del "$ns" 2>/dev/null; }

release_busybox "$scratch" || { tap_end; exit; }

# with_cmdline CMDLINE SCRIPT [ARGS...]: SCRIPT run by the client's ash with
# functions.sh sourced, CMDLINE as /proc/cmdline; prints its output and "rc=N"
with_cmdline() {
    local cl=$1 script=$2; shift 2
    printf '%s\n' "$cl" > "$scratch/cmdline"
    unshare -m sh -c 'mount --bind "$1" /proc/cmdline && shift && exec "$@"' sh \
        "$scratch/cmdline" "$bb" sh -c ". '$fn'; $script"'
        echo "rc=$?"' sh "$@" 2>&1
}
is() {   # is WHAT GOT WANT
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "#   got:  $(echo "$2" | tr '\n' '|')"; echo "#   want: $(echo "$3" | tr '\n' '|')"; fi
}

# ---- the command line ---------------------------------------------------------
is "cmdline_list: none -> no output" "$(with_cmdline 'quiet' 'cmdline_list rd.driver.pre')" "rc=0"
is "cmdline_list: a key is matched whole (rd.driver.prex= is not rd.driver.pre=)" \
    "$(with_cmdline 'rd.driver.prex=x rd.driver.pre=a' 'cmdline_list rd.driver.pre')" "a
rc=0"
touch "$scratch/should-not-glob"
is "cmdline_list: a glob in the value is not expanded" "$(cd "$scratch" && with_cmdline 'rd.driver.pre=*' 'cmdline_list rd.driver.pre')" "*
rc=0"
is "cmdline_list: every occurrence, comma lists split" \
    "$(with_cmdline 'rd.driver.pre=a,b quiet rd.driver.pre=c' 'cmdline_list rd.driver.pre')" "a
b
c
rc=0"

# ---- validators ---------------------------------------------------------------
v=$("$bb" sh -c '. "$1"; for x in 0 16 999 1000 "" 1a -1 " 1"; do valid_uint "$x" 3 && echo "y[$x]" || echo "n[$x]"; done' sh "$fn")
is "valid_uint VALUE 3" "$v" "y[0]
y[16]
y[999]
n[1000]
n[]
n[1a]
n[-1]
n[ 1]"
v=$("$bb" sh -c '. "$1"; for x in 10.0.2.15 255.255.255.255 0.0.0.0 256.1.1.1 1.2.3 1.2.3.4.5 1..2.3 .1.2.3 1.2.3.4. a.b.c.d ""; do is_ip4 "$x" && echo "y[$x]" || echo "n[$x]"; done' sh "$fn")
is "is_ip4" "$v" "y[10.0.2.15]
y[255.255.255.255]
y[0.0.0.0]
n[256.1.1.1]
n[1.2.3]
n[1.2.3.4.5]
n[1..2.3]
n[.1.2.3]
n[1.2.3.4.]
n[a.b.c.d]
n[]"

# ---- mounted --------------------------------------------------------------------
v=$("$bb" sh -c '. "$1"; for d in /proc /sys / /proc/ /no/such/dir ""; do mounted "$d" && echo "y[$d]" || echo "n[$d]"; done' sh "$fn")
is "mounted: the mount table's directories only, whole" "$v" "y[/proc]
y[/sys]
y[/]
n[/proc/]
n[/no/such/dir]
n[]"

# ---- say, service_main --------------------------------------------------------
is "say: SAY_TAG" "$("$bb" sh -c 'SAY_TAG=network; . "$1"; say "eth0: up"' sh "$fn")" "network: eth0: up"
svc='. "$1"; start() { echo started; return 3; }; stop() { echo stopped; }; shift; service_main "$@"; echo "rc=$?"'
is "service_main start: the script's start, its status" "$("$bb" sh -c "$svc" sh "$fn" start)" "started
rc=3"
is "service_main restart without restart(): stop, then start" "$("$bb" sh -c "$svc" sh "$fn" restart)" "stopped
started
rc=3"
is "service_main restart: the script's own restart()" \
    "$("$bb" sh -c '. "$1"; start() { :; }; restart() { echo own; }; service_main restart' sh "$fn")" "own"
is "service_main stop without stop(): nothing, status 0" \
    "$("$bb" sh -c '. "$1"; start() { :; }; service_main stop; echo "rc=$?"' sh "$fn")" "rc=0"
out=$("$bb" sh -c "$svc" sh "$fn" bogus 2>&1; echo "exit=$?")
is "service_main: an unknown action -> usage, exit 2" "$(echo "$out" | tail -n 1)" "exit=2"
check "service_main: the usage line names the actions" grep -q 'usage: .* start|stop|restart' <<< "$out"

# ---- pid files ------------------------------------------------------------------
sleep 60 & spid=$!
echo "$spid" > "$scratch/a.pid"; echo 999999 > "$scratch/b.pid"
check "pidfile_alive: a running process" "$bb" sh -c '. "$1"; pidfile_alive "$2"' sh "$fn" "$scratch/a.pid"
check "pidfile_alive: a dead pid, a missing file" "$bb" sh -c '. "$1"; ! pidfile_alive "$2" && ! pidfile_alive "$3"' sh "$fn" "$scratch/b.pid" "$scratch/none.pid"
"$bb" sh -c '. "$1"; kill_pidfiles "$2" "$3" "$4"' sh "$fn" "$scratch/a.pid" "$scratch/b.pid" "$scratch/none.pid"
wait "$spid" 2>/dev/null
check "kill_pidfiles: the process is gone" sh -c '! kill -0 '"$spid"' 2>/dev/null'
check "kill_pidfiles: the files are removed" sh -c '[ ! -e "$1" ] && [ ! -e "$2" ]' sh "$scratch/a.pid" "$scratch/b.pid"

# ---- links: S01link's link_up_early ------------------------------------------
# up IFACE: "UP" when the interface is administratively up in the namespace
up() { ip -n "$ns" -o link show dev "$1" | grep -q '[<,]UP[,>]' && echo UP || echo DOWN; }
fresh_links() {
    ip netns del "$ns" 2>/dev/null
    ip netns add "$ns" && ip -n "$ns" link add eth0 type veth peer name eth1 &&
        ip -n "$ns" link add dummyish type veth peer name eth9 && ip -n "$ns" link set eth9 down
}
# in_ns CMDLINE SCRIPT: SCRIPT in the namespace (its own /sys), CMDLINE as /proc/cmdline
in_ns() {
    printf '%s\n' "$1" > "$scratch/cmdline"
    ip netns exec "$ns" unshare -m sh -c 'mount --bind "$1" /proc/cmdline && shift && exec "$@"' sh \
        "$scratch/cmdline" "$bb" sh -c "PATH=$PATH; . '$fn'; $2" 2>&1
}
if ! fresh_links 2>/dev/null; then
    not_ok "a network namespace with veth pairs (needs root)"
else
    # link_states IFACE...: their states, "UP DOWN ..."
    link_states() {
        local i got=
        for i; do got="$got${got:+ }$(up "$i")"; done
        echo "$got"
    }
    # link_case WHAT CMDLINE SCRIPT WANT IFACE...: fresh links, SCRIPT, the IFACEs' states
    link_case() {
        local what=$1 cl=$2 script=$3 want=$4; shift 4
        fresh_links
        in_ns "$cl" "$script" > /dev/null
        is "$what" "$(link_states "$@")" "$want"
    }
    link_case "link_up_early: every Ethernet interface up" quiet link_up_early "UP UP UP UP" eth0 eth1 dummyish eth9
    link_case "link_up_early: one already up stays up, the others come up" quiet \
        "ip link set dev eth1 up; link_up_early" "UP UP" eth0 eth1
    link_case "link_up_early with ip=off: nothing raised" ip=off link_up_early "DOWN DOWN" eth0 eth1
    link_case "link_up_early with ip=none: nothing raised" ip=none link_up_early "DOWN" eth0
    link_case "link_up_early IFACE: only that one" ip=dhcp "link_up_early eth1" "DOWN UP" eth0 eth1
    link_case "link_up_early: not Ethernet (lo) or missing: left alone" quiet "link_up_early lo nosuch" "DOWN" lo

    # ---- the drivers layer's uevent helper on a new interface ----------------
    # /lib/drivers/hotplug as the kernel runs it: ACTION, SUBSYSTEM, INTERFACE in
    # its environment, in a root of its own (the client's BusyBox for sh and ip,
    # base's functions.sh where the helper sources it, an empty /run) in the
    # namespace, whose /sys, /dev/null and the test's command line are bound
    # into it.
    hp_root=$scratch/hproot
    mkdir -p "$hp_root/bin" "$hp_root/lib/tinynetboot" "$hp_root/lib/drivers" "$hp_root/proc" "$hp_root/sys" "$hp_root/run" "$hp_root/dev"
    : > "$hp_root/dev/null"
    cp "$bb" "$hp_root/bin/busybox"
    for a in sh ip cat tr modprobe; do ln -sf busybox "$hp_root/bin/$a"; done
    cp "$fn" "$hp_root/lib/tinynetboot/functions.sh"
    cp "$top/overlays/drivers/lib/drivers/hotplug" "$hp_root/lib/drivers/hotplug"
    # hotplug_case WHAT CMDLINE RUN_NET(yes|no) ENV WANT IFACE...
    hotplug_case() {
        local what=$1 cl=$2 runnet=$3 env=$4 want=$5; shift 5
        fresh_links
        rm -rf "$hp_root/run/net"; [ "$runnet" = no ] || mkdir "$hp_root/run/net"
        printf '%s\n' "$cl" > "$scratch/cmdline"
        ip netns exec "$ns" unshare -m sh -c 'mount --bind /proc "$1/proc" && mount --bind "$2" "$1/proc/cmdline" &&
            mount --bind /sys "$1/sys" && mount --bind /dev/null "$1/dev/null" && exec env -i $3 "$4" "$1" /bin/sh /lib/drivers/hotplug' \
            sh "$hp_root" "$scratch/cmdline" "$env" "$(command -v chroot)" > /dev/null 2>&1
        is "$what" "$(link_states "$@")" "$want"
    }
    hotplug_case "hotplug: a new interface while booting: its link up at once, no other" quiet no \
        "ACTION=add SUBSYSTEM=net INTERFACE=eth1" "DOWN UP" eth0 eth1
    hotplug_case "hotplug: a new interface after S10network started (/run/net): left down" quiet yes \
        "ACTION=add SUBSYSTEM=net INTERFACE=eth1" "DOWN DOWN" eth0 eth1
    hotplug_case "hotplug: a new interface with ip=off: left down" ip=off no \
        "ACTION=add SUBSYSTEM=net INTERFACE=eth1" "DOWN" eth1
    hotplug_case "hotplug: an interface going away, or an event without INTERFACE: nothing raised" quiet no \
        "ACTION=remove SUBSYSTEM=net INTERFACE=eth1" "DOWN DOWN" eth0 eth1
fi
tap_end
