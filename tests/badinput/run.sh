#!/usr/bin/env bash
# The bad-input corpus (TAP): every case in tests/badinput/cases/ is a
# malformed recipe, clients file, layer spec or argument list, run against the
# normal and the ASan+UBSan build of tinynetboot. A case passes when the tool
# exits 2, stderr holds every line of the case's `expect` (fixed strings,
# FILE:LINE included), output/ is exactly as it was (same files, sizes, modes
# and mtimes; a case's may-change file can exempt paths such as a build log),
# no *.tmp.* file is left anywhere in the tree, and (ASan build)
# no sanitizer report. See tests/badinput/README for the case format.
#
#   tests/badinput/run.sh [CASE-NAME-SUBSTRING...]   only the matching cases
#   BADINPUT_BINS="path..."                           other builds of the tool
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/fixture.sh"
read -r -a bins <<<"${BADINPUT_BINS:-$top/output/bin/tinynetboot $top/output/asan/tinynetboot}"
export LC_ALL=C   # strerror() texts in the expected messages are the C locale's
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

scratch_dir badinput

# The starting point of every case: the CLI fixture tree (tests/cli/tree,
# whose kernel is fake), already built with the normal binary, so output/
# holds a release, logs and a work dir, and the cache holds every entry.
mkdir -p "$scratch/base"
fixture_copy "$scratch/base"
mkdir -p "$scratch/base/tree/output/release/sites"
fixture_build "$scratch/base" "${bins[0]}"

# output/ as one line per entry: path, type, size, mode, mtime; without the
# paths the case's may-change file allows (shell patterns, one a line).
listing() {
    local pats=() p path rest
    [ -f "$2/may-change" ] && mapfile -t pats < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$2/may-change")
    (cd "$1" && find output -printf '%p %y %s %m %T@\n' | sort) | while read -r path rest; do
        for p in "${pats[@]}"; do
            # shellcheck disable=SC2053
            [[ $path == $p ]] && continue 2
        done
        echo "$path $rest"
    done
}

cases=()
for c in "$here"/cases/*/; do
    c=${c%/}
    if [ $# -gt 0 ]; then
        keep=0
        for pat in "$@"; do case ${c##*/} in *"$pat"*) keep=1 ;; esac; done
        [ $keep -eq 1 ] || continue
    fi
    cases+=("$c")
done
echo "# ${#cases[@]} cases, ${#bins[@]} builds of the tool"

for tb in "${bins[@]}"; do
    kind=$(basename "$(dirname "$tb")")
    for c in "${cases[@]}"; do
        name=${c##*/}
        w=$scratch/work
        rm -rf "$w"
        cp -a "$scratch/base" "$w"
        [ -d "$c/tree" ] && cp -r "$c/tree/." "$w/tree/"
        problems=()
        if [ ! -f "$c/cmd" ] || [ ! -s "$c/expect" ]; then
            not_ok "$kind: $name (the case needs a cmd file and a non-empty expect file)"
            continue
        fi
        # cmd: the arguments after `tinynetboot --cache CACHE`, quoted as for
        # xargs ('...', "..." or backslash); lines starting with # are comments.
        args=()
        mapfile -d '' args < <(grep -v '^[[:space:]]*#' "$c/cmd" | xargs -r printf '%s\0')
        before=$(listing "$w/tree" "$c")
        (cd "$w/tree" && "$tb" --cache "$w/cache" "${args[@]}") > "$w/stdout" 2> "$w/stderr" < /dev/null
        rc=$?
        [ "$rc" -eq 2 ] || problems+=("exit status $rc, expected 2")
        while IFS= read -r want || [ -n "$want" ]; do
            [ -z "$want" ] && continue
            grep -q -F -- "$want" "$w/stderr" || problems+=("stderr lacks: $want")
        done < "$c/expect"
        after=$(listing "$w/tree" "$c")
        if [ "$before" != "$after" ]; then
            problems+=("output/ changed:")
            while IFS= read -r l; do problems+=("  $l"); done < <(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -10)
        fi
        tmps=$(find "$w/tree" -name '*.tmp.*' | head -3)
        [ -z "$tmps" ] || problems+=("temporary files left: $tmps")
        if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$w/stderr"; then
            problems+=("sanitizer report")
        fi
        if [ ${#problems[@]} -eq 0 ]; then
            ok "$kind: $name"
        else
            not_ok "$kind: $name"
            printf '#   %s\n' "${problems[@]}"
            echo "#   tinynetboot ${args[*]}"
            sed 's/^/#   stderr: /' "$w/stderr" | head -10
        fi
    done
done
tap_end
