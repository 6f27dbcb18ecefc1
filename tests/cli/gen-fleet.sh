#!/usr/bin/env bash
# gen-fleet.sh N IMAGE [GROUP_LAYER [PASSWORD_FILE]] — a clients file for a fleet of N
# machines on stdout, as a large site writes one: rooms of 40 (`group room-K`: the image,
# a label, a cmdline, GROUP_LAYER when given, PASSWORD_FILE when given), then every
# machine by MAC (`client 52:54:00:XX:XX:XX pcN`, in its room; every tenth has a cmdline
# of its own). MACs and names are unique and derived from N alone: deterministic.
# Used by tests/cli/test-fleet.sh and `make bench` (section menu).
set -eu
n=${1:?usage: gen-fleet.sh N IMAGE [GROUP_LAYER [PASSWORD_FILE]]}
image=${2:?usage: gen-fleet.sh N IMAGE [GROUP_LAYER [PASSWORD_FILE]]}
awk -v n="$n" -v image="$image" -v layer="${3:-}" -v pass="${4:-}" 'BEGIN {
    per = 40
    rooms = int((n + per - 1) / per)
    print "# a fleet of " n " machines in " rooms " rooms (tests/cli/gen-fleet.sh)"
    for (r = 0; r < rooms; r++) {
        printf "group room-%d\n    image    %s\n    label    Room %d\n    cmdline  room=%d\n", r, image, r, r
        if (layer != "") printf "    layer    %s\n", layer
        if (pass != "") printf "    password-file %s\n", pass
    }
    print ""
    for (i = 0; i < n; i++) {
        printf "client 52:54:00:%02x:%02x:%02x pc%d\n    group    room-%d\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256, i, int(i / per)
        if (i % 10 == 0) printf "    cmdline  marker=pc%d\n", i
    }
}'
