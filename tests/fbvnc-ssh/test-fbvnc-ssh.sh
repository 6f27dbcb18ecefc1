#!/usr/bin/env bash
# tests/fbvnc-ssh/test-fbvnc-ssh.sh - the fbvnc-ssh layer: the VNC session
# through an SSH tunnel, against a real OpenSSH sshd (TAP).
#
# On the host's loopback: a TigerVNC Xvnc listening on localhost only, showing
# a known picture (as tests/fbvnc does), and /usr/sbin/sshd with a config,
# host key, port and authorized_keys of this test's own. `tinynetboot sshkey`
# makes the client's key into a site layer and the authorized_keys line
# (restrict,port-forwarding,permitopen="localhost:PORT"). QEMU boots the
# release kernel + base + fbvnc + fbvnc-ssh + that site layer with
# fbvnc.ssh=root@10.0.2.2:SSHPORT fbvnc=localhost:PORT (QEMU's user network
# maps 10.0.2.2 to the host's loopback). Checks:
#   - no release layer carries private key material (keyscan.py), and the
#     scanner does find the key in a site layer (so the scan can fail);
#   - the tunnel comes up, the viewer connects to its local end, and a QMP
#     screendump shows the server's picture; sshd's log shows our key and the
#     direct-tcpip channel to localhost:PORT;
#   - sshd stopped (listener and sessions): the tunnel is reported down, the
#     status screen shows; sshd started again: tunnel and picture come back,
#     no reboot;
#   - a changed host key, and an unknown one: refused, said on the console
#     and by the viewer (its status screen line), no login at sshd, no picture;
#   - no key in any layer: a clear message, no connection attempt.
# Every process started here is killed on exit; every wait is bounded.
set -u
RELEASE_VAR=FBVNC_RELEASE
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/qemu.sh"
. "$top/tests/fbvnc/lib.sh"
. "$top/tests/lib/sshd.sh"

scratch_dir fbvnc-ssh
sshd_pid=
cleanup_hook() { sshd_stop; }
require Xvnc xsetroot ssh-keygen python3 qemu-system-i386 ss /usr/sbin/sshd \
    "$rel"/{bzImage,base.cpio.xz,fbvnc.cpio.xz,fbvnc-ssh.cpio.xz} "$tnb"

# ================================================================ 0: no secret in the release
release_layers=("$rel"/*.cpio.xz)
if out=$(python3 "$here/keyscan.py" "${release_layers[@]}" 2>&1); then
    ok "no private key material in any release layer (${#release_layers[@]} scanned: $(cd "$rel" && echo *.cpio.xz))"
else
    echo "$out" | sed 's/^/# /'
    not_ok "no private key material in any release layer"
fi

accel=$(qemu_accel "$rel/bzImage")
echo "# accelerator: $accel"

# ---------------------------------------------------------------- host side
free_port() {   # free_port FIRST LAST: a TCP port nobody listens on
    local p
    for p in $(seq "$1" "$2"); do
        ss -ltn 2>/dev/null | grep -q ":$p " || { echo "$p"; return 0; }
    done
    return 1
}

sshd_start() {   # our own sshd on 127.0.0.1:$sshport, log appended to sshd.log
    /usr/sbin/sshd -D -f "$scratch/sshd_config" -E "$scratch/sshd.log" &
    sshd_pid=$!
    pids+=("$sshd_pid")
    local i
    for i in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$sshport " && return 0; sleep 0.2; done
    echo "# sshd did not listen on $sshport:"; tail -n 5 "$scratch/sshd.log" | sed 's/^/#   /'
    return 1
}

sshd_stop() {   # the listener and every session process it forked (by pid)
    [ -n "$sshd_pid" ] || return 0
    local kids k
    kids=$(pgrep -P "$sshd_pid" 2>/dev/null)
    for k in $kids; do kill $(pgrep -P "$k" 2>/dev/null) "$k" 2>/dev/null; done
    kill "$sshd_pid" 2>/dev/null
    wait "$sshd_pid" 2>/dev/null
    sshd_pid=
}

logins() { grep -c 'Accepted publickey for root' "$scratch/sshd.log" 2>/dev/null; }

# ---------------------------------------------------------------- guest side
qemu_start() {   # qemu_start APPEND LAYER...
    local append=$1; shift
    boot_stack "console=ttyS0 vga=788 $append" "$@"
}

disp=$(pick_display) || { not_ok "no free X display"; tap_end; exit; }
port=$((5900 + disp))
sshport=$(free_port 22220 22299) || { not_ok "no free port for sshd"; tap_end; exit; }
echo "# X display :$disp, VNC port $port (localhost only), sshd on 127.0.0.1:$sshport"

sshd_setup "$scratch" "$sshport" || { not_ok "sshd's host key and config"; tap_end; exit; }
ssh-keygen -q -t ed25519 -N '' -C impostor -f "$scratch/impostor_key"

# the client's key: a site layer with it and the server's host key
if line=$("$tnb" sshkey -o "$scratch/site.cpio.xz" --permit "localhost:$port" \
        --known-host "10.0.2.2=$scratch/ssh_host_ed25519_key.pub" \
        --authorized-keys "$scratch/authorized_keys" --comment fbvnc-ssh-test); then
    echo "# authorized_keys: ${line:0:100}..."
    check "sshkey: the authorized_keys line permits only the tunnel" \
        eval '[[ "$line" == "restrict,port-forwarding,permitopen=\"localhost:$port\" ssh-ed25519 AAAA"*" fbvnc-ssh-test" ]]'
else
    not_ok "sshkey: made the client's key and site layer"
fi
check "the scanner finds the key in the site layer (so the release scan can fail)" \
    eval '! python3 "$here/keyscan.py" "$scratch/site.cpio.xz" > /dev/null'

sshd_start || { not_ok "sshd started"; tap_end; exit; }
xvnc_start 800x600 ff0000 0000ff
localhost_only() {   # something listens on $port, and only on the loopback
    local addrs
    addrs=$(ss -ltnH "sport = :$port" | awk '{print $4}')
    echo "# port $port listens on:" $addrs
    [ -n "$addrs" ] && ! echo "$addrs" | grep -q -v -E '^(127\.0\.0\.1|\[::1\]):'
}
check "the VNC server listens on localhost only" localhost_only

base_layers=("$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$rel/fbvnc-ssh.cpio.xz")
ssh_args="fbvnc=localhost:$port fbvnc.ssh=root@10.0.2.2:$sshport"

# ================================================================ 1: the tunnel, the picture, sshd restarted
qemu_start "$ssh_args" "${base_layers[@]}" "$scratch/site.cpio.xz"
t0=$(date +%s)
check "the tunnel comes up (dbclient authenticated, local end listening)" \
    wait_serial 'fbvnc-ssh: tunnel up: 127\.0\.0\.1:5999 -> localhost:[0-9]+ via root@10\.0\.2\.2' 180
check "the viewer connects to the tunnel's local end" \
    wait_serial "fbvnc: connected to 127\.0\.0\.1:5999" 60
if wait_serial 'fbvnc: first frame drawn' 60; then
    ok "the viewer draws (first frame $(( $(date +%s) - t0 )) s after QEMU started, $accel)"
else
    not_ok "the viewer draws"
fi
check "the server's picture on the guest screen (QMP screendump)" \
    screen_is 30 200,150=ff0000 600,150=0000ff 200,450=0000ff 600,450=ff0000
check "sshd: our key was accepted" grep -q 'Accepted publickey for root .* ED25519' "$scratch/sshd.log"
check "sshd: the channel is a direct-tcpip forwarding to localhost:$port" \
    grep -q -E "server_request_direct_tcpip: originator .*, target localhost port $port" "$scratch/sshd.log"
check "the private key is never on the console" \
    eval '! grep -a -q -i "PRIVATE\|id_dropbear.*ssh-ed25519" "$serial"'

sshd_stop
check "sshd stopped: the tunnel is reported down" wait_serial 'fbvnc-ssh: tunnel down' 40
check "sshd stopped: the viewer says the tunnel's state on its status screen" \
    wait_serial 'fbvnc: tunnel: ssh: (tunnel down|connecting to root@10\.0\.2\.2)' 40
check "sshd stopped: the status screen replaces the picture" \
    screen_is 30 10,10=$status_bg 790,590=$status_bg
sleep 3
sshd_start
if wait_serial 'fbvnc-ssh: tunnel up' 60 2 && wait_serial 'fbvnc: first frame drawn' 60 2 &&
    screen_is 30 200,150=ff0000 600,150=0000ff 200,450=0000ff 600,450=ff0000; then
    ok "sshd back: tunnel and picture come back without a reboot"
else
    not_ok "sshd back: tunnel and picture come back without a reboot"
fi
qemu_stop

# ================================================================ 2: a changed host key
"$tnb" sshkey -o "$scratch/site-changed.cpio.xz" --permit "localhost:$port" \
    --known-host "10.0.2.2=$scratch/impostor_key.pub" > "$scratch/ak-changed"
cat "$scratch/ak-changed" >> "$scratch/authorized_keys"   # the key itself would be fine
before=$(logins)
qemu_start "$ssh_args" "${base_layers[@]}" "$scratch/site-changed.cpio.xz"
check "changed host key: refused, said on the console" \
    wait_serial 'fbvnc-ssh: host key of 10\.0\.2\.2 has CHANGED: refused' 180
check "changed host key: the offered and the expected fingerprints on the console" \
    eval 'grep -a -q "fbvnc-ssh: Fingerprint is" "$serial" && grep -a -q "fbvnc-ssh: Expected" "$serial"'
check "changed host key: the viewer's status screen says so" \
    wait_serial 'fbvnc: tunnel: ssh: host key of 10\.0\.2\.2 has CHANGED' 30
check "changed host key: the status screen is shown" screen_is 20 10,10=$status_bg
check "changed host key: no login at sshd, no picture" \
    eval '[ "$(logins)" -eq "$before" ] && ! grep -a -q "first frame drawn" "$serial"'
qemu_stop

# ================================================================ 3: an unknown host key
printf 'otherhost ssh-ed25519 %s\n' "$(cut -d' ' -f2 "$scratch/ssh_host_ed25519_key.pub")" > "$scratch/known-other"
"$tnb" layer -o "$scratch/site-unknown.cpio.xz" --file "$scratch/known-other:/etc/fbvnc-ssh/known_hosts"
before=$(logins)
qemu_start "$ssh_args" "${base_layers[@]}" "$scratch/site.cpio.xz" "$scratch/site-unknown.cpio.xz"
check "unknown host key: refused, said on the console with its fingerprint" \
    eval "wait_serial 'fbvnc-ssh: host key of 10\.0\.2\.2 refused: not in known_hosts' 180 &&
          grep -a -q 'fbvnc-ssh: offered host key: ssh-ed25519 fingerprint SHA256:' \"\$serial\""
check "unknown host key: the viewer's status screen says so" \
    wait_serial 'fbvnc: tunnel: ssh: host key of 10\.0\.2\.2 refused' 30
check "unknown host key: nothing added to known_hosts, no login at sshd, no picture" \
    eval '[ "$(logins)" -eq "$before" ] && ! grep -a -q "first frame drawn" "$serial"'
qemu_stop

# ================================================================ 4: no key at all
before=$(grep -c 'Connection from' "$scratch/sshd.log")
qemu_start "$ssh_args" "${base_layers[@]}"
check "no key: a clear message on the console" \
    wait_serial 'fbvnc-ssh: no SSH key: a site layer must provide /etc/fbvnc-ssh/id_dropbear' 180
check "no key: the viewer's status screen says so" \
    wait_serial 'fbvnc: tunnel: ssh: no SSH key' 30
check "no key: the status screen is shown, no connection to sshd" \
    eval 'screen_is 20 10,10=$status_bg && [ "$(grep -c "Connection from" "$scratch/sshd.log")" -eq "$before" ]'
qemu_stop

tap_end
