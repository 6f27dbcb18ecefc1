#!/usr/bin/env bash
# tests/fbvnc/test-fbvnc-hostile.sh - the fbvnc client when things are wrong (TAP).
#
# QEMU boots the release kernel + base + fbvnc (tests/fbvnc/lib.sh):
#   1. a bad keyword (fbvnc.keymap=DE) and, from a test site layer, a root
#      shell on tty1 (as on a PC whose console is tty1) and a script that
#      kills the viewer with SIGSEGV once: the reason on the serial console
#      and the status screen, S50fbvnc restarts the viewer, which says it
#      again; keystrokes typed at the PS/2 keyboard (QMP send-key:
#      `echo pwned > /dev/ttyS0`, Enter) never reach that shell;
#   2. no framebuffer (no vga=: text mode, no simplefb): the reason on the
#      serial console, the viewer stays and keeps the keyboard (same keys);
#   3. a hostile RFB server (tests/fbvnc/hostile-rfb.py on the host's loopback,
#      10.0.2.2 in the guest), one case per connection, the viewer
#      reconnecting after 1 s (fbvnc.maxdelay=1): for every case the reason
#      the status screen shows and a new attempt; never a crash (no
#      "viewer ended" from S50fbvnc, no segfault, no panic); screens of
#      4096x4096 and 8192x8192 are refused for lack of RAM (96 MB guest).
# PARTS=13 runs only boots 1 and 3 (default: 123). KEEP=1 keeps the scratch dir.
# Every process started here is killed on exit; every wait is bounded.
set -u
RELEASE_VAR=FBVNC_RELEASE
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/qemu.sh"
. "$here/lib.sh"

scratch_dir fbvnc-hostile
require python3 qemu-system-i386 "$rel"/{bzImage,base.cpio.xz,fbvnc.cpio.xz} "$tnb"
accel=$(qemu_accel "$rel/bzImage")
echo "# accelerator: $accel"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
took() { echo "$(( $(date +%s) - ${1%.*} )) s"; }

# the test site layer: base's inittab plus a root shell on tty1, and a
# one-shot "crash" of the viewer 3 s after it started
sed '/^::respawn:/a tty1::respawn:/bin/sh -l' "$top/overlays/base/etc/inittab" > "$scratch/inittab"
grep -q '^tty1::respawn:/bin/sh -l' "$scratch/inittab" || echo "# inittab: no tty1 line added"
cat > "$scratch/S99crash" <<'SH'
#!/bin/sh
# test only: kill the viewer once with SIGSEGV, as a crash would
(
	n=0
	while [ ! -s /run/fbvnc.pid ] && [ $n -lt 300 ]; do sleep 0.2; n=$((n + 1)); done
	sleep 3
	echo "tnbtest: killing the viewer with SIGSEGV"
	kill -SEGV "$(cat /run/fbvnc.pid)"
) < /dev/null > /dev/console 2>&1 &
SH
"$tnb" layer -o "$scratch/site.cpio.xz" --file "$scratch/inittab:/etc/inittab" \
    --file "$scratch/S99crash:/etc/init.d/S99crash:0755" > /dev/null
"$tnb" layer -o "$scratch/shell.cpio.xz" --file "$scratch/inittab:/etc/inittab" > /dev/null

# type_at_shell: what a person at the keyboard would type into a hidden shell
type_at_shell() {
    qmp keys e c h o spc p w n e d spc shift+dot spc slash d e v slash t t y shift+s 0 ret
}
no_pwned() {   # no_pwned SECONDS: the shell never ran it
    sleep "$1"
    ! grep -a -q 'pwned' "$serial"
}

port=$(free_port)   # nothing listens there in boots 1 and 2

parts=${PARTS:-123}
qemu_start() { boot_stack "console=ttyS0 $1" "${@:2}"; }

# ================================================================ 1: bad keyword, crash, keys
if [[ $parts == *1* ]]; then
qemu_start "vga=788 fbvnc=10.0.2.2:$port fbvnc.keymap=DE" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$scratch/site.cpio.xz"
if wait_serial 'fbvnc: not connecting: bad fbvnc\.keymap=DE \(a name like us, de, fr\)' 150; then
    ok "bad fbvnc.keymap=DE: the reason on the serial console ($(took "$boot_start"))"
else
    not_ok "bad fbvnc.keymap=DE: the reason on the serial console"
fi
check "bad keyword: the status screen is shown (not a dark screen)" \
    screen_is 20 10,10=$status_bg 790,590=$status_bg
check "a viewer crash (SIGSEGV): S50fbvnc says so and restarts it after 1 s" \
    wait_serial 'fbvnc: viewer ended with status 139; restarting in 1 s' 60
check "the restarted viewer shows the reason again" \
    wait_serial 'fbvnc: not connecting: bad fbvnc\.keymap=DE' 60 2
sleep 2
check "bad keyword: the status screen again after the restart" screen_is 20 10,10=$status_bg
type_at_shell
check "keys typed at the keyboard (echo pwned > /dev/ttyS0, Enter) do not reach the shell on tty1" no_pwned 5
check "the viewer never exited on its own (only the injected crash)" \
    eval '[ "$(grep -a -c "viewer ended with status" "$serial")" -eq 1 ]'
qemu_stop
fi

# ================================================================ 2: no framebuffer
if [[ $parts == *2* ]]; then
qemu_start "fbvnc=10.0.2.2:$port" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$scratch/shell.cpio.xz"
if wait_serial 'fbvnc: no usable framebuffer: /dev/fb0: .*trying again every 5 s' 150; then
    ok "no framebuffer (text mode, no vga=): the reason on the serial console ($(took "$boot_start"))"
else
    not_ok "no framebuffer: the reason on the serial console"
fi
sleep 2
type_at_shell
check "no framebuffer: keys typed at the keyboard do not reach the shell on tty1" no_pwned 5
check "no framebuffer: the viewer stays (no restart loop, no exit)" \
    eval '! grep -a -q "viewer ended with status" "$serial"'
qemu_stop
fi

# ================================================================ 3: hostile RFB server
if [[ $parts == *3* ]]; then
hport=$(free_port)
python3 "$here/hostile-rfb.py" "$hport" > "$scratch/hostile.log" 2>&1 &
srv=$!
pids+=("$srv")
for i in $(seq 50); do grep -q '^listening' "$scratch/hostile.log" && break; sleep 0.1; done
t0=$(date +%s)
qemu_start "vga=0x343 fbvnc=10.0.2.2:$hport fbvnc.maxdelay=1" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz"
for i in $(seq 600); do kill -0 "$srv" 2>/dev/null || break; kill -0 "$qemu_pid" 2>/dev/null || break; sleep 1; done
served=$(grep -c '^case [0-9]* [a-z0-9_]*$' "$scratch/hostile.log")
total=$(python3 "$here/hostile-rfb.py" --list | wc -l)
check "hostile server: all $total cases served to successive reconnects ($served, in $(( $(date +%s) - t0 )) s)" \
    [ "$served" -eq "$total" ]
wait_serial 'fbvnc: connecting to' 30 $((served + 1)) > /dev/null   # the attempt after the last case
while read -r verdict name rest; do
    case $verdict in
    PASS) ok "hostile server, ${name%:}: $rest" ;;
    *) not_ok "hostile server, ${name%:}: $rest" ;;
    esac
done < <(python3 "$here/hostile-rfb.py" check --ram-capped "$scratch/hostile.log" "$serial")
check "hostile server: the status screen is shown between connections" screen_is 20 10,10=$status_bg
check "hostile server: never a crash (no 'viewer ended', segfault, oops or panic on the console)" \
    eval '! grep -a -E "viewer ended with status|segfault|general protection|Oops|Kernel panic|Out of memory" "$serial"'
qemu_stop
fi

tap_end
