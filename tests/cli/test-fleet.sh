#!/usr/bin/env bash
# `tinynetboot menu` for a fleet (TAP), on the fixture tree of test-menu.sh:
# a clients file of 10,000 machines in 250 rooms (tests/cli/gen-fleet.sh) gives
# one per-MAC PXELINUX and GRUB config per machine, each its own entry and a
# way into the shared menu (not a copy of it), configs every real checker
# accepts (dnsmasq --test, kea-dhcp4 -t, dhcpd -t) with 10,000 dhcp-host lines /
# reservations / host blocks, dnsmasq's TFTP sized for the fleet (tftp-max,
# tftp-mtu, the --tftp-max / --tftp-mtu options and their bad values, exit 2),
# in seconds. The normal build only: the ASan build runs test-menu.sh's
# clients file.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/fixture.sh"
# far above what 10,000 clients take (about 3 s on a busy 2-core machine, most
# of it the kernel creating 20,000 files): catches quadratic work, not noise
limit=${FLEET_LIMIT_S:-20}

scratch_dir fleet
tree=$scratch/tree
rel=$tree/output/release
fixture_release "$scratch"
mkdir -p "$rel/sites"
"$tb" layer -o "$rel/sites/room.cpio.xz" --file /etc/hostname:/etc/room
printf 'Room-Secret-7\n' > "$scratch/room.pass"

run_menu() {
    (cd "$tree" && "$tb" menu --no-loaders "$@") > "$scratch/out" 2> "$scratch/err"
    rc=$?
}
checkers_accept() {
    dnsmasq --test -C "$rel/dnsmasq.conf" > /dev/null 2>&1 && kea-dhcp4 -t "$rel/kea-dhcp4.json" > /dev/null 2>&1 &&
        dhcpd -t -cf "$rel/dhcpd.conf" > /dev/null 2>&1
}
count() { find "$rel/$1" -maxdepth 1 -name "$2" | wc -l; }

# --- dnsmasq's TFTP: defaults, options, bad values -----------------------------------
printf 'client 52:54:00:00:00:01 one\n    image img\n' > "$scratch/one"
run_menu --clients "$scratch/one"
check "small site: menu succeeds" [ "$rc" -eq 0 ]
check "small site: tftp-max=50 (dnsmasq's own, the floor)" grep -qx 'tftp-max=50' "$rel/dnsmasq.conf"
check "tftp-mtu=1500 by default (a block fits one Ethernet frame)" grep -qx 'tftp-mtu=1500' "$rel/dnsmasq.conf"
check "dnsmasq --test accepts it" bash -c "dnsmasq --test -C '$rel/dnsmasq.conf' > /dev/null 2>&1"
run_menu --clients "$scratch/one" --tftp-max 300 --tftp-mtu 0 --dhcp-mode proxy
check "--tftp-max 300 --tftp-mtu 0: tftp-max=300, no tftp-mtu line" \
    bash -c "[ $rc -eq 0 ] && grep -qx 'tftp-max=300' '$rel/dnsmasq.conf' && ! grep -q '^tftp-mtu' '$rel/dnsmasq.conf'"
check "dnsmasq --test accepts it (proxy mode)" bash -c "dnsmasq --test -C '$rel/dnsmasq.conf' > /dev/null 2>&1"
run_menu --tftp-mtu 9000
check "--tftp-mtu 9000 (jumbo frames)" bash -c "[ $rc -eq 0 ] && grep -qx 'tftp-mtu=9000' '$rel/dnsmasq.conf'"
cp "$rel/dnsmasq.conf" "$scratch/before"
for bad in "--tftp-max 0" "--tftp-max 65536" "--tftp-max ten" "--tftp-max -1" "--tftp-max 12x" "--tftp-mtu 100" \
    "--tftp-mtu 1500.5" "--tftp-mtu -1"; do
    # shellcheck disable=SC2086
    run_menu $bad
    check "$bad: exit 2, a message naming the option, nothing written" \
        bash -c "[ $rc -eq 2 ] && grep -q -- '${bad%% *} \"' '$scratch/err' && cmp -s '$scratch/before' '$rel/dnsmasq.conf'"
done

# --- 10,000 clients -------------------------------------------------------------------
"$here/gen-fleet.sh" 10000 img sites/room.cpio.xz > "$scratch/fleet"
start=$(date +%s.%N)
run_menu --clients "$scratch/fleet" --subnet 10.8.0.0/16 --server-ip 10.8.0.1
secs=$(echo "$(date +%s.%N) - $start" | bc)
check "10,000 clients: menu succeeds" [ "$rc" -eq 0 ]
check "10,000 clients: it says so" grep -q '(10000 per-MAC clients)' "$scratch/err"
echo "# menu for 10,000 clients in 250 rooms: $secs s"
check "10,000 clients: menu in under $limit s ($secs s)" bash -c "echo '$secs < $limit' | bc | grep -qx 1"
check "10,000 PXELINUX per-MAC files" [ "$(count pxelinux.cfg '01-*')" -eq 10000 ]
check "10,000 GRUB per-MAC files" [ "$(count grub 'grub.cfg-01-*')" -eq 10000 ]
check "10,000 iPXE per-MAC scripts" [ "$(count ipxe '01-*.ipxe')" -eq 10000 ]
ipxe_size=$(stat -c %s "$rel/boot.ipxe")
echo "# boot.ipxe for 10,000 clients: $ipxe_size bytes"
check "boot.ipxe stays the shared menu's size with 10,000 clients: no client in it, < 64 KB ($ipxe_size bytes)" \
    bash -c "[ $ipxe_size -lt 65536 ] && ! grep -q 'client-' '$rel/boot.ipxe' && [ \$(grep -c '^item group-room-' '$rel/boot.ipxe') -eq 250 ]"
check "boot.ipxe chains the client's own script by \${mac:hexhyp}, then the menu" \
    bash -c "grep -A1 -x 'chain --autofree ipxe/01-\${mac:hexhyp}.ipxe ||' '$rel/boot.ipxe' | grep -q '^\$' && grep -qx ':menu' '$rel/boot.ipxe'"
check "iPXE per-MAC: the client's own entry, paths from ipxe/ to the release (../), back to the menu on failure" \
    bash -c "grep -qx 'kernel ../kern.bzImage quiet fixture=1 room=249 || goto failed' '$rel/ipxe/01-52-54-00-00-27-0f.ipxe' && grep -qx 'initrd ../sites/room.cpio.xz || goto failed' '$rel/ipxe/01-52-54-00-00-27-0f.ipxe' && tail -1 '$rel/ipxe/01-52-54-00-00-27-0f.ipxe' | grep -qx 'exit 1' && [ \$(stat -c %s '$rel/ipxe/01-52-54-00-00-27-0f.ipxe') -lt 2048 ]"
check "no temporary file left" [ "$(find "$rel" -name '*.tmp.*' | wc -l)" -eq 0 ]
check "a per-MAC file is its client's size, not the shared menu's (< 2 KB)" \
    [ "$(stat -c %s "$rel/pxelinux.cfg/01-52-54-00-00-27-0f")" -lt 2048 -a "$(stat -c %s "$rel/grub/grub.cfg-01-52-54-00-00-27-0f")" -lt 2048 ]
check "PXELINUX per-MAC: the client's entry is the default, then the shared menu" \
    bash -c "grep -A4 'MENU DEFAULT' '$rel/pxelinux.cfg/01-52-54-00-00-27-0f' | grep -qx '  APPEND quiet fixture=1 room=249' && grep -qx '  CONFIG pxelinux.cfg/default' '$rel/pxelinux.cfg/01-52-54-00-00-27-0f'"
check "GRUB per-MAC: default the client, configfile the shared menu" \
    bash -c "grep -qx 'set default=client-52-54-00-00-27-0f' '$rel/grub/grub.cfg-01-52-54-00-00-27-0f' && grep -qx '    configfile /grub/grub.cfg' '$rel/grub/grub.cfg-01-52-54-00-00-27-0f'"
check "the shared menus: 250 rooms, no client entry" \
    bash -c "[ \$(grep -c '^LABEL group-room-' '$rel/pxelinux.cfg/default') -eq 250 ] && ! grep -q 'client-' '$rel/pxelinux.cfg/default' && [ \$(grep -c '^menuentry .* --id group-room-' '$rel/grub/grub.cfg') -eq 250 ] && ! grep -q 'client-' '$rel/grub/grub.cfg'"
check "dnsmasq.conf: 10,000 dhcp-host lines, tftp-max=1000 (the ceiling)" \
    bash -c "[ \$(grep -c '^dhcp-host=' '$rel/dnsmasq.conf') -eq 10000 ] && grep -qx 'tftp-max=1000' '$rel/dnsmasq.conf'"
check "kea-dhcp4.json: 10,000 reservations; dhcpd.conf: 10,000 host blocks" \
    bash -c "[ \$(grep -c '\"hw-address\"' '$rel/kea-dhcp4.json') -eq 10000 ] && [ \$(grep -c '^host ' '$rel/dhcpd.conf') -eq 10000 ]"
check "dnsmasq --test, kea-dhcp4 -t and dhcpd -t accept the 10,000-client configs" checkers_accept
start=$(date +%s.%N)
run_menu --clients "$scratch/fleet" --subnet 10.8.0.0/16 --server-ip 10.8.0.1
again=$(echo "$(date +%s.%N) - $start" | bc)
check "again, nothing changed: menu succeeds in under $limit s ($again s), files untouched" \
    bash -c "[ $rc -eq 0 ] && echo '$again < $limit' | bc | grep -qx 1"

# 1,000 clients in 25 rooms with a password (salts are new on every run, so
# every per-MAC file changes): a room's clients share its hashes
"$here/gen-fleet.sh" 1000 img sites/room.cpio.xz "$scratch/room.pass" > "$scratch/fleet1k"
# the fleet shrinks from 10,000 to these 1,000: the 9,000 others' per-MAC configs
# must go (a loader takes the per-MAC file first: a removed client would keep
# booting its old entry); a site's own file there, without menu's banner, stays
printf 'DEFAULT local\n' > "$rel/pxelinux.cfg/01-aa-bb-cc-dd-ee-ff"
run_menu --clients "$scratch/fleet1k"
per_mac_counts() {
    echo "$(find "$rel/pxelinux.cfg" -name '01-52-54-*' | wc -l) $(find "$rel/grub" -name 'grub.cfg-01-*' | wc -l) $(find "$rel/ipxe" -name '01-*.ipxe' | wc -l)"
}
check "10,000 -> 1,000 clients: 1,000 per-MAC configs left in each of pxelinux.cfg/ grub/ ipxe/ ($(per_mac_counts))" \
    [ "$(per_mac_counts)" = "1000 1000 1000" ]
check "10,000 -> 1,000 clients: menu says it removed the 27,000 others" \
    grep -q 'removed 27000 per-MAC configs of clients no longer in the clients file' "$scratch/err"
check "a per-MAC file without menu's banner (a site's own) is left alone" \
    grep -qx 'DEFAULT local' "$rel/pxelinux.cfg/01-aa-bb-cc-dd-ee-ff"
check "1,000 clients: tftp-max=1000, 1,000 dhcp-host lines" \
    bash -c "[ $rc -eq 0 ] && grep -qx 'tftp-max=1000' '$rel/dnsmasq.conf' && [ \$(grep -c '^dhcp-host=' '$rel/dnsmasq.conf') -eq 1000 ]"
check "1,000 clients: the checkers accept" checkers_accept
echo "# boot.ipxe for 1,000 clients: $(stat -c %s "$rel/boot.ipxe") bytes"
check "1,000 clients: boot.ipxe < 16 KB, the last client's iPXE script there ($(stat -c %s "$rel/boot.ipxe") bytes)" \
    bash -c "[ \$(stat -c %s '$rel/boot.ipxe') -lt 16384 ] && grep -q 'room=24' '$rel/ipxe/01-52-54-00-00-03-e7.ipxe'"
check "GRUB per-MAC with passwords: only its own password_pbkdf2 line, the shared menu --unrestricted" \
    bash -c "[ \$(grep -c '^password_pbkdf2 ' '$rel/grub/grub.cfg-01-52-54-00-00-03-e7') -eq 1 ] && grep -q \"^menuentry 'Other images...' --id shared-menu --unrestricted\" '$rel/grub/grub.cfg-01-52-54-00-00-03-e7'"
check "the shared GRUB menu: the 25 rooms' password lines, none of a client" \
    bash -c "[ \$(grep -c '^password_pbkdf2 group-room-' '$rel/grub/grub.cfg') -eq 25 ] && [ \$(grep -c '^password_pbkdf2 ' '$rel/grub/grub.cfg') -eq 25 ]"
check "a room's clients share its password hash (hashed once per room, not per client)" \
    bash -c "[ \"\$(grep '^  MENU PASSWD' '$rel/pxelinux.cfg/01-52-54-00-00-00-00')\" = \"\$(grep -A3 '^LABEL group-room-0\$' '$rel/pxelinux.cfg/default' | grep '^  MENU PASSWD')\" ]"
check "the password never leaks" bash -c "! grep -rq 'Room-Secret-7' '$rel'"

tap_end
