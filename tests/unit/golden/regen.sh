#!/bin/sh
# Regenerate the golden archives NAME.cpio from NAME.spec with the kernel's own
# usr/gen_init_cpio (an independent oracle for builder/cpio.c), then check by hand that
# tests/unit/test_cpio still passes.
#
#   tests/unit/golden/regen.sh /path/to/linux-source   (run from anywhere)
#
# The timestamp must equal GOLDEN_MTIME in tests/unit/test_cpio.c. gen_init_cpio takes
# the mtime of `file` entries from the host file, so the data files are touched first.
set -eu
MTIME=1700000000
[ $# -eq 1 ] || { echo "usage: $0 LINUX_SOURCE_DIR" >&2; exit 2; }
src=$1/usr/gen_init_cpio.c
[ -r "$src" ] || { echo "$0: cannot read $src" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/gen_init_cpio" "$src"
cd "$here"
touch -d "@$MTIME" data/*
for spec in *.spec; do
	"$tmp/gen_init_cpio" -t "$MTIME" "$spec" > "$tmp/out.cpio"
	mv "$tmp/out.cpio" "${spec%.spec}.cpio"
	echo "wrote ${spec%.spec}.cpio"
done
