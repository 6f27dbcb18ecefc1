# /etc/profile.d/netroot.sh - netroot layers: a network root that could not be
# used leaves its reason in /run/netroot/failed (written by /init); every
# login shell of the rescue system shows it.
if [ -r /run/netroot/failed ]; then
	echo "netroot: no network root; the base system runs as a rescue shell. Reason:"
	sed 's/^/netroot:   /' /run/netroot/failed
	echo "netroot: fix the cause, then reboot (the network is up; the tools are BusyBox's)"
fi
