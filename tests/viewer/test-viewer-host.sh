#!/usr/bin/env bash
# tests/viewer/test-viewer-host.sh - the fbvnc viewer's code on the host (TAP),
# built natively with ASan+UBSan (no QEMU, seconds):
#   - test_secret.c: the password file reader (secret.c) on an empty file,
#     a lone newline, CR/LF, a long line, a missing file. secret.c is built
#     with -ftrivial-auto-var-init=pattern so that reading an uninitialised
#     buffer overruns it every time (ASan), not only when the stack is unlucky.
#   - the whole viewer against tests/fbvnc/hostile-rfb.py, every case in turn
#     (one connection each; the viewer reconnects after 1 s, -r 1): built with
#     libvncclient from the release's pinned, patched source (the build cache's
#     tarball and recipes/libvncserver/patches), both with ASan+UBSan, and
#     with tests/viewer/fake_{fb,vt}.c in place of the devices (an
#     800x600x32 framebuffer in memory, no VT switching) and the real input.c
#     on tests/viewer/fake_input.c's evdev devices (FIFOs; never the host's).
#     For each case: a reason (what the status screen shows) matching the
#     case, then a new attempt; at the end SIGTERM ends the viewer with 0.
#   - input devices (tests/viewer/input-devices.py, its own recording VNC
#     server): a keyboard plugged in while the viewer waits to retry, a
#     tablet, mouse and touchscreen plugged in during the session, the
#     tablet unplugged and plugged in again; the KeyEvents and PointerEvents
#     the server gets (absolute positions scaled to its 1001x501 screen,
#     clamped, shared with the mouse), each device opened once.
# Any ASan/UBSan report fails the test (the program aborts).
set -u
. "$(dirname "$0")/../lib/prologue.sh"
src=$top/recipes/fbvnc-viewer/src
out=$top/output/test-viewer
mkdir -p "$out"
SAN=(-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
CFLAGS_HOST=(-std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror "${SAN[@]}")
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0

# ---- secret.c
if gcc "${CFLAGS_HOST[@]}" -ftrivial-auto-var-init=pattern -I"$src" -o "$out/test_secret" \
        "$here/test_secret.c" "$src/secret.c" 2> "$out/test_secret.log"; then
    log=$("$out/test_secret" 2>&1); rc=$?
    sed 's/^/# /' <<< "$log" | grep -v '^# ok' | head -n 30
    check "secret.c: empty, newline-only, CR/LF, long and missing password files (ASan+UBSan, $(grep -c '^ok' <<< "$log") checks)" \
        eval '[ "$rc" -eq 0 ] && ! grep -q "^not ok" <<< "$log"'
else
    not_ok "secret.c test does not build"; sed 's/^/# /' "$out/test_secret.log" | head -n 20
fi

# ---- the viewer against the hostile server
cache=${TINYNETBOOT_CACHE:-$HOME/.cache/tinynetboot}
recipe=$top/recipes/libvncserver
sha=$(awk '$1 == "sha256" {print $2}' "$recipe/recipe")
tarball=$(ls "$cache/sources/$sha/"*.tar.* 2>/dev/null | head -n 1)
key=$( (echo "$sha"; cat "$recipe/patches/"*; echo "${SAN[*]}") | sha256sum | cut -c1-16)
vnc=$out/libvncclient-$key
build_libvncclient() {
    local srcdir=$vnc/src bld=$vnc/build o opts=()
    rm -rf "$vnc"; mkdir -p "$srcdir" "$bld"
    tar -xf "$tarball" -C "$srcdir" --strip-components=1 || return 1
    while read -r p; do
        case $p in ''|'#'*) continue ;; esac
        patch -d "$srcdir" -p1 -s --no-backup-if-mismatch < "$recipe/patches/$p" || return 1
    done < "$recipe/patches/series"
    for o in BUILD_SHARED_LIBS LIBVNCSERVER_INSTALL WITH_OPENSSL WITH_GNUTLS WITH_GCRYPT \
             WITH_JPEG WITH_PNG WITH_SDL WITH_GTK WITH_LIBSSH2 WITH_SYSTEMD WITH_LZO \
             WITH_FFMPEG WITH_XCB WITH_SASL WITH_EXAMPLES WITH_TESTS WITH_THREADS \
             WITH_TIGHTVNC_FILETRANSFER WITH_IPv6 WITH_WEBSOCKETS; do
        opts+=("-D$o=OFF")
    done
    (cd "$bld" && cmake "$srcdir" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS="-DLIBVNCCLIENT_TINY ${SAN[*]}" "${opts[@]}" &&
        make -j2 vncclient) > "$vnc.log" 2>&1
}
viewer=$out/fbvnc-host
if [ -z "$tarball" ]; then
    not_ok "no libvncserver source in $cache/sources/$sha (run make first)"
elif ! { [ -f "$vnc/build/libvncclient.a" ] || build_libvncclient; }; then
    not_ok "libvncclient (ASan) does not build"; tail -n 20 "$vnc.log" | sed 's/^/# /'
elif ! gcc "${CFLAGS_HOST[@]}" -I"$src" -isystem "$vnc/src" -isystem "$vnc/build" -o "$viewer" \
        $(ls "$src"/*.c | grep -v -E '/(fb|vt)\.c$') "$here"/fake_fb.c "$here"/fake_input.c \
        "$here"/fake_vt.c "$vnc/build/libvncclient.a" -lz -Wl,--wrap=open,--wrap=ioctl \
        2> "$out/viewer-build.log"; then
    not_ok "the viewer (host, ASan) does not build"; head -n 20 "$out/viewer-build.log" | sed 's/^/# /'
else
    ok "the viewer and libvncclient build natively with ASan+UBSan"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    : > "$out/cmdline"
    t0=$(date +%s)
    python3 "$top/tests/fbvnc/hostile-rfb.py" "$port" > "$out/hostile.log" 2>&1 &
    srv=$!
    for i in $(seq 50); do grep -q '^listening' "$out/hostile.log" && break; sleep 0.1; done
    "$viewer" -c "$out/cmdline" -r 1 "127.0.0.1:$port" > "$out/viewer.log" 2>&1 &
    vpid=$!
    for i in $(seq 300); do kill -0 "$srv" 2>/dev/null || break; sleep 1; done
    kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
    served=$(grep -c '^case [0-9]* [a-z0-9_]*$' "$out/hostile.log")
    # one more attempt after the last case (the server is gone by then)
    for i in $(seq 20); do
        [ "$(grep -c 'fbvnc: connecting to' "$out/viewer.log")" -gt "$served" ] && break
        kill -0 "$vpid" 2>/dev/null || break
        sleep 0.5
    done
    kill -0 "$vpid" 2>/dev/null && alive=yes || alive=no
    kill -TERM "$vpid" 2>/dev/null; wait "$vpid"; rc=$?
    echo "# $served cases served in $(( $(date +%s) - t0 )) s"
    while read -r verdict name rest; do
        case $verdict in
        PASS) ok "hostile server, ${name%:}: $rest" ;;
        *) not_ok "hostile server, ${name%:}: $rest" ;;
        esac
    done < <(python3 "$top/tests/fbvnc/hostile-rfb.py" check "$out/hostile.log" "$out/viewer.log")
    if grep -q -E 'Sanitizer|runtime error' "$out/viewer.log"; then
        not_ok "hostile server: ASan/UBSan report"
        grep -A 12 -E 'Sanitizer|runtime error' "$out/viewer.log" | head -n 30 | sed 's/^/# /'
    else
        ok "hostile server: no ASan/UBSan report over all $served cases"
    fi
    check "hostile server: the viewer was still running after every case, SIGTERM ended it with 0 (alive: $alive, status $rc)" \
        eval '[ "$alive" = yes ] && [ "$rc" -eq 0 ]'

    # bad settings and no framebuffer: said, and the viewer stays (it used to exit 2)
    # stays_up NAME SECONDS REGEX... : the viewer (env and args after --) is
    # still running after SECONDS and its log matches every REGEX
    stays_up() {
        local name=$1 secs=$2; shift 2
        local res=() log=$out/viewer-stays-$((n + 1)).log pid alive=no rc re good=1
        while [ "$1" != -- ]; do res+=("$1"); shift; done; shift
        env "$@" > "$log" 2>&1 &
        pid=$!
        sleep "$secs"
        kill -0 "$pid" 2>/dev/null && alive=yes
        kill -TERM "$pid" 2>/dev/null; wait "$pid"; rc=$?
        for re in "${res[@]}"; do grep -q -E "$re" "$log" || { good=0; echo "# no /$re/ in:"; sed 's/^/#   /' "$log" | head -n 8; }; done
        check "$name (still running: $alive, status after SIGTERM $rc)" \
            eval '[ "$alive" = yes ] && [ "$rc" -eq 0 ] && [ "$good" = 1 ]'
    }
    echo "fbvnc=10.0.2.2:5901 fbvnc.keymap=DE" > "$out/cmdline-bad"
    stays_up "bad fbvnc.keymap=DE: said, and the viewer waits with the reason instead of exiting" 2 \
        'fbvnc: bad fbvnc.keymap=DE \(a name like us, de, fr\)' \
        'fbvnc: not connecting: bad fbvnc.keymap=DE .*then reboot' -- "$viewer" -c "$out/cmdline-bad"
    echo "fbvnc=10.0.2.2:59x1 fbvnc.encodings=zrle,hextle" > "$out/cmdline-bad2"
    stays_up "typos in fbvnc= and fbvnc.encodings=: both said, the first on the status screen" 2 \
        'fbvnc: bad fbvnc=10.0.2.2:59x1' 'fbvnc: bad fbvnc.encodings=zrle,hextle' \
        'not connecting: bad fbvnc=10.0.2.2:59x1' -- "$viewer" -c "$out/cmdline-bad2"
    stays_up "no framebuffer: said (console and VT text), tried again after 5 s, then the viewer goes on" 7 \
        'fbvnc: no usable framebuffer: .*trying again every 5 s' '^no usable framebuffer: /dev/fb0' \
        'fbvnc: framebuffer /dev/fb0 usable now' 'fbvnc: connecting to 127.0.0.1:5909 .* attempt 1' \
        -- FBVNC_FAKE_FB_FAIL=1 "$viewer" -c "$out/cmdline" 127.0.0.1:9

    # input devices: hotplug, absolute pointers
    result=$(python3 "$here/input-devices.py" "$out" "$viewer")
    while read -r verdict name rest; do
        case $verdict in
        PASS) ok "input devices, ${name%:}: $rest" ;;
        FAIL) not_ok "input devices, ${name%:}: $rest" ;;
        esac
    done <<< "$result"
    status=$(sed -n 's/^status \([0-9-]*\) alive \([a-z]*\)$/\1 \2/p' <<< "$result")
    if grep -q -E 'Sanitizer|runtime error' "$out/viewer-input.log"; then
        not_ok "input devices: ASan/UBSan report"
        grep -A 12 -E 'Sanitizer|runtime error' "$out/viewer-input.log" | head -n 30 | sed 's/^/# /'
    else
        ok "input devices: no ASan/UBSan report"
    fi
    check "input devices: the viewer was still running at the end, SIGTERM ended it with 0 (status, alive: $status)" \
        eval '[ "$status" = "0 yes" ]'
fi

tap_end
