# /lib/netroot/nfs.sh - NFS roots, sourced by /init (nfsroot layer; the
# handler interface is described in /init). $type is nfs or nfs4; SPEC (what
# /usr/lib/netroot/cmdline.sh made of root=nfs:, nfs4:, SERVER:/PATH,
# nfsroot=, nfs:// or a DHCP root-path) is one of
#   [SERVER:]/PATH[:OPTS]    dracut's form (OPTS after ':')
#   [SERVER:]/PATH[,OPTS]    the kernel's nfsroot= and DHCP root-path form
#   //SERVER[:PORT]/PATH     RFC 2224 (nfs://), PORT becomes port=PORT
# OPTS are nfs(5) options separated by commas, handed to the kernel as text
# (BusyBox mount adds addr=SERVER) after these defaults (later ones win):
#   NFSv3 (nfs:, the default): ro|rw (command line), nolock (no lockd/statd
#     in an initramfs, as the kernel's own nfsroot), vers=3, proto=tcp
#   NFSv4 (nfs4:, or vers=4, vers=4.0/4.1/4.2, nfsvers=4..., v4 in OPTS):
#     ro|rw, proto=tcp; `mount -t nfs4`, and the server's NFSv4 pseudo path.
#     Without a minor version the kernel would take 4.0: like mount.nfs,
#     vers=4.2 is tried, then 4.1, then 4.0, while the server answers
#     "Protocol not supported" (as mount.nfs does)
# e.g. port=2049,mountport=20048 (then the server's portmapper is not
# asked), timeo=, rsize=, wsize=. %s in PATH is the client's address (the
# kernel's /tftpboot/%s). Without SERVER: nr_dhcp_server (/init): ip='s
# server field, the DHCP next-server, the root-path's server, the DHCP
# server. Modules (this layer): nfs, nfsv3 or nfsv4, sunrpc, lockd, grace,
# auth_rpcgss, ...
nr_parse() {
	local s=$1 copts= o port
	nfs_server= nfs_path= nfs_opts= nfs_vers=3 nfs_minors="4.2 4.1 4.0"
	[ "$type" = nfs4 ] && nfs_vers=4
	case $s in
	//*)
		s=${s#//}
		case $s in */*) ;; *) nr_err="expected nfs://SERVER[:PORT]/PATH"; return 1 ;; esac
		nfs_server=${s%%/*} s=/${s#*/}
		case $nfs_server in
		*:*) port=${nfs_server#*:} nfs_server=${nfs_server%%:*}
		     case $port in
		     '') ;;
		     *[!0-9]*) nr_err="bad port '$port' in nfs://"; return 1 ;;
		     *) copts=port=$port ;;
		     esac ;;
		esac
		[ -n "$nfs_server" ] || { nr_err="no server in nfs://"; return 1; } ;;
	\[*) nr_err="an IPv6 server: these layers speak IPv4 only"; return 1 ;;
	/*) ;;
	*:/*) nfs_server=${s%%:/*} s=/${s#*:/} ;;
	*) nr_err="expected $type:[SERVER:]/PATH[:OPTS]"; return 1 ;;
	esac
	nfs_path=${s%%:*}
	case $s in *:*) nfs_opts=${s#*:} ;; esac
	case $nfs_path in
	*,*) copts=${copts:+$copts,}${nfs_path#*,} nfs_path=${nfs_path%%,*} ;;
	esac
	nfs_opts=$copts${copts:+${nfs_opts:+,}}$nfs_opts
	case $nfs_server in
	*[!A-Za-z0-9.-]*|-*) nr_err="bad server name '$nfs_server'"; return 1 ;;
	esac
	case $nfs_path in
	/*[!A-Za-z0-9/._+@%-]*|'') nr_err="bad export path '$nfs_path'"; return 1 ;;
	/*) ;;
	*) nr_err="the export path must start with /"; return 1 ;;
	esac
	case $nfs_opts in
	*[!A-Za-z0-9=,._-]*) nr_err="bad NFS options '$nfs_opts'"; return 1 ;;
	esac
	# the version the options ask for (the last one counts, as in mount)
	local IFS=,
	set -f
	for o in $nfs_opts; do
		case $o in
		vers=3|nfsvers=3|v3|vers=3.0|nfsvers=3.0)
			[ "$type" = nfs4 ] && {
				set +f; nr_err="root=nfs4: is NFSv4, but the options say '$o'"; return 1; }
			nfs_vers=3 ;;
		vers=4|nfsvers=4|v4) nfs_vers=4 nfs_minors="4.2 4.1 4.0" ;;
		vers=4.[012]|nfsvers=4.[012]|v4.[012]) nfs_vers=4 nfs_minors= ;;
		vers=*|nfsvers=*|v[0-9]*)
			set +f; nr_err="'$o': this layer mounts NFS versions 3 and 4 (4.0, 4.1, 4.2)"; return 1 ;;
		esac
	done
	set +f
	unset IFS
	nr_desc="NFS root ${nfs_server:-(the DHCP server)}:$nfs_path"
	if [ $nfs_vers = 4 ]; then
		nr_modules=nfsv4
		nfs_fstype=nfs4
		nfs_mopts=$rootmode,proto=tcp${nfs_opts:+,$nfs_opts}
	else
		nr_modules=nfsv3
		nfs_fstype=nfs
		nfs_mopts=$rootmode,nolock,vers=3,proto=tcp${nfs_opts:+,$nfs_opts}
	fi
}

nr_attempt() {
	local srv=$nfs_server path=$nfs_path ip= m
	if [ -z "$srv" ]; then
		if ! nr_dhcp_server; then
			nr_err="no server in the command line, and DHCP named none (next-server, root-path, server)"
			nr_fatal=1
			return 1
		fi
		srv=$nr_server
	fi
	case $path in
	*%s*)
		read -r ip < /run/net/ip 2>/dev/null
		while :; do
			case $path in *%s*) path=${path%%%s*}$ip${path#*%s} ;; *) break ;; esac
		done ;;
	esac
	nr_desc="NFS server $srv, export $path"
	if [ $nfs_vers = 4 ] && [ -n "$nfs_minors" ]; then
		for m in $nfs_minors; do
			nr_run mount -t nfs4 -o "$nfs_mopts,vers=$m" "$srv:$path" "$NEWROOT" && return 0
			case $nr_err in *"Protocol not supported"*) ;; *) break ;; esac
		done
	else
		nr_run mount -t "$nfs_fstype" -o "$nfs_mopts" "$srv:$path" "$NEWROOT" && return 0
	fi
	mounted "$NEWROOT" && umount "$NEWROOT"
	return 1
}
