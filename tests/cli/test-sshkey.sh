#!/usr/bin/env bash
# tests/cli/test-sshkey.sh - `tinynetboot sshkey` (TAP), both builds (normal and
# ASan+UBSan): the site layer it writes (the private key in dropbear's format,
# mode 0600, matching the printed public key; known_hosts), the authorized_keys
# line (restrict,port-forwarding,permitopen=...), fresh keys every run, and bad
# arguments: exit 2, a clear message, nothing written.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
bins=("$top/output/bin/tinynetboot" "$top/output/asan/tinynetboot")
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

scratch_dir sshkey

run_tb() {   # sets rc, out, err
    (cd "$scratch" && "$tb" "$@") > "$scratch/out" 2> "$scratch/err"
    rc=$?
    out=$(cat "$scratch/out")
    err=$(cat "$scratch/err")
}
no_sanitizer_report() { ! grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$scratch/err"; }
nothing_written() { [ -z "$(find "$scratch/w" -mindepth 1 2>/dev/null)" ]; }

# expect_bad LABEL MESSAGE ARGS...: exit 2, the message, nothing written
expect_bad() {
    local label=$1 msg=$2; shift 2
    rm -rf "$scratch/w"; mkdir -p "$scratch/w"
    run_tb sshkey "$@"
    if [ "$rc" -eq 2 ] && grep -q -F -- "tinynetboot: $msg" "$scratch/err" && nothing_written &&
        [ -z "$out" ] && no_sanitizer_report; then
        ok "$kind: $label"
    else
        not_ok "$kind: $label (rc=$rc)"
        echo "$err" | sed 's/^/# /' | head -10
    fi
}

# Files of a layer: "MODE PATH" lines, and one file's contents.
layer_list() { xz -dc "$1" | cpio -itv --quiet 2>/dev/null | awk '{print $1, $NF}'; }
layer_file() { mkdir -p "$scratch/x"; (cd "$scratch/x" && rm -rf ./* && xz -dc "$1" | cpio -id --quiet 2>/dev/null); cat "$scratch/x/$2"; }

# The private key file (dropbear format) is well formed and its private half
# gives the public key printed in the line: openssl derives it (PKCS#8 DER of
# the raw ed25519 seed).
key_matches_line() {
    local key=$1 line=$2
    python3 - "$key" "$line" <<'PY'
import base64, struct, subprocess, sys
k = open(sys.argv[1], "rb").read()
assert len(k) == 83, len(k)
assert k[:15] == struct.pack(">I", 11) + b"ssh-ed25519", k[:15]
assert k[15:19] == struct.pack(">I", 64)
priv, pub = k[19:51], k[51:83]
der = bytes.fromhex("302e020100300506032b657004220420") + priv
derived = subprocess.run(["openssl", "pkey", "-inform", "DER", "-pubout", "-outform", "DER"],
                         input=der, capture_output=True, check=True).stdout[-32:]
assert derived == pub, "private and public halves differ"
fields = sys.argv[2].split()
blob = base64.b64decode(fields[2])
assert fields[1] == "ssh-ed25519"
assert blob == struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + pub, "line's key differs"
PY
}

ssh-keygen -q -t ed25519 -N '' -C srv -f "$scratch/host" 2>/dev/null ||
    python3 -c 'print("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb3WDWuh0vOJRPvBBwPUeDbx/5wNZzRCy/jfwmPXaSJ srv")' > "$scratch/host.pub"
printf 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 rsa\n' > "$scratch/rsa.pub"
printf 'hello\n' > "$scratch/extra"

for tb in "${bins[@]}"; do
    kind=$(basename "$(dirname "$tb")")
    echo "# --- $tb"

    run_tb sshkey --help
    check "$kind: sshkey --help explains it" eval '[ "$rc" -eq 0 ] && [[ "$out" == *permitopen* ]]'
    run_tb --help
    check "$kind: --help lists sshkey" eval '[ "$rc" -eq 0 ] && [[ "$out" == *"sshkey -o FILE"* ]]'

    rm -rf "$scratch/w"; mkdir -p "$scratch/w"
    run_tb sshkey -o w/sites/pc17.cpio.xz --permit localhost:5901 --known-host "10.0.0.5=$scratch/host.pub" \
        --authorized-keys w/ak --file "$scratch/extra:/etc/motd"
    line=$out
    check "$kind: sshkey writes the layer and prints one line (rc=$rc)" \
        eval '[ "$rc" -eq 0 ] && [ -f "$scratch/w/sites/pc17.cpio.xz" ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && no_sanitizer_report'
    check "$kind: the line: restrict,port-forwarding,permitopen, an ed25519 key, the layer's name" \
        eval '[[ "$line" =~ ^restrict,port-forwarding,permitopen=\"localhost:5901\"\ ssh-ed25519\ AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+\ pc17$ ]]'
    check "$kind: --authorized-keys FILE holds the same line" eval '[ "$(cat "$scratch/w/ak")" = "$line" ]'
    check "$kind: a new --authorized-keys FILE is created 0600" eval '[ "$(stat -c %a "$scratch/w/ak")" = 600 ]'
    # an existing authorized_keys keeps its other keys, its mode, and gets the line appended (issue 15)
    printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOther1 admin\nssh-rsa AAAAB3Nza other' > "$scratch/w/ak2"
    chmod 640 "$scratch/w/ak2"
    run_tb sshkey -o w/sites/pc18.cpio.xz --permit localhost:5901 --authorized-keys w/ak2
    check "$kind: --authorized-keys appends to an existing file: other keys, mode kept" \
        eval '[ "$rc" -eq 0 ] && [ "$(sed -n 1p "$scratch/w/ak2")" = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOther1 admin" ] &&
              [ "$(sed -n 2p "$scratch/w/ak2")" = "ssh-rsa AAAAB3Nza other" ] && [ "$(sed -n 3p "$scratch/w/ak2")" = "$out" ] &&
              [ "$(wc -l < "$scratch/w/ak2")" -eq 3 ] && [ "$(stat -c %a "$scratch/w/ak2")" = 640 ]'
    ln -sf ak2 "$scratch/w/aklink"
    rm -f "$scratch/w/linked.cpio.xz"
    run_tb sshkey -o w/linked.cpio.xz --permit localhost:5901 --authorized-keys w/aklink
    check "$kind: --authorized-keys through a symlink is refused before anything is written" \
        eval '[ "$rc" -eq 2 ] && [ ! -e "$scratch/w/linked.cpio.xz" ] && [ "$(wc -l < "$scratch/w/ak2")" -eq 3 ] && grep -q "not a regular file (a symlink" "$scratch/err"'
    check "$kind: the layer file itself is mode 0600 (it holds a secret)" \
        eval '[ "$(stat -c %a "$scratch/w/sites/pc17.cpio.xz")" = 600 ]'
    list=$(layer_list "$scratch/w/sites/pc17.cpio.xz")
    echo "$list" | sed 's/^/#   /'
    check "$kind: the key is /etc/fbvnc-ssh/id_dropbear, mode 0600; known_hosts 0644; --file too" \
        eval 'grep -q -x -- "-rw------- etc/fbvnc-ssh/id_dropbear" <<< "$list" &&
              grep -q -x -- "-rw-r--r-- etc/fbvnc-ssh/known_hosts" <<< "$list" &&
              grep -q -x -- "-rw-r--r-- etc/motd" <<< "$list"'
    layer_file "$scratch/w/sites/pc17.cpio.xz" etc/fbvnc-ssh/id_dropbear > "$scratch/key"
    check "$kind: the key is dropbear's ed25519 format and matches the printed public key" \
        key_matches_line "$scratch/key" "$line"
    check "$kind: known_hosts: \"10.0.0.5 ssh-ed25519 KEY\" from the server's .pub" \
        eval '[ "$(layer_file "$scratch/w/sites/pc17.cpio.xz" etc/fbvnc-ssh/known_hosts)" = "10.0.0.5 $(cut -d" " -f1,2 "$scratch/host.pub")" ]'
    check "$kind: no secret on stdout or stderr" \
        eval '! grep -q -i private "$scratch/out" "$scratch/err"'

    run_tb sshkey -o w/again.cpio.xz --permit localhost:5901 --only-from 10.0.0.17,10.0.1.0/24 --comment "pc 17"
    check "$kind: --only-from adds from=\"...\", --comment sets the comment" \
        eval '[ "$rc" -eq 0 ] && [[ "$out" == "restrict,port-forwarding,permitopen=\"localhost:5901\",from=\"10.0.0.17,10.0.1.0/24\" ssh-ed25519 "*" pc 17" ]]'
    check "$kind: every run makes a new key" eval '[ "$(echo "$out" | cut -d" " -f3)" != "$(echo "$line" | cut -d" " -f3)" ]'
    check "$kind: without --known-host there is no known_hosts in the layer" \
        eval '! layer_list "$scratch/w/again.cpio.xz" | grep -q known_hosts'

    expect_bad "no -o" "sshkey: -o SITE.cpio.xz is required" --permit localhost:5901
    expect_bad "no --permit" "sshkey: --permit HOST:PORT is required" -o w/a.cpio.xz
    expect_bad "--permit without a port" 'sshkey: --permit "localhost": expected HOST:PORT' -o w/a.cpio.xz --permit localhost
    expect_bad "--permit with a bad port" 'sshkey: --permit "localhost:99999": expected HOST:PORT' -o w/a.cpio.xz --permit localhost:99999
    expect_bad "--permit with a quote" 'sshkey: --permit "a"b:1": expected HOST:PORT' -o w/a.cpio.xz --permit 'a"b:1'
    expect_bad "--known-host without =" "--known-host 10.0.0.5: expected HOST=PUBFILE" \
        -o w/a.cpio.xz --permit localhost:5901 --known-host 10.0.0.5
    expect_bad "--known-host with a missing file" "--known-host 10.0.0.5=$scratch/nope.pub: " \
        -o w/a.cpio.xz --permit localhost:5901 --known-host "10.0.0.5=$scratch/nope.pub"
    expect_bad "--known-host with an RSA key" "--known-host 10.0.0.5=$scratch/rsa.pub: $scratch/rsa.pub:1: not an ssh-ed25519 public key" \
        -o w/a.cpio.xz --permit localhost:5901 --known-host "10.0.0.5=$scratch/rsa.pub"
    expect_bad "--only-from with a quote" 'sshkey: --only-from "10.0.0.1"x": expected address patterns' \
        -o w/a.cpio.xz --permit localhost:5901 --only-from '10.0.0.1"x'
    expect_bad "--comment with a newline" "sshkey: --comment: printable text" \
        -o w/a.cpio.xz --permit localhost:5901 --comment $'a\nb'
    expect_bad "a stray argument" 'sshkey: unexpected argument "extra"' -o w/a.cpio.xz --permit localhost:5901 extra
    expect_bad "an unknown option" "sshkey: unknown option or missing value: --bogus" -o w/a.cpio.xz --permit localhost:5901 --bogus
    expect_bad "--file at the key's own path" 'duplicate path "etc/fbvnc-ssh/id_dropbear"' \
        -o w/a.cpio.xz --permit localhost:5901 --file "$scratch/extra:/etc/fbvnc-ssh/id_dropbear"
    expect_bad "a bad --file" "--file nope:/x: cannot read nope" -o w/a.cpio.xz --permit localhost:5901 --file nope:/x
done

tap_end
