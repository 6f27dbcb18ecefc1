# tests/lib/netns.sh — a network namespace of the test's own, so servers and
# clients talk only inside it. Source it; then:
#   netns_bridge NAME   creates namespace NAME with its loopback up, a bridge br0
#                       at 10.99.0.1/24 and a tap0 on it for QEMU (-netdev tap,
#                       ifname=tap0,script=no,downscript=no); defines ns CMD...
#                       (run CMD inside). Fails when the namespace can't be made.
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
