#!/usr/bin/env bash
# Crash safety (TAP): builds of the fixture tree killed with SIGKILL at random
# points leave output/release either as it was or complete (its SHA256SUMS
# verify), never half-written, and the next build succeeds.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/fixture.sh"

scratch_dir crash
tree=$scratch/tree
fixture_copy "$scratch"
rel=$tree/output/release

release_whole() {   # absent, or every file listed in SHA256SUMS is there and intact
    [ ! -e "$rel" ] && return 0
    [ -f "$rel/SHA256SUMS" ] && (cd "$rel" && sha256sum --quiet -c SHA256SUMS) > /dev/null 2>&1
}

RANDOM=42   # the same "random" kill points on every run
for round in 1 2 3 4 5 6 7 8; do
    # every round changes an input, so each build has real work to do
    echo "round $round" > "$tree/overlays/lay/etc/motd"
    [ $((round % 2)) -eq 0 ] && touch "$tree/recipes/hello/slow" || rm -f "$tree/recipes/hello/slow"
    echo "# round $round" >> "$tree/recipes/hello/build"
    delay=$(printf '0.%03d' $((RANDOM % 1000)))
    (cd "$tree" && exec "$tb" --cache "$scratch/cache" build) > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if release_whole; then ok "round $round: killed after ${delay}s, release is whole"; else not_ok "round $round: release half-written after a kill at ${delay}s"; fi
done
(cd "$tree" && "$tb" --cache "$scratch/cache" build) > /dev/null 2> "$scratch/err"
rc=$?
if [ $rc -eq 0 ] && release_whole && grep -q 'round 8' <(xz -dc "$rel/lay.cpio.xz" | cpio -i --to-stdout --quiet etc/motd); then
    ok "a build after the kills succeeds and is current"
else
    not_ok "a build after the kills fails (rc=$rc)"; sed 's/^/# /' "$scratch/err" | tail -5
fi
if [ -z "$(ls -A "$tree/output" | grep '^\.release\.')" ]; then ok "no staging directories left behind"; else not_ok "staging directories left behind"; fi
tap_end
