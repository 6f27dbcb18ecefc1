# /lib/netroot/nbd.sh - root=nbd:SERVER:EXPORT[:FSTYPE[:MOUNTOPTS[:NBDOPTS]]]
# (or netroot=nbd:..., netboot=nbd://SERVER:PORT, a DHCP root-path nbd:...),
# sourced by /init (nbdroot layer; the handler interface is described in /init).
#
# EXPORT is dracut's: NAME (port 10809), PORT (the server's default export)
# or PORT/NAME. BusyBox nbd-client connects /dev/nbd0 (newstyle handshake,
# NBD_OPT_EXPORT_NAME; oldstyle servers work too) and stays in the
# background serving it - after switch_root as well: the root's shutdown must
# not kill it before the root is unmounted. The filesystem is FSTYPE, else
# found by mount; this layer carries ext2 and squashfs. Mounted ro unless rw
# is on the command line (then the server must export it writable, and only
# one client may use it). NBDOPTS (dracut's options for nbd-client) are
# accepted and ignored, with a line on the console: BusyBox's nbd-client
# takes none of them.
NBD_DEV=/dev/nbd0

nr_parse() {
	local s=$1 export
	case $s in
	*:*) nbd_server=${s%%:*}; s=${s#*:} ;;
	*) nr_err="expected nbd:SERVER:EXPORT[:FSTYPE[:MOUNTOPTS[:NBDOPTS]]]"; return 1 ;;
	esac
	export=${s%%:*}
	case $s in *:*) s=${s#*:} ;; *) s= ;; esac
	nbd_fstype=${s%%:*}
	case $s in *:*) s=${s#*:} ;; *) s= ;; esac
	nbd_mountopts=${s%%:*}
	case $s in *:*) nbd_opts=${s#*:} ;; *) nbd_opts= ;; esac
	case $nbd_server in
	''|*[!A-Za-z0-9.-]*|-*) nr_err="bad server name '$nbd_server'"; return 1 ;;
	esac
	nbd_port=10809 nbd_name=
	case $export in
	'') nr_err="no export (nbd:SERVER:NAME, :PORT or :PORT/NAME)"; return 1 ;;
	*[!0-9]*)
		case ${export%%/*} in
		''|*[!0-9]*) nbd_name=$export ;;
		*) nbd_port=${export%%/*}; nbd_name=${export#*/} ;;
		esac ;;
	*) nbd_port=$export ;;
	esac
	case $nbd_name in
	*[!A-Za-z0-9/._+-]*) nr_err="bad export name '$nbd_name'"; return 1 ;;
	esac
	[ ${#nbd_port} -le 5 ] && [ "$nbd_port" -ge 1 ] && [ "$nbd_port" -le 65535 ] ||
		{ nr_err="bad port '$nbd_port'"; return 1; }
	case $nbd_fstype in
	*[!a-z0-9]*) nr_err="bad filesystem type '$nbd_fstype'"; return 1 ;;
	esac
	case $nbd_mountopts in
	*[!A-Za-z0-9=,._-]*) nr_err="bad mount options '$nbd_mountopts'"; return 1 ;;
	esac
	case $nbd_opts in
	'') ;;
	*[!A-Za-z0-9=,._-]*) nr_err="bad nbd-client options '$nbd_opts'"; return 1 ;;
	*) say "ignoring the nbd-client options '$nbd_opts' (BusyBox's nbd-client takes none)" ;;
	esac
	nr_desc="NBD server $nbd_server port $nbd_port, export ${nbd_name:-(default)}"
	nr_modules="nbd ext2 squashfs"
}

nbd_disconnect() {
	nbd-client -d "$NBD_DEV" > /dev/null 2>&1
}

nr_attempt() {
	local n=0 opts
	[ -e /sys/block/nbd0/pid ] && nbd_disconnect
	if [ ! -b "$NBD_DEV" ]; then
		nr_err="$NBD_DEV missing (the nbd module did not create it)"
		nr_fatal=1
		return 1
	fi
	# 512-byte sectors: BusyBox's default of 4096 would refuse filesystems with
	# smaller blocks (mke2fs makes 1 KiB blocks for images under 512 MB)
	nr_run nbd-client -b 512 -N "$nbd_name" "$nbd_server" "$nbd_port" "$NBD_DEV" || return 1
	# the size is known once the daemon nbd-client left behind serves the device
	while [ ! -e /sys/block/nbd0/pid ] && [ $n -lt 50 ]; do
		n=$((n + 1)); sleep 0.1
	done
	opts=$rootmode${nbd_mountopts:+,$nbd_mountopts}
	if [ -n "$nbd_fstype" ]; then
		nr_run mount -t "$nbd_fstype" -o "$opts" "$NBD_DEV" "$NEWROOT" && return 0
		grep -q "[[:space:]]$nbd_fstype\$" /proc/filesystems ||
			nr_err="$nr_err (no $nbd_fstype filesystem in this kernel: the layer carries ext2 and squashfs)"
	else
		nr_run mount -o "$opts" "$NBD_DEV" "$NEWROOT" && return 0
		nr_err="$nr_err (connected, but the export is not a filesystem this layer mounts: ext2, squashfs)"
	fi
	# the server answered, the data is wrong: trying again will not help
	nr_fatal=1
	nbd_disconnect
	return 1
}
