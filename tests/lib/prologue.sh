# prologue.sh — what every shell test starts with (source it first, after `set -u`):
#     . "$(dirname "$0")/../lib/prologue.sh"
# Sets
#   here     the test's directory           top   the top of the tree
#   tb, tnb  output/bin/tinynetboot          rel   output/release, or $RELEASE_VAR's
#                                                  value when the test names one (below)
#   PATH     with /usr/sbin and /sbin (ip, debugfs, mkfs.ext4, sshd live there)
# and sources tap.sh (ok, not_ok, check, tap_end). A test that honours its own
# release variable (USB_RELEASE=DIR ...) sets RELEASE_VAR=USB_RELEASE before
# sourcing this file.
#
#   scratch_dir [NAME]   scratch=$(mktemp -d /tmp/tnb-NAME.XXXXXX), mode 0755
#                        (dnsmasq and lighttpd drop privileges and read it),
#                        with an EXIT trap: every PID in pids[] is killed and
#                        waited for, then cleanup_hook runs (if the test
#                        defines it), then scratch is removed unless KEEP=1.
#                        INT and TERM exit 130 through the same trap.
#   require WHAT...      prerequisites: a command name, or a path (contains /).
#                        If any is missing: one "not ok" line naming all of them,
#                        the plan, exit (the test is not run).
#
# Not yet on it: the boot tests tests/uefi/test-uefi.sh (its prerequisite loop
# is test-usb.sh's: `require`), tests/netboot (both),
# tests/netroot/test-netroot.sh, tests/rescue, tests/run: each kills its QEMU and
# readers its own way (a grace period, then SIGKILL) in its cleanup(), which
# cleanup_hook can take over once each is re-run on the change.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tb=$top/output/bin/tinynetboot
tnb=$tb
rel=$top/output/release
[ -n "${RELEASE_VAR:-}" ] && rel=${!RELEASE_VAR:-$rel}
PATH=$PATH:/usr/sbin:/sbin
. "$top/tests/lib/tap.sh"

pids=()

prologue_cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    declare -F cleanup_hook >/dev/null && cleanup_hook
    if [ -n "${KEEP:-}" ]; then echo "# kept $scratch"; else rm -rf "$scratch"; fi
}

scratch_dir() {
    scratch=$(mktemp -d "/tmp/tnb-${1:-test}.XXXXXX")
    chmod 755 "$scratch"
    trap prologue_cleanup EXIT
    trap 'exit 130' INT TERM
}

require() {
    local w missing=
    for w in "$@"; do
        case $w in
        */*) [ -e "$w" ] || missing="$missing $w" ;;
        *) command -v "$w" >/dev/null || missing="$missing $w" ;;
        esac
    done
    [ -z "$missing" ] && return 0
    not_ok "prerequisites missing:$missing (setup/install-deps; make)"
    tap_end
    exit
}
