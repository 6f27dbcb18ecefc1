# tests/lib/sshd.sh — a real OpenSSH sshd of the test's own, for the tunnel tests
# (fbvnc-ssh on BIOS, vnc-ssh on UEFI). Source it; then:
#   sshd_setup DIR PORT   makes DIR/ssh_host_ed25519_key and DIR/sshd_config: root
#                         only, by public key only (DIR/authorized_keys), TCP
#                         forwarding allowed, on 127.0.0.1:PORT, debug log level
#                         (the tests read "Accepted publickey" and the direct-tcpip
#                         channel from sshd's log). Start it with
#                         /usr/sbin/sshd -D -f DIR/sshd_config -E LOG.
sshd_setup() {
    local dir=$1 port=$2
    ssh-keygen -q -t ed25519 -N '' -C test-host -f "$dir/ssh_host_ed25519_key" || return 1
    cat > "$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile none
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers root
AllowTcpForwarding yes
X11Forwarding no
LogLevel DEBUG1
CONF
    mkdir -p /run/sshd   # its privilege-separation directory (Debian's path)
}
