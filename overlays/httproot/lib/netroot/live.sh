# /lib/netroot/live.sh - root=live:http://HOST[:PORT]/PATH, sourced by /init
# (httproot layer; the handler interface is described in /init).
#
# The image is fetched with BusyBox wget into RAM (a tmpfs on
# /run/netroot/live, which moves into the root with /run), checked against
# rd.live.sha256=HEX when given (before anything reads it), then used by its
# first bytes:
#   squashfs            loop-mounted read-only
#   ext2                loop-mounted (ro, or rw with rw on the command line)
#   cpio or cpio.xz     (newc, like the layers) unpacked into a tmpfs
# https is not supported (BusyBox wget here has no TLS): serve over http and
# pin the image with rd.live.sha256=, which a plain-HTTP attacker cannot fake
# without changing the menu's command line.
LIVE_DIR=$R/live

nr_parse() {
	live_url=$1
	case $live_url in
	http://*) ;;
	https://*) nr_err="https is not supported (no TLS here): use http:// with rd.live.sha256="; return 1 ;;
	*) nr_err="expected live:http://HOST[:PORT]/PATH"; return 1 ;;
	esac
	case $live_url in
	*[!A-Za-z0-9._~:/?=\&%+@-]*) nr_err="unusual characters in the URL"; return 1 ;;
	http://*/?*) ;;
	*) nr_err="no path in the URL"; return 1 ;;
	esac
	live_host=${live_url#http://}; live_path=/${live_host#*/}; live_host=${live_host%%/*}
	if [ -n "$LIVE_SHA256" ]; then
		case $LIVE_SHA256 in
		*[!0-9A-Fa-f]*) nr_err="rd.live.sha256= is not hexadecimal"; return 1 ;;
		esac
		[ ${#LIVE_SHA256} = 64 ] || { nr_err="rd.live.sha256= must have 64 hex digits"; return 1; }
		LIVE_SHA256=$(echo "$LIVE_SHA256" | tr A-F a-f)
	fi
	nr_desc="HTTP server $live_host, image $live_path"
	nr_modules="loop squashfs ext2"
}

# the first bytes of FILE (at most 8; no NUL bytes are compared)
live_kind() {
	local f=$1 h4
	h4=$(head -c 4 "$f")
	case $h4 in
	hsqs) echo squashfs; return ;;
	0707) case $(head -c 6 "$f") in 070701|070702) echo cpio; return ;; esac ;;
	esac
	[ "$(head -c 2 "$f")" = "$(printf '\037\213')" ] && { echo gzip; return; }
	[ "$(head -c 5 "$f")" = "$(printf '\3757zXZ')" ] && { echo cpio.xz; return; }
	# ext2/3/4: magic 0xEF53 at byte 1080 (superblock at 1024, s_magic at 56)
	[ "$(tail -c +1081 "$f" | head -c 2)" = "$(printf 'S\357')" ] && { echo ext2; return; }
	echo unknown
}

# live_unpack cpio|cpio.xz IMAGE: unpack into $NEWROOT (a fresh tmpfs). Every
# stage's exit status counts, so a truncated or corrupt image, a full tmpfs or
# an OOM-killed unxz is a failure, never a partial root: BusyBox ash has no
# pipefail, so unxz's status comes back through a file. A plain newc archive
# must also end with its TRAILER!!! entry (cut at an entry boundary, cpio
# itself sees a normal end); an xz stream carries its own end and CRC32s.
# On failure: nr_err names the stage and its messages; returns 1.
live_unpack() {
	local kind=$1 img=$2 out rc xrc xout= st=$R/unxz.status
	case $kind in
	cpio)
		out=$(cd "$NEWROOT" && cpio -i -d -m -u < "$img" 2>&1); rc=$?
		xrc=0 ;;
	cpio.xz)
		rm -f "$st" "$st.err"
		# cpio stops reading at the TRAILER!!! entry; the rest of the stream
		# (the archive's padding) is drained, so unxz always reaches the end
		# and checks the xz integrity check instead of dying of SIGPIPE
		out=$({ unxz -c "$img" 2> "$st.err"; echo $? > "$st"; } |
			{ (cd "$NEWROOT" && cpio -i -d -m -u); r=$?; cat > /dev/null; exit $r; } 2>&1); rc=$?
		xrc=; read -r xrc < "$st" 2>/dev/null
		xout=$(cat "$st.err" 2>/dev/null); rm -f "$st" "$st.err"
		: "${xrc:=killed}" ;;
	esac
	set -f; out=$(echo $out); xout=$(echo $xout); set +f
	# (unxz killed by SIGPIPE, 141: the drain above died first, e.g. out of memory)
	if [ "$xrc" != 0 ] && { [ "$xrc" != 141 ] || [ "$rc" = 0 ]; }; then
		nr_err="the $kind image is damaged or truncated: unxz failed (status $xrc${xout:+: $xout}); a partial root is not used"
		return 1
	fi
	if [ "$rc" != 0 ]; then
		nr_err="unpacking the $kind image failed: cpio exit status $rc${out:+: $out} (a full tmpfs, too little RAM, or a damaged archive); a partial root is not used"
		return 1
	fi
	if [ "$kind" = cpio ] && ! tail -c 1024 "$img" | grep -q 'TRAILER!!!'; then
		nr_err="the cpio image is truncated (it does not end with the TRAILER!!! entry); a partial root is not used"
		return 1
	fi
	if [ -z "$(ls -A "$NEWROOT")" ]; then
		nr_err="unpacking the $kind image gave nothing${out:+: $out}"
		return 1
	fi
}

# live_tmpfs_root cpio|cpio.xz IMAGE: a tmpfs on $NEWROOT with the image
# unpacked into it, or (nr_err set, returns 1) nothing mounted there. The
# image file is removed either way (it would only take RAM).
live_tmpfs_root() {
	local out
	if ! out=$(mount -t tmpfs -o mode=0755 tmpfs "$NEWROOT" 2>&1); then
		set -f; nr_err="cannot mount a tmpfs on $NEWROOT: "$(echo $out); set +f
		rm -f "$2"
		return 1
	fi
	if ! live_unpack "$1" "$2"; then
		rm -f "$2"
		umount "$NEWROOT" 2>/dev/null || umount -l "$NEWROOT"
		return 1
	fi
	rm -f "$2"
}

nr_attempt() {
	local img=$LIVE_DIR/root.img got kind out
	if ! mounted "$LIVE_DIR"; then
		mkdir -p "$LIVE_DIR"
		mount -t tmpfs -o mode=0700,size=90% tmpfs "$LIVE_DIR"
	fi
	rm -f "$img" "$img.part"
	say "fetching $live_url"
	if ! nr_run wget -q -T 30 -O "$img.part" "$live_url"; then
		rm -f "$img.part"
		return 1
	fi
	mv "$img.part" "$img"
	if [ -n "$LIVE_SHA256" ]; then
		got=$(sha256sum "$img"); got=${got%% *}
		if [ "$got" != "$LIVE_SHA256" ]; then
			nr_err="sha256 mismatch: the image has $got, rd.live.sha256= says $LIVE_SHA256; refusing to use it"
			nr_fatal=1
			rm -f "$img"
			return 1
		fi
		say "image sha256 $got matches rd.live.sha256"
	else
		say "no rd.live.sha256= on the command line: the image is used unchecked"
	fi
	kind=$(live_kind "$img")
	case $kind in
	squashfs) nr_run mount -t squashfs -o ro,loop "$img" "$NEWROOT" ;;
	ext2) nr_run mount -t ext2 -o "$rootmode,loop" "$img" "$NEWROOT" ;;
	cpio*) live_tmpfs_root "$kind" "$img" ;;
	gzip)
		nr_err="a gzip file: gzip'd cpio is not supported here (serve it as .cpio.xz or plain .cpio)"
		false ;;
	*)
		nr_err="not a squashfs, ext2 or cpio(.xz) image (first bytes: $(head -c 8 "$img" | tr -c 'A-Za-z0-9' .))"
		false ;;
	esac && return 0
	# fetched whole (and checked, if asked): fetching it again will not help
	nr_fatal=1
	rm -f "$img"
	return 1
}
