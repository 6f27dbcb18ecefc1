#!/usr/bin/env bash
# tests/fbvnc/test-fbvnc.sh - the fbvnc layer against real VNC servers (TAP).
#
# QEMU boots the release kernel + base + fbvnc (+ a site layer with the VNC
# password where auth is tested) with fbvnc=10.0.2.2:PORT; QEMU's user
# network maps 10.0.2.2 to the host's loopback, where a TigerVNC Xvnc (or
# x11vnc on it) shows a known picture: the root window tiled with a
# two-colour quadrant bitmap (xsetroot). Checks, all from outside the guest:
#   - the picture: QMP screendump of the guest screen, colours at points
#     (16-, 24- and 32-bit VESA modes);
#   - keys (QMP send-key -> PS/2 -> evdev -> keymap -> RFB; us, de from the
#     command line, fr from a site layer's /etc/fbvnc/keymap) and pointer
#     motion, buttons, wheel (QMP input-send-event -> PS/2 mouse): on the X
#     side with `xev -root` and `xdotool getmouselocation`;
#   - panning over a server screen larger than the framebuffer; a server
#     screen resized to a smaller one (RandR) is centred;
#   - VNC auth with the password from a site layer; a wrong one: the status
#     says so, and the next try is 30 s later;
#   - reconnect after the server restarts, and after a dead link (QMP
#     set_link off: no FIN, no RST; keepalive must notice);
#   - RFB 3.3 and zlib (x11vnc), zrle/hextile/raw (Xvnc);
#   - a server that accepts the connection and then says nothing: the
#     handshake times out (libvncclient alone would wait forever).
# Every process started here is killed on exit; every wait is bounded.
set -u
RELEASE_VAR=FBVNC_RELEASE
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/qemu.sh"
. "$here/lib.sh"

scratch_dir fbvnc
require Xvnc x11vnc xsetroot xev xdotool vncpasswd python3 qemu-system-i386 \
    "$rel"/{linux-pc.bzImage,linux-floppy.bzImage,base.cpio.xz,fbvnc.cpio.xz} "$tnb"

accel=$(qemu_accel "$rel/bzImage")
echo "# accelerator: $accel"

# ---------------------------------------------------------------- X side
xev_start() {
    : > "$scratch/xev.log"
    DISPLAY=:$disp xev -root -event keyboard -event button > "$scratch/xev.log" 2>&1 &
    xev_pid=$!
    pids+=("$xev_pid")
    sleep 1
}

xev_stop() {
    kill "$xev_pid" 2>/dev/null
    wait "$xev_pid" 2>/dev/null
}

# the KeyPress lines' keysyms, e.g. "0x61,a 0x42,B"
xev_keys() {
    sed -n '/^KeyPress/,/keysym/s/.*(keysym \(0x[0-9a-f]*\), \([^)]*\)).*/\1,\2/p' "$scratch/xev.log" | tr '\n' ' '
}

xev_buttons() {
    sed -n '/^ButtonPress/,/button/s/.* button \([0-9]*\),.*/\1/p' "$scratch/xev.log" | tr '\n' ' '
}

mouse_at() {   # mouse_at X Y: the X server's pointer is there
    local loc
    loc=$(DISPLAY=:$disp xdotool getmouselocation 2>&1)
    echo "# X pointer: $loc"
    case "$loc" in "x:$1 y:$2 "*) return 0 ;; esac
    return 1
}

# ---------------------------------------------------------------- guest side
# qemu_start APPEND LAYER...: boot the stack; the server on the command line
# unless target= is set (to empty: none, it comes from a site layer)
qemu_start() {
    local append=$1; shift
    boot_stack "console=ttyS0 ${target-fbvnc=10.0.2.2:$port} $append" "$@"
}


disp=$(pick_display) || { not_ok "no free X display"; tap_end; exit; }
port=$((5900 + disp))
echo "# X display :$disp, VNC port $port"

# ================================================================ 1: 16 bpp, us keys, mouse, reconnects
xvnc_start 800x600 ff0000 0000ff
qemu_start "vga=788" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz"
if wait_serial 'fbvnc: first frame drawn' 150 && fb_is 800x600x16; then
    t=$(echo "$(date +%s.%N) - $boot_start" | bc)
    ok "16 bpp (vga=788): first frame $(printf %.1f "$t") s after QEMU started ($accel)"
else
    not_ok "16 bpp (vga=788): first frame drawn on an 800x600x16 framebuffer"
fi
check "16 bpp: the server's picture on the guest screen" \
    screen_is 30 200,150=ff0000 600,150=0000ff 200,450=0000ff 600,450=ff0000

xev_start
qmp keys a shift+b 1 ret
sleep 2
keys=$(xev_keys)
echo "# X saw keys: $keys"
check "keys reach the X server as keysyms (a, Shift+b, 1, Return)" \
    eval '[[ "$keys" == *"0x61,a"*"0x42,B"*"0x31,1"*"0xff0d,Return"* ]]'

qmp move 40 30
sleep 2
check "relative mouse motion moves the X pointer (400,300 -> 440,330)" mouse_at 440 330
qmp click left; qmp click right; qmp wheel down; qmp wheel up
sleep 2
buttons=$(xev_buttons)
echo "# X saw buttons: $buttons"
check "mouse buttons and wheel reach the X server (1 3 5 4)" \
    eval '[[ "$buttons" == *1*3*5*4* ]]'
xev_stop

# the server's screen shrinks (RandR; ExtendedDesktopSize): now centred, black around
DISPLAY=:$disp xrandr -s 640x480 >/dev/null 2>&1
check "server screen resized to 640x480: shown centred with a black border" \
    screen_is 30 180,160=ff0000 500,160=0000ff 180,440=0000ff 10,10=000000 790,590=000000

# server gone: the status screen, then the new server's picture
xvnc_stop
check "server stopped: the viewer notices and says it reconnects" \
    wait_serial 'fbvnc: connecting to 10\.0\.2\.2:[0-9]+ \.\.\. attempt 1' 30 2
check "server stopped: the status screen replaces the old picture" \
    screen_is 20 10,10=$status_bg 790,590=$status_bg
xvnc_start 800x600 00ff00 ffff00
if wait_serial 'fbvnc: first frame drawn' 60 2 &&
    screen_is 30 200,150=00ff00 600,150=ffff00 200,450=ffff00 600,450=00ff00; then
    ok "server restarted: the client draws its new picture without a reboot"
else
    not_ok "server restarted: the client draws its new picture without a reboot"
fi

# dead link: no FIN, no RST; keepalive / TCP_USER_TIMEOUT must notice
qmp link n0 off
t0=$(date +%s)
if wait_serial 'fbvnc: .*connection lost' 60 2; then
    ok "dead link (QMP set_link off): connection loss noticed after $(( $(date +%s) - t0 )) s"
else
    not_ok "dead link (QMP set_link off): connection loss noticed"
fi
qmp link n0 on
check "link back: the client reconnects and draws again" \
    wait_serial 'fbvnc: first frame drawn' 90 3
qemu_stop
xvnc_stop

# ================================================================ 2: 32 bpp, panning, de keymap, hextile
xvnc_start 1024x768 00ff00 ff00ff
qemu_start "vga=0x343 fbvnc.keymap=de fbvnc.encodings=hextile" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz"
check "32 bpp (vga=0x343), hextile: first frame drawn on an 800x600x32 framebuffer" \
    eval "wait_serial 'fbvnc: first frame drawn' 150 && fb_is 800x600x32"
check "32 bpp: the top-left 800x600 of a 1024x768 server screen" \
    screen_is 30 100,100=00ff00 700,100=ff00ff 100,500=ff00ff 700,500=00ff00 400,100=00ff00
# pointer to the bottom-right: (400,300)+(600,500) = (1000,800) -> clamped (1000,767);
# the viewport follows to (201,168), so the quadrant corner (512,384) is at (311,216)
qmp move 300 250; sleep 0.5; qmp move 300 250
sleep 2
check "panning: the pointer at the server's (1000,767)" mouse_at 1000 767
check "panning: the viewport followed the pointer to the bottom-right" \
    screen_is 30 250,150=00ff00 400,100=ff00ff 100,300=ff00ff 400,300=00ff00
xev_start
qmp keys y z alt_r+q shift+2
sleep 2
keys=$(xev_keys)
echo "# X saw keys: $keys"
check "de keymap: y z AltGr+q Shift+2 give z y @ \"" \
    eval '[[ "$keys" == *"0x7a,z"*"0x79,y"*"0x40,at"*"0x22,quotedbl"* ]]'
xev_stop
qemu_stop
xvnc_stop

# ================================================================ 3: 24 bpp, raw, VNC auth, site layer
printf 's3cret\n' > "$scratch/passwd"
printf '10.0.2.2:%s\n' "$port" > "$scratch/server"
# the site layer (issue 9's example): the server, the password, and a keymap
# of its own (French); the command line names no server at all
"$tnb" layer -o "$scratch/site.cpio.xz" --file "$scratch/passwd:/etc/fbvnc/passwd:0600" \
    --file "$scratch/server:/etc/fbvnc/server" \
    --file "$top/overlays/fbvnc/usr/share/fbvnc/keymaps/fr:/etc/fbvnc/keymap"
xvnc_start 800x600 ff8000 008080 s3cret
target='' qemu_start "vga=0x315 fbvnc.encodings=raw" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$scratch/site.cpio.xz"
check "the command line names no server (it comes from the site layer)" \
    eval '! grep -q "fbvnc=" "$scratch/cmdline"'
check "site layer's server, VNC auth with its password, 24 bpp (vga=0x315), raw: first frame" \
    eval "wait_serial 'fbvnc: first frame drawn' 150 && fb_is 800x600x24"
check "24 bpp: the server's picture" \
    screen_is 30 200,150=ff8000 600,150=008080 200,450=008080 600,450=ff8000
check "the password is not on the kernel command line or the console" \
    eval '! grep -a -q s3cret "$serial"'
xev_start
qmp keys q 1 shift+1 alt_r+0
sleep 2
keys=$(xev_keys)
echo "# X saw keys: $keys"
check "site layer's keymap (fr): q 1 Shift+1 AltGr+0 give a & 1 @" \
    eval '[[ "$keys" == *"0x61,a"*"0x26,ampersand"*"0x31,1"*"0x40,at"* ]]'
xev_stop
xvnc_stop
xvnc_start 800x600 ff8000 008080 other-pw
if wait_serial 'fbvnc: .*authentication failed.*retrying in 30 s' 60; then
    ok "wrong password: the console says 'authentication failed', retry in 30 s"
else
    not_ok "wrong password: the console says 'authentication failed', retry in 30 s"
fi
tries=$(grep -a -c 'fbvnc: connecting to' "$serial")
check "wrong password: the status screen is shown" screen_is 20 10,10=$status_bg
sleep 20
tries2=$(grep -a -c 'fbvnc: connecting to' "$serial")
check "wrong password: no new attempt within 20 s (slow retry)" [ "$tries2" -eq "$tries" ]
qemu_stop
xvnc_stop

# ================================================================ 4: RFB 3.3 and zlib (x11vnc on Xvnc)
xvnc_start 800x600 ffffff 800000
x11port=$((port + 100))
x11vnc -display ":$disp" -rfbport "$x11port" -localhost -rfbversion 3.3 -nopw -forever -shared \
    -noxdamage -o "$scratch/x11vnc.log" > /dev/null 2>&1 &
x11vnc_pid=$!
pids+=("$x11vnc_pid")
for i in $(seq 50); do ss -ltn | grep -q ":$x11port " && break; sleep 0.2; done
oldport=$port port=$x11port
qemu_start "vga=788 fbvnc.encodings=zlib" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz"
port=$oldport
check "RFB 3.3 and zlib (x11vnc): first frame drawn" wait_serial 'fbvnc: first frame drawn' 150
check "RFB 3.3 and zlib: the server's picture" \
    screen_is 30 200,150=ffffff 600,150=800000 200,450=800000 600,450=ffffff
grep -a -i -E 'protocol version|zlib' "$scratch/x11vnc.log" | head -3 | sed 's/^/# x11vnc: /'
qemu_stop
kill "$x11vnc_pid" 2>/dev/null; wait "$x11vnc_pid" 2>/dev/null
xvnc_stop

# ================================================================ 5: a server that accepts and never speaks
# (the half-open case libvncclient alone would wait on forever): the read timeout ends it
silent_port=$((port + 200))
python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
held = []
while True:
    held.append(s.accept()[0])
' "$silent_port" &
silent_pid=$!
pids+=("$silent_pid")
oldport=$port port=$silent_port
qemu_start "vga=788" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz"
port=$oldport
check "silent server: the handshake times out and the viewer retries" \
    wait_serial 'fbvnc: .*handshake failed: Connection timed out; retrying' 90
check "silent server: the status screen is shown meanwhile" screen_is 20 10,10=$status_bg
qemu_stop
kill "$silent_pid" 2>/dev/null; wait "$silent_pid" 2>/dev/null

# ================================================================ 6: vnc-tiny: the floppy-size kernel
# (no block layer, no modules: kernel + base + fbvnc <= 1,474,560 bytes) draws and types too
xvnc_start 800x600 00ff00 ff00ff
kernel=linux-floppy qemu_start "vga=788" "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz"
if wait_serial 'fbvnc: first frame drawn' 150 && fb_is 800x600x16 && grep -a -q 'Linux version [^ ]*-floppy' "$serial"; then
    ok "vnc-tiny on linux-floppy: first frame $(printf %.1f "$(echo "$(date +%s.%N) - $boot_start" | bc)") s after QEMU started"
else
    not_ok "vnc-tiny on linux-floppy: first frame drawn on an 800x600x16 framebuffer"
fi
check "vnc-tiny: the server's picture on the guest screen" \
    screen_is 30 200,150=00ff00 600,150=ff00ff 200,450=ff00ff 600,450=00ff00
xev_start
qmp keys a 1 ret
sleep 2
keys=$(xev_keys)
check "vnc-tiny: PS/2 keys reach the X server" eval '[[ "$keys" == *"0x61,a"*"0x31,1"*"0xff0d,Return"* ]]'
xev_stop
qemu_stop
xvnc_stop

tap_end
