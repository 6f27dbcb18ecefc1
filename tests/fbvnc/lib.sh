# tests/fbvnc/lib.sh - what the fbvnc and fbvnc-ssh tests share: a TigerVNC
# Xvnc on the host showing a known picture, QEMU booting a layer stack with a
# QMP socket, and checks on the serial log and on QMP screendumps.
# The sourcing script sets: scratch (a scratch dir), rel (the release dir),
# accel, pids (array: every pid here is appended, for its cleanup), disp and
# port (the X display and its VNC port, once chosen).

helper() { python3 "$(dirname "${BASH_SOURCE[0]}")/fbvnc-test.py" "$@"; }

status_bg=202838   # the viewer's status screen background

# A free display number (its VNC port is 5900 + N).
pick_display() {
    local d
    for d in $(seq 41 79); do
        [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] && continue
        ss -ltn 2>/dev/null | grep -q ":$((5900 + d)) " && continue
        echo "$d"; return 0
    done
    return 1
}

# xvnc_start GEOMETRY FG BG [PASSWORD]: Xvnc on :$disp, port $port, listening on
# the loopback only, root tiled with the quadrant bitmap (FG top-left and
# bottom-right); sets xvnc_pid.
xvnc_start() {
    local geo=$1 fg=$2 bg=$3 pw=${4:-} w h i
    local sec=(-SecurityTypes None)
    if [ -n "$pw" ]; then
        printf '%s\n' "$pw" | vncpasswd -f > "$scratch/vncpasswd"
        sec=(-SecurityTypes VncAuth -PasswordFile "$scratch/vncpasswd")
    fi
    Xvnc ":$disp" -geometry "$geo" -depth 24 -rfbport "$port" -localhost -AlwaysShared \
        -nolisten tcp "${sec[@]}" >> "$scratch/xvnc.log" 2>&1 &
    xvnc_pid=$!
    pids+=("$xvnc_pid")
    for i in $(seq 50); do
        DISPLAY=:$disp xsetroot -solid black 2>/dev/null && break
        sleep 0.2
    done
    w=${geo%x*} h=${geo#*x}
    helper xbm "$w" "$h" $((w / 2)) $((h / 2)) > "$scratch/quad.xbm"
    DISPLAY=:$disp xsetroot -bitmap "$scratch/quad.xbm" -fg "#$fg" -bg "#$bg"
}

xvnc_stop() {
    kill "$xvnc_pid" 2>/dev/null
    wait "$xvnc_pid" 2>/dev/null
}

# boot_stack CMDLINE LAYER...: boot the release kernel $kernel (default linux-pc,
# the kernel of vnc and vnc-ssh) with the layers stacked,
# in the background: serial log $serial, QMP socket $qmp, the command line kept
# in $scratch/cmdline; sets qemu_pid and boot_start.
boot_stack() {
    local cmdline=$1 i; shift
    n_boot=$((${n_boot:-0} + 1))
    cat "$@" > "$scratch/stack.cpio"
    serial=$scratch/serial-$n_boot.log
    qmp=$scratch/qmp-$n_boot.sock
    : > "$serial"
    printf '%s\n' "$cmdline" > "$scratch/cmdline"
    qemu-system-i386 -accel "$accel" -m 96 -vga std -display none -monitor none -no-reboot \
        -serial "file:$serial" -qmp "unix:$qmp,server=on,wait=off" \
        -kernel "$rel/${kernel:-linux-pc}.bzImage" -initrd "$scratch/stack.cpio" -append "$cmdline" \
        -netdev user,id=n0 -device e1000,netdev=n0 > "$scratch/qemu.log" 2>&1 &
    qemu_pid=$!
    pids+=("$qemu_pid")
    boot_start=$(date +%s.%N)
    for i in $(seq 50); do [ -S "$qmp" ] && break; sleep 0.1; done
}

qemu_stop() {
    kill "$qemu_pid" 2>/dev/null
    wait "$qemu_pid" 2>/dev/null
}

# wait_serial REGEX TIMEOUT [COUNT]: the serial log has COUNT (default 1)
# lines matching REGEX; gives up at a kernel panic or when QEMU is gone.
wait_serial() {
    local re=$1 limit=$2 count=${3:-1}
    local deadline=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$(grep -a -c -E "$re" "$serial")" -ge "$count" ] && return 0
        grep -a -q 'Kernel panic' "$serial" && break
        kill -0 "$qemu_pid" 2>/dev/null || break
        sleep 0.5
    done
    echo "# no '$re' (x$count) within ${limit}s; serial log ends:"
    tail -n 12 "$serial" | sed 's/^/#   /'
    return 1
}

fb_is() {   # fb_is WxHxBPP: what the viewer's first-frame line says it drew on
    local line
    line=$(grep -a -m1 'fbvnc: first frame drawn' "$serial")
    echo "# ${line#*fbvnc: }"
    case "$line" in *" $1 framebuffer"*) return 0 ;; esac
    return 1
}

screen_is() {   # screen_is TIMEOUT X,Y=RRGGBB...: a QMP screendump shows these colours
    local t=$1; shift
    helper expect "$qmp" "$scratch/screen.ppm" "$t" "$@"
}

qmp() { helper qmp "$qmp" "$@"; }
