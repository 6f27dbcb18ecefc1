# /usr/lib/netroot/cmdline.sh - which network root the kernel command line
# asks for (recipes/netroot; sourced by /init, and on the host by
# tests/netroot/test-cmdline.sh). Functions only; they read nothing but their
# arguments and write nothing but variables (and say() for warnings). Needs
# base's /lib/tinynetboot/functions.sh sourced first (is_ip4, valid_uint).
#
# The forms (dracut.cmdline(7) and the kernel's nfsroot.rst, same meaning):
#   root=nfs:[SERVER:]/PATH[:OPTS]     NFS (NFSv3 unless OPTS say vers=4.x)
#   root=nfs4:[SERVER:]/PATH[:OPTS]    NFSv4
#   root=nfs://SERVER[:PORT]/PATH      RFC 2224, NFS
#   root=SERVER:/PATH[:OPTS], root=/PATH[:OPTS]   NFS (dracut; not /dev/...)
#   root=/dev/nfs nfsroot=[SERVER:]/PATH[,OPTS]   the kernel's legacy form;
#                                      nfsroot= is refused with any other
#                                      root= (dracut's rule); without
#                                      nfsroot=: the DHCP root-path, else
#                                      /tftpboot/%s (%s: the client's address)
#   root=dhcp, netroot=dhcp, root=nfs, root=nfs4   the DHCP root-path
#                                      (option 17) names the root, in any form
#                                      below (path only: NFS from the server)
#   root=nbd:SERVER:EXPORT[:FSTYPE[:MOUNTOPTS[:NBDOPTS]]]   NBD
#   root=live:http://HOST[:PORT]/PATH  an image fetched into RAM
#   netroot=<any of the above>         the same, when root= is not a network
#                                      root (empty, /dev/root, block:/dev/root,
#                                      /dev/nbd0, /dev/nfs); root= wins otherwise
#   netboot=nfs://SERVER/PATH | nbd://SERVER:PORT | http://HOST/PATH
#                                      SystemRescue's forms, translated
# A DHCP root-path (option 17) may be PATH, SERVER:PATH, PATH,OPTS,
# SERVER:PATH,OPTS, PROTO:SERVER:PATH[:OPTS] (PROTO nfs, nfs4, nbd, live).
# rd.neednet=1 and rd.live.ram=1 are accepted (the network is always up and
# a live image is always in RAM here).

# nr_read_cmdline WORD...: the keywords, into cl_* variables (last one wins,
# as in the kernel and dracut); plus init=, ro/rw, rd.live.sha256=,
# rd.netroot.*. Values are only split and matched, never evaluated.
nr_read_cmdline() {
	local w v
	cl_root= cl_netroot= cl_nfsroot= cl_netboot= cl_ipserver= cl_seen_root=
	init= rootmode=ro retries=8 maxdelay=30 tlimit=60 LIVE_SHA256=
	for w; do
		case $w in
		root=*) cl_root=${w#root=} cl_seen_root=1 ;;
		netroot=*) cl_netroot=${w#netroot=} ;;
		nfsroot=*) cl_nfsroot=${w#nfsroot=} ;;
		netboot=*) cl_netboot=${w#netboot=} ;;
		ip=*)
			# ip=<client>:<server>:...: the kernel's default NFS server
			v=${w#ip=}
			case $v in
			*:*:*) v=${v#*:}; v=${v%%:*}
			       is_ip4 "$v" && [ "$v" != 0.0.0.0 ] && cl_ipserver=$v ;;
			esac ;;
		init=*) init=${w#init=} ;;
		ro) rootmode=ro ;;
		rw) rootmode=rw ;;
		rd.live.sha256=*) LIVE_SHA256=${w#*=} ;;
		rd.netroot.retries=*)
			v=${w#*=}; valid_uint "$v" 4 && [ "$v" -ge 1 ] && retries=$v ||
				say "ignoring $w (want a number >= 1)" ;;
		rd.netroot.maxdelay=*)
			v=${w#*=}; valid_uint "$v" 4 && [ "$v" -ge 1 ] && maxdelay=$v ||
				say "ignoring $w (want seconds >= 1)" ;;
		rd.netroot.timeout=*)
			v=${w#*=}; valid_uint "$v" 4 && [ "$v" -ge 1 ] && tlimit=$v ||
				say "ignoring $w (want seconds >= 1)" ;;
		esac
	done
}

# nr_norm VALUE: a network root as the layers name it, on stdout:
# nfs:SPEC, nfs4:SPEC, nfs://..., nbd:SPEC, live:URL or dhcp:[nfs|nfs4];
# status 1 when VALUE is none of the forms above
nr_norm() {
	case $1 in
	dhcp|dhcp6) echo dhcp: ;;
	nfs|nfs4) echo "dhcp:$1" ;;
	nfs://*|nfs:*|nfs4:*|nbd:*|live:*) echo "$1" ;;
	/dev/*|//*|*//*|*:/dev/*) return 1 ;;
	/*) echo "nfs:$1" ;;
	*:/*)
		# SERVER:/PATH: an IPv4 address or a host name before the colon
		case ${1%%:/*} in
		*[!A-Za-z0-9.-]*|-*|'') return 1 ;;
		esac
		echo "nfs:$1" ;;
	*) return 1 ;;
	esac
}

# nr_what VALUE: why VALUE is not a root these layers mount (for messages)
nr_what() {
	case $1 in
	iscsi:*) echo "iSCSI is not served by these layers" ;;
	fcoe:*|nvme*|aoe:*|cifs:*|zfcp*|dasd*)
		echo "${1%%:*} is not served by these layers" ;;
	http://*|https://*|ftp://*|tftp://*)
		echo "a URL; an image fetched over HTTP is written root=live:http://HOST/PATH" ;;
	nbd://*) echo "an NBD URL; write nbd:SERVER:EXPORT" ;;
	/dev/*|LABEL=*|UUID=*|PARTUUID=*|PARTLABEL=*|block:*|[0-9a-f][0-9a-f][0-9a-f]:*)
		echo "a local disk; these layers mount network roots only" ;;
	*) echo "not a form these layers know" ;;
	esac
}

NR_FORMS="nfs:, nfs4:, SERVER:/PATH, /dev/nfs with nfsroot=, dhcp, nbd:, live:http://"

# nr_pick: from cl_root, cl_netroot, cl_nfsroot, cl_netboot, the root to
# mount: sets nr_root (as nr_norm prints it), nr_from (the keyword it came
# from), nr_legacy=1 for root=/dev/nfs. Returns 0 for a network root, 1 for
# none (the stack boots like base), 2 for a form it does not serve (nr_bad
# says why, for the console and /run/netroot/failed).
nr_pick() {
	local r=$cl_root n=$cl_netroot
	nr_root= nr_from= nr_bad= nr_legacy=
	# the kernel's legacy nfsroot=: dracut takes it with root=/dev/nfs or
	# no root= at all, and refuses it with anything else
	if [ -n "$cl_nfsroot" ]; then
		case $r in
		''|/dev/nfs)
			nr_root=nfs:$cl_nfsroot nr_from="nfsroot=$cl_nfsroot" nr_legacy=1
			case $cl_nfsroot in /*|*:/*) return 0 ;; esac
			nr_bad="bad nfsroot=$cl_nfsroot (want nfsroot=[SERVER:]/PATH[,OPTS])"
			return 2 ;;
		*)
			nr_bad="nfsroot=$cl_nfsroot needs root=/dev/nfs (dracut's rule), but root=$r"
			return 2 ;;
		esac
	fi
	case $r in
	/dev/nfs) nr_root=dhcp:nfs nr_from="root=/dev/nfs" nr_legacy=1 ;;
	'') ;;
	*) nr_root=$(nr_norm "$r") && nr_from="root=$r" ;;
	esac
	if [ -n "$nr_root" ]; then
		[ -n "$n" ] && say "root=$r takes precedence over netroot=$n, which is ignored"
		return 0
	fi
	if [ -n "$n" ]; then
		if ! nr_root=$(nr_norm "$n"); then
			nr_bad="netroot=$n: $(nr_what "$n") (served here: $NR_FORMS)"
			return 2
		fi
		nr_from="netroot=$n"
		case $r in
		''|/dev/root|block:/dev/root) return 0 ;;
		/dev/nbd0|block:/dev/nbd0) case $nr_root in nbd:*) return 0 ;; esac ;;
		esac
		nr_bad="root=$r with netroot=$n: the network root itself becomes the root; drop root= (or use root=/dev/root)"
		return 2
	fi
	case $r in
	'') ;;
	/dev/ram*) return 1 ;;   # the initramfs is the root: boot like base
	*) nr_bad="root=$r: $(nr_what "$r") (served here: $NR_FORMS)"
	   return 2 ;;
	esac
	if [ -n "$cl_netboot" ]; then
		nr_from="netboot=$cl_netboot"
		case $cl_netboot in
		nfs://*) nr_root=$cl_netboot ;;
		nbd://*)
			local s=${cl_netboot#nbd://}
			s=${s%/}
			case $s in
			*:*) nr_root=nbd:$s ;;
			*) nr_root=nbd:$s:10809 ;;
			esac ;;
		http://*) nr_root=live:$cl_netboot ;;
		*) nr_bad="netboot=$cl_netboot: $(nr_what "$cl_netboot") (SystemRescue forms served: nfs://, nbd://, http://)"
		   return 2 ;;
		esac
		return 0
	fi
	return 1
}

# nr_from_rootpath PATH PROTO: the DHCP root-path (option 17) as a network
# root (nr_root, as nr_norm prints it), PROTO (nfs or nfs4) for one without
# a PROTO: prefix; on failure nr_bad and status 1
nr_from_rootpath() {
	local rp=$1 proto=${2:-nfs}
	nr_root=
	case $rp in
	'') nr_bad="the DHCP server sent no root-path (option 17)"; return 1 ;;
	nfs://*|nfs:*|nfs4:*|nbd:*|live:*) nr_root=$rp ;;
	/dev/*|//*|*//*|*:/dev/*) ;;
	/*) nr_root=$proto:$rp ;;
	*:/*) case ${rp%%:/*} in
	      *[!A-Za-z0-9.-]*|-*|'') ;;
	      *) nr_root=$proto:$rp ;;
	      esac ;;
	esac
	[ -n "$nr_root" ] && return 0
	nr_bad="DHCP root-path '$rp': $(nr_what "$rp") (served here: $NR_FORMS)"
	return 1
}

# nr_type ROOT: sets nr_rtype, the handler type of a network root (nfs, nfs4,
# nbd, live), and nr_rspec, what its nr_parse takes (the part after
# "TYPE:"; "//SERVER/PATH" for nfs://)
nr_type() {
	case $1 in
	nfs://*) nr_rtype=nfs nr_rspec=${1#nfs:} ;;
	*) nr_rtype=${1%%:*} nr_rspec=${1#*:} ;;
	esac
}
