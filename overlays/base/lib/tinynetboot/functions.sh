# /lib/tinynetboot/functions.sh - shell helpers shared by the init scripts of
# every layer (base layer; a site layer's scripts may use them too). Sourced,
# never run:
#     SAY_TAG=myservice
#     . /lib/tinynetboot/functions.sh
#     start() { ...; }   stop() { ...; }   [restart() { ...; }]
#     service_main "$@"
# Each helper that reads the kernel command line splits it into words with
# globbing off and only matches them: nothing read is ever evaluated.

# say MESSAGE...: one console line, "TAG: MESSAGE" (TAG: $SAY_TAG, else the
# script's name).
say() { printf '%s: %s\n' "${SAY_TAG:-${0##*/}}" "$*"; }

# service_main ARG: an init script's dispatch. start and stop run the script's
# functions of those names (a script without stop() has nothing to stop);
# restart runs the script's restart() if it has one, else stop, 1 s, start.
# The exit status is the function's: rcS reports a start that fails.
service_main() {
	case $1 in
	start) start ;;
	stop) if command -v stop > /dev/null; then stop; fi ;;
	restart)
		if command -v restart > /dev/null; then
			restart
		else
			if command -v stop > /dev/null; then stop; fi
			sleep 1
			start
		fi ;;
	*) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
	esac
}

# cmdline_list KEY: the comma-separated values of every KEY=a,b word of the
# kernel command line, one per line (dracut's rd.driver.pre= style).
cmdline_list() {
	local w
	set -f
	for w in $(cat /proc/cmdline); do
		case $w in "$1="*) echo "${w#*=}" | tr ',' '\n' ;; esac
	done
	set +f
}

# mounted DIR: something is mounted on DIR (/proc/mounts, read by the shell
# itself: no program started). Before /proc is mounted, nothing is (checked
# first: the shell reports a failed `< FILE` before any 2>/dev/null applies).
mounted() {
	local dev dir rest
	[ -r /proc/mounts ] || return 1
	while read -r dev dir rest; do
		[ "$dir" = "$1" ] && return 0
	done < /proc/mounts
	return 1
}

# valid_uint VALUE MAXDIGITS: VALUE is a decimal number of 1..MAXDIGITS digits.
valid_uint() {
	case $1 in ''|*[!0-9]*) return 1 ;; esac
	[ ${#1} -le "$2" ]
}

# is_ip4 A.B.C.D: a dotted IPv4 address, each part 0..255.
is_ip4() {
	case $1 in ''|*[!0-9.]*|.*|*.|*..*) return 1 ;; esac
	local IFS=. o
	set -f; set -- $1; set +f
	[ $# -eq 4 ] || return 1
	for o; do
		[ ${#o} -le 3 ] && [ "$o" -le 255 ] || return 1
	done
}

# pidfile_alive FILE: the process whose pid FILE holds is running.
pidfile_alive() {
	local pid
	[ -r "$1" ] && read -r pid < "$1" && kill -0 "$pid" 2>/dev/null
}

# kill_pidfiles FILE...: signals the process each FILE names and removes the
# FILE, in the order given (a supervisor before its child, which it would
# otherwise start again).
kill_pidfiles() {
	local p pid
	for p; do
		[ -r "$p" ] && read -r pid < "$p" && kill "$pid" 2>/dev/null
		rm -f "$p"
	done
	return 0
}

# ether_ifaces: every Ethernet interface (ARPHRD_ETHER), in name order.
ether_ifaces() {
	local d t
	for d in /sys/class/net/*; do
		[ -r "$d/type" ] || continue
		read -r t < "$d/type"
		[ "$t" = 1 ] && echo "${d##*/}"
	done
}

# modules_index: BusyBox modprobe's index of the modules' names, aliases and
# dependencies (modules.dep.bb), made anew. Without it the first modprobe scans
# the modules and loads the one it was asked for as soon as it finds it, before
# its dependencies: a screenful of "Unknown symbol" lines (490 for nfsv4), then
# a second try that works. Make it before loading modules by name, and again
# after adding or removing module files.
modules_index() {
	rm -f "/lib/modules/$(uname -r)/modules.dep.bb"
	modprobe -q tinynetboot-index-only 2>/dev/null
	return 0
}

# link_up_early [IFACE...]: sets the given Ethernet interfaces (default: all)
# administratively up, unless the first ip= keyword is off or none. Link
# negotiation takes 1-3 s on a real switch (and QEMU's e1000 holds received
# frames for 1 s after its driver programs the receiver): started at the top
# of rcS (S01link) for the NICs the kernel has built in, and by the drivers
# layer's hotplug helper the moment a module's NIC appears (S02drivers again
# after its coldplug), it runs while the other init scripts do.
# S10network decides later which interface gets an address and sets the
# others down again.
link_up_early() {
	local i t f
	for i in $(cmdline_list ip); do
		case $i in off|none) return 0 ;; esac
		break
	done
	[ $# -gt 0 ] || set -- $(ether_ifaces)
	for i; do
		t= f=
		read -r t < "/sys/class/net/$i/type" 2>/dev/null
		read -r f < "/sys/class/net/$i/flags" 2>/dev/null
		case $f in 0x|0x*[!0-9a-fA-F]*) f=0 ;; 0x*) ;; *) f=0 ;; esac
		# one already up (S01link's, when S02drivers calls this) costs no program
		[ "$t" = 1 ] && [ $((f & 1)) = 0 ] && ip link set dev "$i" up 2>/dev/null
	done
	return 0
}
