# /lib/netroot/nfs.sh - root=nfs:[SERVER]:/PATH[:OPTS], sourced by /init
# (nfsroot layer; the handler interface is described in /init).
#
# NFSv3 over TCP with the kernel's NFS client (nfs, nfsv3, sunrpc, lockd,
# grace: modules in this layer) and BusyBox mount, which hands the options to
# the kernel as text and adds addr=SERVER. Options, in order (later win):
#   ro|rw (from the command line), nolock (no lockd/statd in an initramfs,
#   as the kernel's own nfsroot), vers=3, proto=tcp, then OPTS.
# OPTS are nfs(5) options separated by commas, e.g. port=2049,mountport=20048
# (then the server's portmapper is not asked), timeo=, rsize=, wsize=.
# Without SERVER (root=nfs:/PATH) the DHCP next-server is used, else the DHCP
# server, as dracut does. NFSv4 (vers=4) needs a kernel with KEYS and is not
# in this layer.
nr_parse() {
	local s=$1
	case $s in
	/*) nfs_server= ;;
	*:/*) nfs_server=${s%%:*}; s=${s#*:} ;;
	*) nr_err="expected nfs:SERVER:/PATH[:OPTS]"; return 1 ;;
	esac
	case $s in
	*:*) nfs_path=${s%%:*}; nfs_opts=${s#*:} ;;
	*) nfs_path=$s; nfs_opts= ;;
	esac
	case $nfs_server in
	*[!A-Za-z0-9.-]*|-*) nr_err="bad server name '$nfs_server'"; return 1 ;;
	esac
	case $nfs_path in
	/*[!A-Za-z0-9/._+@-]*|'') nr_err="bad export path '$nfs_path'"; return 1 ;;
	/*) ;;
	*) nr_err="the export path must start with /"; return 1 ;;
	esac
	case $nfs_opts in
	*[!A-Za-z0-9=,._-]*) nr_err="bad NFS options '$nfs_opts'"; return 1 ;;
	esac
	case ,$nfs_opts, in
	*,vers=4*|*,nfsvers=4*|*,v4,*|*,v4.*)
		nr_err="NFSv4 is not supported by the nfsroot layer (NFSv3 only): drop '$nfs_opts'"
		return 1 ;;
	esac
	nr_desc="NFS root ${nfs_server:-(DHCP server)}:$nfs_path"
	nr_modules="nfsv3"
}

nr_attempt() {
	local srv=$nfs_server
	if [ -z "$srv" ]; then
		read -r srv < /run/net/siaddr 2>/dev/null
		[ -n "$srv" ] && [ "$srv" != 0.0.0.0 ] || read -r srv < /run/net/serverid 2>/dev/null
		if [ -z "$srv" ]; then
			nr_err="no server in root=nfs: and DHCP named none (next-server)"
			nr_fatal=1
			return 1
		fi
	fi
	nr_desc="NFS server $srv, export $nfs_path"
	nr_run mount -t nfs -o "$rootmode,nolock,vers=3,proto=tcp${nfs_opts:+,$nfs_opts}" \
		"$srv:$nfs_path" "$NEWROOT" && return 0
	mounted "$NEWROOT" && umount "$NEWROOT"
	return 1
}
