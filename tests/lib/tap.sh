# tap.sh — TAP output for the shell tests (source it).
#   ok TEXT / not_ok TEXT      one result line
#   check TEXT CMD...          ok if CMD succeeds, else not ok
#   tap_end                    the plan line; exit status 1 if anything failed
n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check()  { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
tap_end() { echo "1..$n"; [ "$failed" -eq 0 ]; }
