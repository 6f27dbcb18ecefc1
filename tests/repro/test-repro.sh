#!/usr/bin/env bash
# Reproducibility (TAP): build the whole release a second time, from a copy
# of the tree in another directory, with an empty build cache (only the
# verified source downloads are shared) and the same SOURCE_DATE_EPOCH; every
# artifact must be byte-identical to output/release.
# Kernels are the long step (4 to 14 minutes each here): the second build
# compiles the release's first kernel (linux-pc: with modules) and reuses the
# first build's cache entries of the others, unless REPRO_ALL_KERNELS=1. Every
# kernel is built by the same script from the same source tree, so one proves
# the kernel path; the others' bytes are still compared below.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# the same default as the builder's
if [ -n "${TINYNETBOOT_CACHE:-}" ]; then cache=$TINYNETBOOT_CACHE
elif [ -n "${XDG_CACHE_HOME:-}" ]; then cache=$XDG_CACHE_HOME/tinynetboot
else cache=$HOME/.cache/tinynetboot; fi

scratch=$(mktemp -d /tmp/tnb-repro.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tree" "$scratch/cache"
# the tracked files only: what a fresh clone has
(cd "$top" && git ls-files -z | xargs -0 cp -P --parents -t "$scratch/tree")
ln -s "$cache/sources" "$scratch/cache/sources"
# shellcheck disable=SC2046
set -- $(awk '$1 == "kernels" { $1 = ""; print }' "$top/recipes/release/recipe")
shift   # the first kernel is rebuilt
reused=
if [ "${REPRO_ALL_KERNELS:-0}" != 1 ]; then
    mkdir -p "$scratch/cache/build"
    for k in "$@"; do   # an entry of another key is simply not used
        for e in "$cache/build/$k"-*; do
            [ -d "$e" ] && cp -al "$e" "$scratch/cache/build/"
        done
        reused="$reused $k"
    done
fi

. "$top/tests/lib/tap.sh"
start=$(date +%s)
if (cd "$scratch/tree" && "$top/output/bin/tinynetboot" --cache "$scratch/cache" build) > "$scratch/build.log" 2>&1; then
    n=$((n + 1)); echo "ok $n - second build from scratch in $scratch/tree ($(( $(date +%s) - start )) s; kernels reused from the first build:${reused:- none})"
else
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - second build failed"
    tail -n 30 "$scratch/build.log" | sed 's/^/# /'
fi
# every artifact the build wrote (SHA256SUMS lists them), and SHA256SUMS itself; the menus
# and loaders are `tinynetboot menu`'s (their determinism is tested in tests/cli/test-menu.sh)
for f in SHA256SUMS $(awk '{print $2}' "$top/output/release/SHA256SUMS"); do
    n=$((n + 1))
    if cmp -s "$top/output/release/$f" "$scratch/tree/output/release/$f"; then
        echo "ok $n - $f is byte-identical"
    else
        failed=$((failed + 1)); echo "not ok $n - $f differs between the two builds"
        cmp "$top/output/release/$f" "$scratch/tree/output/release/$f" 2>&1 | sed 's/^/# /'
    fi
done
tap_end
