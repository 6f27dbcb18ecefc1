#!/bin/sh
# Make this example's site layers and boot menus on top of a built release.
#   examples/classroom/setup.sh [RELEASE_DIR]      (default: output/release)
# The release is not rebuilt: site layers are a few hundred bytes each and take
# milliseconds. The passwords here are examples: change them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rel=${1:-$top/output/release}
tb=$top/output/bin/tinynetboot
for site in classroom-a pc17; do
    "$tb" layer -o "$rel/sites/$site.cpio.xz" --from "$here/sites/$site"
done
"$tb" -C "$top" menu --release "$rel" --clients "$here/clients" \
    --subnet 10.0.0.0/24 --server-ip 10.0.0.1
# what the site layers change in the release's layers
"$tb" -C "$top" stack "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$rel/sites/classroom-a.cpio.xz" "$rel/sites/pc17.cpio.xz"
