# /etc/profile.d/rescue.sh - rescue layer: a reminder for login shells (the
# console's, and ssh logins) of what this system is and whether sshd runs.
if [ -r /run/sshd.status ]; then
	echo "tinynetboot rescue system. sshd: $(cat /run/sshd.status)"
else
	echo "tinynetboot rescue system."
fi
echo "Disks: fdisk -l; modules: lsmod; network: ip addr, /run/net; log: dmesg."
