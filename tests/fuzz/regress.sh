#!/usr/bin/env bash
# Replays every corpus input (seeds and crashes kept as regressions) through
# each libFuzzer harness once, as TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 failed=0
for dir in "$top"/tests/fuzz/corpus/*/; do
    name=$(basename "$dir")
    n=$((n + 1))
    count=$(ls "$dir" | wc -l)
    if "$top/output/fuzz/fuzz_$name" -runs=0 "$dir" > /tmp/fuzz-regress.$$ 2>&1; then
        echo "ok $n - fuzz_$name replays its $count corpus inputs cleanly"
    else
        failed=$((failed + 1)); echo "not ok $n - fuzz_$name fails on its corpus"
        tail -n 20 /tmp/fuzz-regress.$$ | sed 's/^/# /'
    fi
done
rm -f /tmp/fuzz-regress.$$
echo "1..$n"
[ "$failed" -eq 0 ]
