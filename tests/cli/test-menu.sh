#!/usr/bin/env bash
# `tinynetboot menu` tests (TAP) on the fixture tree: the emitted configs are
# accepted by the real checkers (dnsmasq --test, kea-dhcp4 -t, dhcpd -t),
# per-MAC files carry their clients' entries, passwords are hashed and never
# leak, and bad clients files / arguments give FILE:LINE errors, exit 2, and
# write nothing. Run for the normal and the ASan+UBSan build.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/fixture.sh"
bins=("$top/output/bin/tinynetboot" "$top/output/asan/tinynetboot")
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

scratch_dir menu
tree=$scratch/tree
rel=$tree/output/release

# The fixture release, built once with the normal binary.
fixture_release "$scratch" "${bins[0]}"
mkdir -p "$rel/sites"
"${bins[0]}" layer -o "$rel/sites/room.cpio.xz" --file /etc/hostname:/etc/room
"${bins[0]}" layer -o "$rel/sites/pc17.cpio.xz" --file /etc/hostname:/etc/pc17
printf 'Plain-Text-Secret-42\n' > "$scratch/room.pass"
cat > "$scratch/clients" <<EOC
# fixture clients file
group room-a
    image    img
    label    Room A thin clients
    cmdline  fbvnc=10.0.0.5:5901
    layer    sites/room.cpio.xz
    password-file $scratch/room.pass

client 52:54:00:12:34:56 pc17
    group    room-a
    cmdline  marker=pc17
    layer    sites/pc17.cpio.xz
client 52-54-00-AB-CD-EF
    image    img
    cmdline  marker=other
EOC

run_menu() {
    (cd "$tree" && "$tb" menu "$@") > "$scratch/out" 2> "$scratch/err"
    rc=$?
}
san_clean() { ! grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$scratch/err"; }
outputs=(pxelinux.cfg/default boot.ipxe grub/grub.cfg dnsmasq.conf kea-dhcp4.json dhcpd.conf)

for tb in "${bins[@]}"; do
    kind=$(basename "$(dirname "$tb")")
    for f in "${outputs[@]}" pxelinux.cfg grub/grub.cfg-01-52-54-00-12-34-56; do rm -rf "${rel:?}/$f"; done
    run_menu --clients "$scratch/clients" --append console=ttyS0 --subnet 10.0.2.0/24 --server-ip 10.0.2.2 --no-loaders
    check "$kind: menu succeeds" [ "$rc" -eq 0 ]
    check "$kind: no sanitizer report" san_clean
    for f in "${outputs[@]}"; do check "$kind: $f written" [ -s "$rel/$f" ]; done
    check "$kind: dnsmasq --test accepts dnsmasq.conf" bash -c "dnsmasq --test -C '$rel/dnsmasq.conf' 2>/dev/null"
    check "$kind: kea-dhcp4 -t accepts kea-dhcp4.json" bash -c "kea-dhcp4 -t '$rel/kea-dhcp4.json' >/dev/null 2>&1"
    check "$kind: dhcpd -t accepts dhcpd.conf" bash -c "dhcpd -t -cf '$rel/dhcpd.conf' >/dev/null 2>&1"
    p=$rel/pxelinux.cfg
    check "$kind: PXELINUX per-MAC file for pc17" [ -f "$p/01-52-54-00-12-34-56" -a -f "$p/01-52-54-00-ab-cd-ef" ]
    check "$kind: PXELINUX stacks image, group and client layers in order" \
        grep -q '^  INITRD lay.cpio.xz,sites/room.cpio.xz,sites/pc17.cpio.xz$' "$p/01-52-54-00-12-34-56"
    check "$kind: PXELINUX: the client's entry is its default, with image+append+group+client cmdline" \
        bash -c "grep -A4 'MENU DEFAULT' '$p/01-52-54-00-12-34-56' | grep -q 'APPEND quiet fixture=1 console=ttyS0 fbvnc=10.0.0.5:5901 marker=pc17'"
    check "$kind: PXELINUX: two MACs, two different entries" \
        bash -c "! cmp -s '$p/01-52-54-00-12-34-56' '$p/01-52-54-00-ab-cd-ef' && grep -q 'marker=other' '$p/01-52-54-00-ab-cd-ef'"
    check "$kind: PXELINUX: group password is SHA-512 crypt" grep -q '^  MENU PASSWD \$6\$[./A-Za-z0-9]\{16\}\$[./A-Za-z0-9]\{86\}$' "$p/default"
    check "$kind: GRUB: password is PBKDF2 and entries are protected" \
        bash -c "grep -q '^password_pbkdf2 group-room-a grub.pbkdf2.sha512.10000.[0-9A-F]*\.[0-9A-F]*$' '$rel/grub/grub.cfg' && grep -q -- '--users group-room-a' '$rel/grub/grub.cfg' && grep -q -- '--unrestricted' '$rel/grub/grub.cfg'"
    check "$kind: GRUB per-MAC config" grep -q 'set default=client-52-54-00-12-34-56' "$rel/grub/grub.cfg-01-52-54-00-12-34-56"
    check "$kind: iPXE: boot.ipxe chains the per-MAC script, which has one initrd line per layer" \
        bash -c "grep -qx 'chain --autofree ipxe/01-\${mac:hexhyp}.ipxe ||' '$rel/boot.ipxe' && ! grep -q 'client-' '$rel/boot.ipxe' && [ \$(sed -n '/^:client-52-54-00-12-34-56/,/^boot/p' '$rel/ipxe/01-52-54-00-12-34-56.ipxe' | grep -c '^initrd \.\./') -eq 3 ]"
    check "$kind: iPXE leaves password-protected entries out of its menu" bash -c "! grep -q '^item group-room-a' '$rel/boot.ipxe'"
    check "$kind: no output contains the plaintext password" bash -c "! grep -r -q 'Plain-Text-Secret-42' '$rel'"
    check "$kind: dnsmasq tags iPXE, BIOS and x86-64 EFI" \
        bash -c "grep -q '^dhcp-match=set:ipxe,175' '$rel/dnsmasq.conf' && grep -q 'client-arch,7' '$rel/dnsmasq.conf' && grep -q '^dhcp-boot=tag:!ipxe,tag:bios,pxelinux.0' '$rel/dnsmasq.conf'"
    check "$kind: dhcpd.conf compares client-arch as two bytes (a bare 7 is one octet: UEFI PXE got pxelinux.0)" \
        grep -q '^  } elsif option client-arch = 00:07 or option client-arch = 00:09 {$' "$rel/dhcpd.conf"
    check "$kind: dnsmasq per-MAC dhcp-host" grep -q '^dhcp-host=52:54:00:12:34:56,pc17$' "$rel/dnsmasq.conf"
    check "$kind: Kea reservation and ISC host block" \
        bash -c "grep -q '\"hw-address\": \"52:54:00:12:34:56\"' '$rel/kea-dhcp4.json' && grep -q 'hardware ethernet 52:54:00:12:34:56;' '$rel/dhcpd.conf'"
    # salts are random (issue 15): only the password lines may differ between two runs
    menus() { cat "$rel"/pxelinux.cfg/* "$rel/boot.ipxe" "$rel"/grub/grub.cfg*; }
    pwlines() { menus | grep -E '^  MENU PASSWD |^password_pbkdf2 '; }
    before=$(menus | grep -v -E '^  MENU PASSWD |^password_pbkdf2 ' | sha256sum); pw_before=$(pwlines)
    run_menu --clients "$scratch/clients" --append console=ttyS0 --subnet 10.0.2.0/24 --server-ip 10.0.2.2 --no-loaders
    check "$kind: menu output is deterministic but for the password lines" [ "$before" = "$(menus | grep -v -E '^  MENU PASSWD |^password_pbkdf2 ' | sha256sum)" ]
    check "$kind: password lines get new random salts on every run" bash -c "[ -n '$pw_before' ] && [ '$pw_before' != '$(pwlines)' ]"
    run_menu --dhcp-mode proxy --subnet 10.0.2.0/24 --no-loaders --url-base http://10.0.2.2:8080/tnb/
    check "$kind: proxy-DHCP dnsmasq.conf passes dnsmasq --test" bash -c "[ $rc -eq 0 ] && grep -q '^dhcp-range=10.0.2.0,proxy' '$rel/dnsmasq.conf' && dnsmasq --test -C '$rel/dnsmasq.conf' >/dev/null 2>&1"
    check "$kind: --url-base puts http URLs in boot.ipxe" grep -q '^kernel http://10.0.2.2:8080/tnb/kern.bzImage ' "$rel/boot.ipxe"

    # UEFI HTTP boot (issue 22): client-arch 16 + vendor class HTTPClient get ipxe.efi as a URL and
    # option 60 HTTPClient, only with --url-base; PXE clients get exactly what they got before
    check "$kind: proxy mode with --url-base says HTTP boot is not answered, hands out no URL loader" \
        bash -c "grep -q '^# UEFI HTTP boot .*not answered in proxy mode' '$rel/dnsmasq.conf' && ! grep -q 'ipxe.efi' '$rel/dnsmasq.conf'"
    run_menu --subnet 10.0.2.0/24 --server-ip 10.0.2.2 --no-loaders
    cp "$rel/dnsmasq.conf" "$scratch/dnsmasq.plain"; cp "$rel/kea-dhcp4.json" "$scratch/kea.plain"; cp "$rel/dhcpd.conf" "$scratch/dhcpd.plain"
    check "$kind: without --url-base every DHCP config says HTTP boot is not answered and has no client-arch 16" \
        bash -c "for f in dnsmasq.conf kea-dhcp4.json dhcpd.conf; do grep -q 'UEFI HTTP boot (client-arch 16, vendor class HTTPClient): not answered;' '$rel/'\$f || exit 1; done; ! grep -q -E 'client-arch,16|0x0010|client-arch = 00:10' '$rel/dnsmasq.conf' '$rel/kea-dhcp4.json' '$rel/dhcpd.conf'"
    run_menu --subnet 10.0.2.0/24 --server-ip 10.0.2.2 --no-loaders --url-base http://10.0.2.2:8080/tnb/
    url=http://10.0.2.2:8080/tnb
    check "$kind: HTTP boot: dnsmasq --test, kea-dhcp4 -t, dhcpd -t accept the --url-base configs" \
        bash -c "[ $rc -eq 0 ] && dnsmasq --test -C '$rel/dnsmasq.conf' >/dev/null 2>&1 && kea-dhcp4 -t '$rel/kea-dhcp4.json' >/dev/null 2>&1 && dhcpd -t -cf '$rel/dhcpd.conf' >/dev/null 2>&1"
    check "$kind: HTTP boot: dnsmasq tags arch 16 + HTTPClient, hands ipxe.efi as a URL and option 60 HTTPClient" \
        bash -c "c='$rel/dnsmasq.conf'; grep -qx 'dhcp-match=set:efi64-http,option:client-arch,16' \$c && grep -qx 'dhcp-vendorclass=set:httpclient,HTTPClient' \$c && grep -qx 'dhcp-boot=tag:!ipxe,tag:efi64-http,tag:httpclient,$url/ipxe.efi' \$c && grep -qx 'dhcp-option-force=tag:!ipxe,tag:efi64-http,tag:httpclient,option:vendor-class,HTTPClient' \$c"
    check "$kind: HTTP boot: Kea class (not iPXE, arch 16, HTTPClient) with the URL and option 60 always sent" \
        python3 -c "
import json, re, sys
t = re.sub(r'(?m)^\s*//.*$', '', open('$rel/kea-dhcp4.json').read())
cl = [c for c in json.loads(t)['Dhcp4']['client-classes'] if '0x0010' in c['test']]
ok = len(cl) == 1 and \"not member('ipxe')\" in cl[0]['test'] and \"== 'HTTPClient'\" in cl[0]['test'] \
     and cl[0]['boot-file-name'] == '$url/ipxe.efi' \
     and cl[0]['option-data'] == [{'name': 'vendor-class-identifier', 'data': 'HTTPClient', 'always-send': True}]
sys.exit(0 if ok else 1)"
    check "$kind: HTTP boot: ISC branch after iPXE's: arch 16 + HTTPClient, option 60 HTTPClient, the URL" \
        bash -c "sed -n '/user-class = \"iPXE\"/,/^  } else/p' '$rel/dhcpd.conf' | tr -d '\n' | grep -q 'elsif option client-arch = 00:10 and substring(option vendor-class-identifier, 0, 10) = \"HTTPClient\" {.*option vendor-class-identifier \"HTTPClient\";    filename \"$url/ipxe.efi\";  } elsif option client-arch = 00:07'"
    # PXE clients: apart from the script's URL, the HTTP boot lines and the comment, nothing changed
    pxe_view() { grep -v -E 'HTTP|efi64-http|httpclient|ipxe.efi|boot.ipxe|answers it with|^$' "$1"; }
    check "$kind: HTTP boot: the PXE parts of dnsmasq.conf, kea-dhcp4.json and dhcpd.conf are as without --url-base" \
        bash -c "$(declare -f pxe_view); diff <(pxe_view '$scratch/dnsmasq.plain') <(pxe_view '$rel/dnsmasq.conf') && diff <(pxe_view '$scratch/kea.plain' | sed 's/}\$//; s/},\$//') <(pxe_view '$rel/kea-dhcp4.json' | sed 's/}\$//; s/},\$//') && diff <(pxe_view '$scratch/dhcpd.plain') <(pxe_view '$rel/dhcpd.conf')"

    # every file a menu or DHCP config names is in the release (issue 15: menu.c handed
    # out undionly.kpxe, loaders.c installed undionly.0), for each first-stage loader
    named_files() {
        # dhcp-boot=[tag:T,]...FILE[,SERVERNAME[,SERVER-ADDRESS]]: the first field not a tag
        sed -n 's/^dhcp-boot=\(tag:[^,]*,\)*//p' "$rel/dnsmasq.conf" | cut -d, -f1
        sed -n 's/^pxe-service=.*,//p' "$rel/dnsmasq.conf" | sed '/\.efi$/!s/$/.0/'
        grep -o '"boot-file-name": "[^"]*"' "$rel/kea-dhcp4.json" | sed 's/.*: "//; s/"$//'
        grep -o 'filename "[^"]*"' "$rel/dhcpd.conf" | sed 's/filename "//; s/"$//'
        grep -h -E '^(UI|  KERNEL|  INITRD) ' "$rel"/pxelinux.cfg/* | awk '{print $2}' | tr ',' '\n'
        grep -h -E '^(kernel|initrd) ' "$rel/boot.ipxe" | awk '{print $2}'
        cat /dev/null "$rel"/ipxe/*.ipxe 2>/dev/null | grep -E '^(kernel|initrd) ' | awk '{print $2}' | sed 's,^\.\./,,'
        grep -h -E '^ *linux ' "$rel"/grub/grub.cfg* | awk '{print $2}'
        grep -h -E '^ *initrd ' "$rel"/grub/grub.cfg* | sed 's/^ *initrd//' | tr ' ' '\n'
    }
    missing_named() {
        local f miss=0
        for f in $(named_files | sed 's,^/,,' | sort -u); do
            [ -e "$rel/$f" ] || { echo "# named but missing: $f"; miss=1; }
        done
        return $miss
    }
    all_named_exist() { [ "$rc" -eq 0 ] && [ -n "$(named_files)" ] && missing_named; }
    for loaders in "pxelinux grub" "ipxe ipxe" "grub grub"; do
        set -- $loaders
        for mode in full proxy; do
            run_menu --clients "$scratch/clients" --bios-loader "$1" --efi-loader "$2" --dhcp-mode "$mode" --subnet 10.0.2.0/24 --server-ip 10.0.2.2
            check "$kind: --bios-loader $1 --efi-loader $2 ($mode): every file the menus and DHCP configs name exists" \
                all_named_exist
        done
    done

    # the default entry is the thin client `vnc` when the release has it (issue 15), not the
    # first image by name (in the real release that is `http`, a root that waits on retries)
    t2=$scratch/tree-vnc; rm -rf "$t2"; cp -r "$tree" "$t2"; mkdir -p "$t2/recipes/vnc"
    printf 'name vnc\nkind image\nlabel VNC thin client\nlayers lay\n' > "$t2/recipes/vnc/recipe"
    (cd "$t2" && "$tb" menu --no-loaders) > /dev/null 2> "$scratch/err"
    check "$kind: default entry: vnc, not the first image by name (PXELINUX, GRUB, iPXE)" \
        bash -c "grep -A2 '^LABEL vnc' '$t2/output/release/pxelinux.cfg/default' | grep -q 'MENU DEFAULT' && grep -qx 'set default=vnc' '$t2/output/release/grub/grub.cfg' && grep -q -- '--default vnc target' '$t2/output/release/boot.ipxe'"
    (cd "$t2" && "$tb" menu --no-loaders --default img) > /dev/null 2> "$scratch/err"
    check "$kind: default entry: --default still chooses" grep -qx 'set default=img' "$t2/output/release/grub/grub.cfg"
    check "$kind: default entry: no sanitizer report" san_clean
    rm -rf "$t2"

    # --- bad input: FILE:LINE, exit 2, nothing written
    bad() {
        local label=$1 text=$2 msg=$3; shift 3
        printf '%s\n' "$text" > "$scratch/bad-clients"
        for f in "${outputs[@]}"; do rm -rf "${rel:?}/$f"; done
        run_menu --clients "$scratch/bad-clients" --no-loaders "$@"
        local written=0
        for f in "${outputs[@]}"; do [ -e "$rel/$f" ] && written=1; done
        if [ "$rc" -eq 2 ] && grep -q -F -- "tinynetboot: $msg" "$scratch/err" && [ $written -eq 0 ] && san_clean; then
            ok "$kind: $label"
        else
            not_ok "$kind: $label (rc=$rc written=$written)"; sed 's/^/# /' "$scratch/err" | head -5
        fi
    }
    bc=$scratch/bad-clients
    bad "unknown image" $'client 52:54:00:00:00:01\n    image nope' "$bc:2: unknown image \"nope\" (this release has: img)"
    bad "malformed MAC" $'client 52:54:00:00:01\n    image img' "$bc:1: malformed MAC address \"52:54:00:00:01\""
    bad "duplicate MAC" $'client 52:54:00:00:00:01\n    image img\nclient 52-54-00-00-00-01\n    image img' "$bc:3: MAC 52:54:00:00:00:01 already listed on line 1"
    bad "unknown key" $'group g\n    image img\n    colour blue' "$bc:3: unknown key \"colour\""
    bad "unknown group" $'client 52:54:00:00:00:01\n    group nope' "$bc:1: client 52:54:00:00:00:01: unknown group \"nope\""
    bad "no image" $'group g\n    cmdline a=b' "$bc:1: group g has no image"
    bad "missing site layer" $'group g\n    image img\n    layer sites/none.cpio.xz' "$bc:3: layer \"sites/none.cpio.xz\" is not in the release directory"
    bad "layer path escaping" $'group g\n    image img\n    layer ../x.cpio.xz' "$bc:3: layer \"../x.cpio.xz\": expected a relative path"
    bad "quote in cmdline" $'group g\n    image img\n    cmdline a="b"' "$bc:3: cmdline contains characters boot menus cannot carry safely"
    bad "missing password file" $'group g\n    image img\n    password-file /nonexistent' "$bc:3: password-file /nonexistent:"
    bad "key before a section" $'    image img' "$bc:1: an indented key before any"
    bad "unindented key" $'group g\nimage img' "$bc:2: expected \"group NAME\" or \"client MAC [NAME]\""
    bad "duplicate group" $'group g\n    image img\ngroup g\n    image img' "$bc:3: group \"g\" defined twice"
    bad "bad subnet argument" $'group g\n    image img' "--subnet \"10.0.2.0\": expected a.b.c.d/LEN" --subnet 10.0.2.0
    bad "bad server ip argument" $'group g\n    image img' "--server-ip \"10.0.2.300\": not an IPv4 address" --server-ip 10.0.2.300
    bad "unknown default image" $'group g\n    image img' "--default nope: no such image in this release" --default nope
    bad "bad loader" $'group g\n    image img' "--efi-loader \"pxelinux\": expected grub or ipxe" --efi-loader pxelinux
done
tap_end
