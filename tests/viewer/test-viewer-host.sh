#!/usr/bin/env bash
# tests/viewer/test-viewer-host.sh - the fbvnc viewer's code on the host (TAP),
# built natively with ASan+UBSan (no QEMU, seconds):
#   - test_secret.c: the password file reader (secret.c) on an empty file,
#     a lone newline, CR/LF, a long line, a missing file. secret.c is built
#     with -ftrivial-auto-var-init=pattern so that reading an uninitialised
#     buffer overruns it every time (ASan), not only when the stack is unlucky.
# Any ASan/UBSan report fails the test (the program aborts).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/lib/tap.sh"
src=$top/recipes/fbvnc-viewer/src
out=$top/output/test-viewer
mkdir -p "$out"
CFLAGS_HOST=(-std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O1 -g
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
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

tap_end
