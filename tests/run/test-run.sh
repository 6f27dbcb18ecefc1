#!/usr/bin/env bash
# tests/run/test-run.sh — `tinynetboot run IMAGE` (TAP): the release's `shell`
# image booted in QEMU by the command itself, its serial console on stdio.
#   1. BIOS, plain: a command typed into run's stdin (a FIFO) is answered by the
#      client's shell on stdout (the console is the terminal, the prompt is live);
#   2. BIOS with a probe layer as --site, --append and --vnc: the layer's marker
#      shows, with the kernel command line run gave it;
#   3. --uefi: the same probe under OVMF, on the x86_64 UEFI kernel, /sys/firmware/efi
#      present and OVMF's initrd=initrd on the command line.
# Each boot is stopped with SIGTERM to tinynetboot (forwarded to QEMU): exit status
# 143, no QEMU left, no scratch file left (TMPDIR points at our own directory).
# Then bad input: exit 2 and the message. About 2-3 min under TCG on 2 busy cores.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tb=$top/output/bin/tinynetboot
rel=$top/output/release
. "$top/tests/lib/tap.sh"

scratch=$(mktemp -d /tmp/tnb-runtest.XXXXXX)
tbpid=
cleanup() {
    [ -n "$tbpid" ] && kill "$tbpid" 2>/dev/null
    pkill -f "$scratch/tmp/" 2>/dev/null
    exec 3>&- 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$scratch/tmp"
export TMPDIR=$scratch/tmp   # run's scratch directory (the initrd, OVMF's variables) goes here

for f in "$tb" "$rel/linux-pc.bzImage" "$rel/linux-efi.bzImage" "$rel/base.cpio.xz" /usr/share/OVMF/OVMF_CODE_4M.fd; do
    [ -e "$f" ] || { not_ok "prerequisite missing: $f (make)"; tap_end; exit; }
done

# the probe layer: made with `tinynetboot layer`, as a site would
cat > "$scratch/S99runprobe" <<'EOS'
#!/bin/sh
[ "$1" = start ] || exit 0
efi=no; [ -d /sys/firmware/efi ] && efi=yes
echo "TNB-RUN-PROBE uname-r=$(uname -r) uname-m=$(uname -m) efi=$efi cmdline=$(cat /proc/cmdline)" > /dev/console
EOS
"$tb" layer -o "$scratch/probe.cpio.xz" --file "$scratch/S99runprobe:/etc/init.d/S99runprobe:0755" 2>/dev/null ||
    { echo "Bail out! tinynetboot layer"; exit 1; }

# start_run NAME ARGS...: tinynetboot run in the background, stdin from a FIFO we
# hold open on fd 3, stdout+stderr into $scratch/NAME.log
start_run() {
    local name=$1; shift
    log=$scratch/$name.log
    rm -f "$scratch/in"; mkfifo "$scratch/in"
    "$tb" -C "$top" run "$@" < "$scratch/in" > "$log" 2>&1 &
    tbpid=$!
    exec 3> "$scratch/in"
    start=$(date +%s)
}
# wait_for REGEX SECONDS [TYPE]: until the log matches; TYPE is typed into the console every 5 s
wait_for() {
    local re=$1 limit=$2 type=${3:-} t=0
    while [ $t -lt $((limit * 5)) ]; do
        grep -a -q -E "$re" "$log" && return 0
        grep -a -q 'Kernel panic' "$log" && return 1
        kill -0 "$tbpid" 2>/dev/null || return 1
        if [ -n "$type" ] && [ $((t % 25)) -eq 0 ]; then echo "$type" >&3; fi
        sleep 0.2; t=$((t + 1))
    done
    return 1
}
# stop_run LABEL: SIGTERM to tinynetboot; status 143, nothing left running, no file left
stop_run() {
    local label=$1 rc
    kill -TERM "$tbpid"
    wait "$tbpid"; rc=$?
    exec 3>&-
    tbpid=
    sleep 0.5
    local left; left=$(pgrep -a -f "$scratch/tmp/" || true)
    if [ "$rc" -eq 143 ] && [ -z "$left" ] && [ -z "$(ls -A "$scratch/tmp")" ]; then
        ok "$label: SIGTERM forwarded: exit status 143, no QEMU left, no scratch file left"
    else
        not_ok "$label: after SIGTERM: status $rc (want 143), left running: '${left:-none}', files: $(ls -A "$scratch/tmp")"
        pkill -f "$scratch/tmp/" 2>/dev/null
    fi
}
fail_log() { echo "# last lines:"; tail -n 12 "$log" | tr -d '\r' | sed 's/^/# /'; }

# 1. BIOS, plain `run shell`: the shell on the console answers what we type
start_run bios-shell shell
if wait_for 'TNB-RUN-42' 240 'echo TNB-RUN-$((6*7))'; then
    ok "run shell (BIOS): the client's shell answered a command typed on stdin ($(( $(date +%s) - start )) s)"
else
    not_ok "run shell (BIOS): the client's shell answered a command typed on stdin"; fail_log
fi
if grep -q '^run: shell (BIOS): linux-pc.bzImage base.cpio.xz' "$log"; then
    ok "run names what it boots: $(grep -m1 '^run: ' "$log")"
else
    not_ok "run's first line names the kernel and the layers"; fail_log
fi
stop_run "run shell (BIOS)"

# 2. BIOS with --site, --append, --vnc
start_run bios-site shell --site "$scratch/probe.cpio.xz" --append tnbrun.x=1 --vnc 127.0.0.1:5905
if wait_for 'TNB-RUN-PROBE' 240; then
    probe=$(grep -a -m1 -o 'TNB-RUN-PROBE.*' "$log" | tr -d '\r')
    case "$probe" in
    *"uname-r=6.1."*"-pc uname-m=i686 efi=no cmdline=quiet console=ttyS0 fbvnc=10.0.2.2:5905 tnbrun.x=1"*)
        ok "run shell --site (BIOS): the site layer's marker: $probe" ;;
    *) not_ok "run shell --site (BIOS): linux-pc, the image's cmdline, fbvnc=10.0.2.2:5905, --append (got: $probe)" ;;
    esac
else
    not_ok "run shell --site (BIOS): the site layer's marker"; fail_log
fi
stop_run "run shell --site (BIOS)"

# 3. --uefi: OVMF, the image's UEFI kernel (linux-efi, x86_64)
start_run uefi-site shell --uefi --site "$scratch/probe.cpio.xz"
if wait_for 'TNB-RUN-PROBE' 300; then
    probe=$(grep -a -m1 -o 'TNB-RUN-PROBE.*' "$log" | tr -d '\r')
    case "$probe" in
    *"uname-r=6.1."*"-efi uname-m=x86_64 efi=yes "*) ok "run shell --uefi: on the UEFI kernel, EFI firmware: $probe ($(( $(date +%s) - start )) s)" ;;
    *) not_ok "run shell --uefi: linux-efi on x86_64 (got: $probe)" ;;
    esac
else
    not_ok "run shell --uefi: the site layer's marker"; fail_log
fi
# OVMF's loader of QEMU's -kernel/-initrd appends "initrd=initrd" (the EFI stub then
# loads the initrd from OVMF's file system): the boot went through OVMF, not SeaBIOS
if grep -q -a 'TNB-RUN-PROBE .*cmdline=.* initrd=initrd' "$log" && grep -q '^run: shell (UEFI, OVMF): linux-efi.bzImage base.cpio.xz .*probe.cpio.xz;' "$log"; then
    ok "run --uefi: OVMF loaded the kernel and the initrd (initrd=initrd on the command line)"
else
    not_ok "run --uefi: OVMF loaded the kernel and the initrd (initrd=initrd on the command line)"; fail_log
fi
stop_run "run shell --uefi"

# 4. bad input: exit 2 and a message, nothing started
bad() {
    local want=$1; shift
    local out rc
    out=$("$tb" -C "$top" run "$@" 2>&1 </dev/null); rc=$?
    if [ $rc -eq 2 ] && [[ "$out" == *"$want"* ]]; then ok "run $*: exit 2, $want"
    else not_ok "run $*: exit 2 and '$want' (got $rc: $out)"; fi
}
bad 'tinynetboot: unknown image "nope" (' nope
bad 'tinynetboot: --site /nonexistent.cpio.xz: ' shell --site /nonexistent.cpio.xz
mkdir "$scratch/partial"; cp "$rel/bzImage" "$rel/linux-pc.bzImage" "$rel/linux-efi.bzImage" "$rel/base.cpio.xz" "$scratch/partial/"
rm "$scratch/partial/base.cpio.xz"
bad 'no image has its kernels and all its layers' shell --release "$scratch/partial"
bad 'tinynetboot: --mem "3": megabytes' shell --mem 3
bad 'tinynetboot: --vnc "nocolon": expected HOST:PORT' vnc --vnc nocolon
bad 'tinynetboot: run: which image?'
[ -z "$(ls -A "$scratch/tmp")" ] && ok "bad input left no scratch file" || not_ok "bad input left files: $(ls -A "$scratch/tmp")"

tap_end
