# tests/lib/netns.sh — a network namespace of the test's own, so servers and
# clients talk only inside it. Source it; then:
#   netns_bridge NAME   creates namespace NAME with its loopback up, a bridge br0
#                       at 10.99.0.1/24 and a tap0 on it for QEMU (-netdev tap,
#                       ifname=tap0,script=no,downscript=no); defines ns CMD...
#                       (run CMD inside). Fails when the namespace can't be made.
#   netns_taps NAME N   the same with N taps (tap0 .. tapN-1), below.
netns_bridge() {
    netns=$1
    ip netns add "$netns" 2>/dev/null || return 1
    ns() { ip netns exec "$netns" "$@"; }
    ns ip link set lo up
    ns ip link add br0 type bridge
    ns ip addr add 10.99.0.1/24 dev br0
    ns ip tuntap add dev tap0 mode tap
    ns ip link set tap0 master br0
    ns ip link set tap0 up
    ns ip link set br0 up
}

# netns_taps NAME N: netns_bridge NAME, then tap1 .. tap(N-1) on br0 beside tap0:
# N taps for N QEMU clients. Fails when the namespace or a tap can't be made.
# (Start a background process in it with `ip netns exec "$netns" CMD &`, not
# through ns: then $! is the process's own pid.)
netns_taps() {
    local i
    netns_bridge "$1" || return 1
    for ((i = 1; i < $2; i++)); do
        ns ip tuntap add dev "tap$i" mode tap && ns ip link set "tap$i" master br0 && ns ip link set "tap$i" up ||
            return 1
    done
}

# netns_xvnc FIRST LAST: a TigerVNC Xvnc inside the namespace on the first free X
# display in FIRST..LAST (800x600, all the namespace's addresses), its root tiled
# with the red/blue quadrant picture (tests/fbvnc/fbvnc-test.py xbm: red top-left
# and bottom-right); sets disp and port (5900 + disp), appends its pid to pids,
# logs to $scratch/xvnc.log. Fails when no display is free or Xvnc does not start.
netns_xvnc() {
    local d i
    disp=
    for d in $(seq "$1" "$2"); do
        [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || { disp=$d; break; }
    done
    [ -n "$disp" ] || { echo "# no free X display in $1..$2"; return 1; }
    port=$((5900 + disp))
    # `ip netns exec` execs Xvnc, so $! is Xvnc's own pid (through the ns
    # function it would be a subshell's, and Xvnc would outlive the test)
    ip netns exec "$netns" Xvnc ":$disp" -geometry 800x600 -depth 24 -rfbport "$port" -AlwaysShared \
        -nolisten tcp -SecurityTypes None > "$scratch/xvnc.log" 2>&1 &
    pids+=($!)
    for i in $(seq 50); do
        ns env DISPLAY=:$disp xsetroot -solid black 2>/dev/null && break
        sleep 0.2
    done
    python3 "$(dirname "${BASH_SOURCE[0]}")/../fbvnc/fbvnc-test.py" xbm 800 600 400 300 > "$scratch/quad.xbm"
    ns env DISPLAY=:$disp xsetroot -bitmap "$scratch/quad.xbm" -fg "#ff0000" -bg "#0000ff" ||
        { echo "# Xvnc did not start:"; sed 's/^/#   /' "$scratch/xvnc.log"; return 1; }
}
