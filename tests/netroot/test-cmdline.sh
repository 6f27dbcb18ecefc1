#!/usr/bin/env bash
# tests/netroot/test-cmdline.sh - the network-root forms of the command line
# on the host, no QEMU (TAP): /usr/lib/netroot/cmdline.sh (recipes/netroot:
# root=, netroot=, nfsroot=, netboot=, the DHCP root-path) and the handlers'
# nr_parse (overlays/nfsroot/lib/netroot/nfs.sh, nbdroot's nbd.sh), run in
# the client's own BusyBox ash (base's, from output/release, or $BUSYBOX),
# plus nfs.sh's nr_attempt with mount replaced by a stub that prints its
# arguments. Every form of dracut.cmdline(7) and the kernel's nfsroot.rst
# these layers serve, every DHCP root-path form, and forms they do not serve
# (each must give its reason). tests/netroot/test-netroot.sh boots the ones
# that take different mount paths.
set -u
. "$(dirname "$0")/../lib/prologue.sh"
. "$top/tests/lib/busybox.sh"
cmdline=$top/recipes/netroot/files/usr/lib/netroot/cmdline.sh
fn=$top/overlays/base/lib/tinynetboot/functions.sh   # cmdline.sh needs base's helpers
nfs=$top/overlays/nfsroot/lib/netroot/nfs.sh
nbd=$top/overlays/nbdroot/lib/netroot/nbd.sh

scratch_dir cmdline

release_busybox "$scratch" || { tap_end; exit; }
# as the client's /init has them: base's functions.sh, then cmdline.sh
lib=$scratch/cmdline.sh
cat "$fn" "$cmdline" > "$lib"

# ---- nr_pick: the command line -> the network root -------------------------
# pick CMDLINE: "STATUS ROOT" (0 = a network root, 1 = none, 2 = refused: then
# the reason instead of ROOT); warnings (say) as "say: ..."
pick() {
    "$bb" sh -c '. "$1"; say() { echo "say: $*"; }
        set -f; nr_read_cmdline $2; set +f
        nr_pick; st=$?
        if [ $st = 2 ]; then echo "$st $nr_bad"; else echo "$st $nr_root${nr_legacy:+ legacy}"; fi' sh "$lib" "$1"
}
# want CMDLINE EXPECTED: the last line of pick must equal EXPECTED ("2 ~REGEX"
# for a refusal: the reason must match REGEX)
want() {
    local got last
    got=$(pick "$1"); last=$(printf '%s\n' "$got" | tail -n 1)
    case $2 in
    '2 ~'*)
        if [ "${last%% *}" = 2 ] && printf '%s\n' "${last#2 }" | grep -q -E -- "${2#2 ~}"; then
            ok "'$1' refused: ${last#2 }"
        else
            not_ok "'$1': want a refusal matching '${2#2 ~}', got '$got'"
        fi ;;
    *)
        if [ "$last" = "$2" ]; then ok "'$1' -> $2"; else not_ok "'$1': want '$2', got '$got'"; fi ;;
    esac
}

# no network root: the stack boots like base
want "" "1 "
want "console=ttyS0 ip=dhcp quiet" "1 "
want "root=/dev/ram0" "1 "
want "rd.neednet=1" "1 "
want "rd.live.ram=1" "1 "
# dracut's and the kernel's NFS forms
want "root=nfs:10.0.0.1:/srv/root" "0 nfs:10.0.0.1:/srv/root"
want "root=nfs:10.0.0.1:/srv/root:vers=4.1,rsize=8192" "0 nfs:10.0.0.1:/srv/root:vers=4.1,rsize=8192"
want "root=nfs:/srv/root" "0 nfs:/srv/root"
want "root=nfs4:10.0.0.1:/srv/root" "0 nfs4:10.0.0.1:/srv/root"
want "root=nfs4:server.example:/srv/root:proto=tcp" "0 nfs4:server.example:/srv/root:proto=tcp"
want "root=10.0.0.1:/srv/root" "0 nfs:10.0.0.1:/srv/root"
want "root=10.0.0.1:/srv/root:port=2049" "0 nfs:10.0.0.1:/srv/root:port=2049"
want "root=/srv/root" "0 nfs:/srv/root"
want "root=nfs://10.0.0.1:2049/srv/root" "0 nfs://10.0.0.1:2049/srv/root"
want "root=nfs" "0 dhcp:nfs"
want "root=nfs4" "0 dhcp:nfs4"
want "root=/dev/nfs" "0 dhcp:nfs legacy"
want "root=/dev/nfs nfsroot=10.0.0.1:/srv/root" "0 nfs:10.0.0.1:/srv/root legacy"
want "root=/dev/nfs nfsroot=10.0.0.1:/srv/root,vers=3,rsize=4096" "0 nfs:10.0.0.1:/srv/root,vers=3,rsize=4096 legacy"
want "root=/dev/nfs nfsroot=/srv/%s,tcp" "0 nfs:/srv/%s,tcp legacy"
want "nfsroot=10.0.0.1:/srv/root" "0 nfs:10.0.0.1:/srv/root legacy"
want "root=/dev/nfs ip=10.0.0.9:10.0.0.1:10.0.0.254:255.255.255.0::eth0:off nfsroot=/srv" "0 nfs:/srv legacy"
want "root=dhcp" "0 dhcp:"
want "root=dhcp6" "0 dhcp:"
want "netroot=dhcp" "0 dhcp:"
want "netroot=dhcp root=/dev/root" "0 dhcp:"
want "netroot=nfs:10.0.0.1:/srv/root" "0 nfs:10.0.0.1:/srv/root"
want "netroot=nfs4:10.0.0.1:/srv/root root=block:/dev/root" "0 nfs4:10.0.0.1:/srv/root"
# NBD, HTTP, SystemRescue
want "root=nbd:10.0.0.1:ext2" "0 nbd:10.0.0.1:ext2"
want "netroot=nbd:10.0.0.1:10809/ext2:ext2:noatime" "0 nbd:10.0.0.1:10809/ext2:ext2:noatime"
want "netroot=nbd:10.0.0.1:2000 root=/dev/nbd0" "0 nbd:10.0.0.1:2000"
want "root=live:http://10.0.0.1/root.squashfs rd.live.ram=1" "0 live:http://10.0.0.1/root.squashfs"
want "netboot=nfs://10.0.0.1/srv/root" "0 nfs://10.0.0.1/srv/root"
want "netboot=nfs://10.0.0.1:/srv/root" "0 nfs://10.0.0.1:/srv/root"
want "netboot=nbd://10.0.0.1:10809" "0 nbd:10.0.0.1:10809"
want "netboot=nbd://10.0.0.1" "0 nbd:10.0.0.1:10809"
want "netboot=http://10.0.0.1/sysrcd.squashfs" "0 live:http://10.0.0.1/sysrcd.squashfs"
# root= wins over netroot=, and says so
want "root=nfs:10.0.0.1:/a netroot=nbd:10.0.0.1:ext2" "0 nfs:10.0.0.1:/a"
check "root= over netroot=: a warning names the ignored netroot=" \
    grep -q "say: root=nfs:10.0.0.1:/a takes precedence over netroot=nbd:10.0.0.1:ext2" \
    <(pick "root=nfs:10.0.0.1:/a netroot=nbd:10.0.0.1:ext2")
want "root=nfs:1:/a root=nfs:10.0.0.2:/b" "0 nfs:10.0.0.2:/b"
# forms not served: said plainly
want "root=iscsi:@10.0.0.1::3260::iqn.2009-06.dracut:target0" "2 ~^root=iscsi:.*: iSCSI is not served by these layers \(served here: nfs:, nfs4:"
want "netroot=iscsi:10.0.0.1::::iqn.x" "2 ~^netroot=iscsi:.*iSCSI is not served"
want "root=nsf:10.0.0.1:/srv/root" "2 ~^root=nsf:10.0.0.1:/srv/root: not a form these layers know"
want "root=/dev/sda1" "2 ~^root=/dev/sda1: a local disk; these layers mount network roots only"
want "root=LABEL=root" "2 ~a local disk"
want "root=http://10.0.0.1/root.squashfs" "2 ~a URL; an image fetched over HTTP is written root=live:http://"
want "root=cifs://10.0.0.1/share" "2 ~cifs"
want "root=/dev/sda1 nfsroot=10.0.0.1:/srv/root" "2 ~^nfsroot=10\.0\.0\.1:/srv/root needs root=/dev/nfs \(dracut's rule\), but root=/dev/sda1"
want "root=nfs:10.0.0.1:/a nfsroot=10.0.0.1:/b" "2 ~needs root=/dev/nfs"
want "root=/dev/nfs nfsroot=srv" "2 ~^bad nfsroot=srv"
want "root=/dev/sda1 netroot=nfs:10.0.0.1:/srv" "2 ~^root=/dev/sda1 with netroot=nfs:10.0.0.1:/srv: the network root itself becomes the root"
want "root=/dev/nbd0 netroot=nfs:10.0.0.1:/srv" "2 ~with netroot="
want "netboot=ftp://10.0.0.1/x" "2 ~^netboot=ftp://10.0.0.1/x: a URL"

# ---- the DHCP root-path (option 17), every form ----------------------------
rp() {
    "$bb" sh -c '. "$1"; say() { echo "say: $*"; }
        if nr_from_rootpath "$2" "$3"; then echo "0 $nr_root"; else echo "1 $nr_bad"; fi' sh "$lib" "$1" "$2"
}
want_rp() {
    local got; got=$(rp "$1" "$2")
    case $3 in
    '1 ~'*) if [ "${got%% *}" = 1 ] && printf '%s\n' "${got#1 }" | grep -q -E -- "${3#1 ~}"; then
                ok "root-path '$1' refused: ${got#1 }"
            else not_ok "root-path '$1': want a refusal matching '${3#1 ~}', got '$got'"; fi ;;
    *) if [ "$got" = "$3" ]; then ok "root-path '$1' (${2:-nfs}) -> ${3#0 }"
       else not_ok "root-path '$1' (${2:-nfs}): want '$3', got '$got'"; fi ;;
    esac
}
want_rp "/srv/root" nfs "0 nfs:/srv/root"
want_rp "/srv/root" nfs4 "0 nfs4:/srv/root"
want_rp "10.0.0.1:/srv/root" nfs "0 nfs:10.0.0.1:/srv/root"
want_rp "/srv/root,vers=3,rsize=4096" nfs "0 nfs:/srv/root,vers=3,rsize=4096"
want_rp "10.0.0.1:/srv/root,rsize=4096" nfs "0 nfs:10.0.0.1:/srv/root,rsize=4096"
want_rp "nfs:10.0.0.1:/srv/root" nfs "0 nfs:10.0.0.1:/srv/root"
want_rp "nfs4:10.0.0.1:/srv/root:rsize=4096" nfs "0 nfs4:10.0.0.1:/srv/root:rsize=4096"
want_rp "nfs:10.0.0.1:/srv/root:vers=4.2" nfs "0 nfs:10.0.0.1:/srv/root:vers=4.2"
want_rp "nbd:10.0.0.1:ext2" nfs "0 nbd:10.0.0.1:ext2"
want_rp "live:http://10.0.0.1/root.squashfs" nfs "0 live:http://10.0.0.1/root.squashfs"
want_rp "" nfs "1 ~^the DHCP server sent no root-path \(option 17\)"
want_rp "iscsi:10.0.0.1::::iqn.x" nfs "1 ~^DHCP root-path 'iscsi:10.0.0.1::::iqn.x': iSCSI is not served"
want_rp "srv/root" nfs "1 ~^DHCP root-path 'srv/root': not a form"

# ---- nfs.sh: the NFS forms -> server, path, options, fstype, mount options -
# nfsparse TYPE SPEC [ROOTMODE]: "server|path|opts|fstype|mopts|modules" or "ERR reason"
nfsparse() {
    "$bb" sh -c '. "$1"; say() { echo "say: $*"; }; type=$2 rootmode=${4:-ro}
        if nr_parse "$3"; then echo "$nfs_server|$nfs_path|$nfs_opts|$nfs_fstype|$nfs_mopts|$nr_modules"
        else echo "ERR $nr_err"; fi' sh "$nfs" "$1" "$2" "${3:-}"
}
want_nfs() {
    local got; got=$(nfsparse "$1" "$2" "${4:-}")
    case $3 in
    'ERR ~'*) if printf '%s\n' "$got" | grep -q -E -- "^ERR ${3#ERR ~}"; then ok "$1:$2 refused: ${got#ERR }"
              else not_ok "$1:$2: want a refusal matching '${3#ERR ~}', got '$got'"; fi ;;
    *) if [ "$got" = "$3" ]; then ok "$1:$2 -> $3"; else not_ok "$1:$2: want '$3', got '$got'"; fi ;;
    esac
}
want_nfs nfs "10.0.0.1:/srv/root" "10.0.0.1|/srv/root||nfs|ro,nolock,vers=3,proto=tcp|nfsv3"
want_nfs nfs "10.0.0.1:/srv/root" "10.0.0.1|/srv/root||nfs|rw,nolock,vers=3,proto=tcp|nfsv3" rw
want_nfs nfs "10.0.0.1:/srv/root:port=2049,mountport=20048" \
    "10.0.0.1|/srv/root|port=2049,mountport=20048|nfs|ro,nolock,vers=3,proto=tcp,port=2049,mountport=20048|nfsv3"
want_nfs nfs "/srv/root" "|/srv/root||nfs|ro,nolock,vers=3,proto=tcp|nfsv3"
want_nfs nfs "/srv/root:rsize=4096" "|/srv/root|rsize=4096|nfs|ro,nolock,vers=3,proto=tcp,rsize=4096|nfsv3"
want_nfs nfs "10.0.0.1:/srv/root,rsize=4096,wsize=4096" \
    "10.0.0.1|/srv/root|rsize=4096,wsize=4096|nfs|ro,nolock,vers=3,proto=tcp,rsize=4096,wsize=4096|nfsv3"
want_nfs nfs "/tftpboot/%s,tcp" "|/tftpboot/%s|tcp|nfs|ro,nolock,vers=3,proto=tcp,tcp|nfsv3"
want_nfs nfs "10.0.0.1:/srv/root,rsize=4096:timeo=30" \
    "10.0.0.1|/srv/root|rsize=4096,timeo=30|nfs|ro,nolock,vers=3,proto=tcp,rsize=4096,timeo=30|nfsv3"
want_nfs nfs "10.0.0.1:/srv/root:vers=4.1" "10.0.0.1|/srv/root|vers=4.1|nfs4|ro,proto=tcp,vers=4.1|nfsv4"
want_nfs nfs "10.0.0.1:/srv/root:nfsvers=4" "10.0.0.1|/srv/root|nfsvers=4|nfs4|ro,proto=tcp,nfsvers=4|nfsv4"
want_nfs nfs "10.0.0.1:/srv/root:v4.2" "10.0.0.1|/srv/root|v4.2|nfs4|ro,proto=tcp,v4.2|nfsv4"
want_nfs nfs "10.0.0.1:/srv/root:vers=4,vers=3" "10.0.0.1|/srv/root|vers=4,vers=3|nfs|ro,nolock,vers=3,proto=tcp,vers=4,vers=3|nfsv3"
want_nfs nfs4 "10.0.0.1:/srv/root" "10.0.0.1|/srv/root||nfs4|ro,proto=tcp|nfsv4"
want_nfs nfs4 "server.example:/srv/root:rsize=16384,vers=4.2" \
    "server.example|/srv/root|rsize=16384,vers=4.2|nfs4|ro,proto=tcp,rsize=16384,vers=4.2|nfsv4"
want_nfs nfs "//10.0.0.1:2049/srv/root" "10.0.0.1|/srv/root|port=2049|nfs|ro,nolock,vers=3,proto=tcp,port=2049|nfsv3"
want_nfs nfs "//10.0.0.1/srv/root" "10.0.0.1|/srv/root||nfs|ro,nolock,vers=3,proto=tcp|nfsv3"
want_nfs nfs "//10.0.0.1:/srv/root" "10.0.0.1|/srv/root||nfs|ro,nolock,vers=3,proto=tcp|nfsv3"
want_nfs nfs4 "10.0.0.1:/srv/root:vers=3" "ERR ~root=nfs4: is NFSv4, but the options say 'vers=3'"
want_nfs nfs "10.0.0.1:/srv/root:vers=2" "ERR ~'vers=2': this layer mounts NFS versions 3 and 4"
want_nfs nfs "10.0.0.1:/srv/root:vers=4.3" "ERR ~'vers=4.3'"
want_nfs nfs "10.0.0.1:srv/root" "ERR ~expected nfs:\[SERVER:\]/PATH"
want_nfs nfs "[fe80::1]:/srv/root" "ERR ~an IPv6 server"
want_nfs nfs 'bad$name:/srv/root' "ERR ~bad server name"
want_nfs nfs '10.0.0.1:/srv/ro ot' "ERR ~bad export path"
want_nfs nfs '10.0.0.1:/srv/root:opt;reboot' "ERR ~bad NFS options"
want_nfs nfs '//10.0.0.1' "ERR ~expected nfs://SERVER"
want_nfs nfs '//10.0.0.1:x/srv' "ERR ~bad port"

# ---- nfs.sh's nr_attempt: what reaches mount -------------------------------
# (mount replaced by a stub; the server from nr_dhcp_server, a stub here too;
# /run/net/ip read through a private mount namespace when root, else skipped)
attempt() {
    "$bb" sh -c '. "$1"; say() { echo "say: $*"; }; type=$2 rootmode=ro NEWROOT=/newroot
        mount() { echo "mount $*"; }; mounted() { return 1; }; nr_run() { "$@"; }
        nr_dhcp_server() { nr_server=10.0.0.7; }
        nr_parse "$3" && nr_attempt' sh "$nfs" "$1" "$2"
}
check "nfs: given options and the server reach mount" \
    [ "$(attempt nfs "10.0.0.1:/srv/root:rsize=4096")" = "mount -t nfs -o ro,nolock,vers=3,proto=tcp,rsize=4096 10.0.0.1:/srv/root /newroot" ]
check "nfs4: mount -t nfs4 with the options, NFSv4.2 first" \
    [ "$(attempt nfs4 "10.0.0.1:/srv/root:rsize=16384")" = "mount -t nfs4 -o ro,proto=tcp,rsize=16384,vers=4.2 10.0.0.1:/srv/root /newroot" ]
check "nfs4: vers=4.1 in the options: that version only" \
    [ "$(attempt nfs4 "10.0.0.1:/srv/root:vers=4.1")" = "mount -t nfs4 -o ro,proto=tcp,vers=4.1 10.0.0.1:/srv/root /newroot" ]
# the server refuses 4.2 and 4.1 ("Protocol not supported", as the kernel
# says for NFS4ERR_MINOR_VERS_MISMATCH): 4.1, then 4.0; another error stops
neg() {   # neg ERROR: the stub mount fails 4.2 and 4.1 with ERROR, mounts 4.0
    "$bb" sh -c '. "$1"; say() { :; }; type=nfs4 rootmode=ro NEWROOT=/newroot err=$2
        mount() { echo "mount $*" >&2
            case $* in *vers=4.0*) return 0 ;; esac
            echo "mount: mounting failed: $err"; return 1; }
        mounted() { return 1; }
        nr_run() { local o; o=$("$@") && return 0; nr_err=${o##*failed: }; return 1; }
        nr_parse "10.0.0.1:/srv/root" && { nr_attempt; echo "status $? err $nr_err"; }' sh "$nfs" "$1" 2>&1
}
got=$(neg "Protocol not supported" | grep -o -E 'vers=4\.[0-9]|status.*' | tr '\n' ';')
check "nfs4: the server says 'Protocol not supported' to 4.2 and 4.1: 4.0 is mounted" \
    [ "$got" = "vers=4.2;vers=4.1;vers=4.0;status 0 err Protocol not supported;" ]
got=$(neg "Connection refused" | grep -o -E 'vers=4\.[0-9]|status.*' | tr '\n' ';')
check "nfs4: another error ends the attempt at 4.2, with that error" \
    [ "$got" = "vers=4.2;status 1 err Connection refused;" ]

# ---- nbd.sh: dracut's NBD form with its optional fields ---------------------
nbdparse() {
    "$bb" sh -c '. "$1"; say() { echo "say: $*"; }; type=nbd rootmode=ro
        if nr_parse "$2"; then echo "$nbd_server|$nbd_port|$nbd_name|$nbd_fstype|$nbd_mountopts|$nbd_opts"
        else echo "ERR $nr_err"; fi' sh "$nbd" "$1"
}
check "nbd: SERVER:NAME" [ "$(nbdparse 10.0.0.1:ext2)" = "10.0.0.1|10809|ext2|||" ]
check "nbd: SERVER:PORT (the old port form)" [ "$(nbdparse 10.0.0.1:2000)" = "10.0.0.1|2000||||" ]
check "nbd: SERVER:PORT/NAME:FSTYPE:MOUNTOPTS" \
    [ "$(nbdparse 10.0.0.1:10809/root:ext2:noatime,errors=remount-ro)" = "10.0.0.1|10809|root|ext2|noatime,errors=remount-ro|" ]
got=$(nbdparse 10.0.0.1:ext2:ext2::timeout=30)
check "nbd: NBDOPTS accepted, said to be ignored" \
    [ "$got" = "say: ignoring the nbd-client options 'timeout=30' (BusyBox's nbd-client takes none)
10.0.0.1|10809|ext2|ext2||timeout=30" ]
check "nbd: a bad NBDOPTS refused" [ "$(nbdparse '10.0.0.1:ext2:ext2::a;b')" = "ERR bad nbd-client options 'a;b'" ]

tap_end
