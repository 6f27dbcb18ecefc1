#!/usr/bin/env bash
# Pins against a real apt (TAP): a file-based Debian repository made here with
# dpkg-source, dpkg-deb and apt-ftparchive, and apt pointed at it through its
# own APT_CONFIG (never the machine's sources). The fixture tree's package pins
# a source package (debian-src) and its kernel a tarball inside a .deb
# (debian-deb); the archive first offers the pinned versions, then only newer
# ones, as Debian's does after an update.
#   pinned file offered     -> built, SOURCES says pinned
#   pin stale (default)     -> built from what is offered, a notice, NOT PINNED
#   pin stale, --frozen     -> exit 1 before any work, every stale pin named,
#                              the release untouched
#   pin stale, file cached, --frozen -> built (an old release rebuilt from a cache)
#   `pin` with no names     -> re-pins every stale source; a new recipe gets its first pin
#   a directory of a .deb (debian-deb MEMBER ending in "/", firmware's loose files):
#                              packed by the fetcher as a reproducible tar, pinned by
#                              its sha256, the same bytes on another machine; stale pins as above
set -u
. "$(dirname "$0")/../lib/prologue.sh"

scratch_dir pins
export SOURCE_DATE_EPOCH=1735689600

# --- the archive ------------------------------------------------------------
# A source package tnbpin (format 1.0: orig tarball + diff) and a binary package
# tnbpin-source carrying usr/src/tnbpin.tar.xz, in VERSION, into DIR.
make_version() {
    local upstream=$1 version=$2 dir=$3 w=$scratch/work-$2
    mkdir -p "$w/tnbpin-$upstream/debian" "$dir"
    printf '#!/bin/sh\necho hello %s\n' "$upstream" > "$w/tnbpin-$upstream/hello.sh"
    tar -C "$w" --sort=name --mtime=@0 --owner=0 --group=0 -czf "$w/tnbpin_$upstream.orig.tar.gz" "tnbpin-$upstream"
    cat > "$w/tnbpin-$upstream/debian/control" <<CTRL
Source: tnbpin
Maintainer: tinynetboot tests <tests@invalid>

Package: tnbpin
Architecture: all
Description: fixture
CTRL
    printf 'tnbpin (%s) unstable; urgency=low\n\n  * fixture\n\n -- tinynetboot tests <tests@invalid>  Wed, 01 Jan 2025 00:00:00 +0000\n' \
        "$version" > "$w/tnbpin-$upstream/debian/changelog"
    (cd "$w" && dpkg-source -q -b "tnbpin-$upstream" > /dev/null 2>&1) || return 1
    cp "$w"/tnbpin_"$upstream".orig.tar.gz "$w"/tnbpin_"$version".dsc "$w"/tnbpin_"$version".diff.gz "$dir/"
    # the binary package: a tarball inside, like linux-source-6.1's
    mkdir -p "$w/deb/DEBIAN" "$w/deb/usr/src"
    tar -C "$w" --sort=name --mtime=@0 --owner=0 --group=0 -cJf "$w/deb/usr/src/tnbpin.tar.xz" "tnbpin-$upstream"
    # loose files, like firmware-realtek's lib/firmware/rtl_nic/*.fw: a directory member;
    # modes the fetcher normalises (u=rwX,go=rX), a subdirectory, a file beside it left out
    mkdir -p "$w/deb/lib/firmware/tnbfw/sub"
    printf 'fw a %s\n' "$upstream" > "$w/deb/lib/firmware/tnbfw/b.fw"
    printf 'fw b %s\n' "$upstream" > "$w/deb/lib/firmware/tnbfw/a.fw"
    printf 'fw c %s\n' "$upstream" > "$w/deb/lib/firmware/tnbfw/sub/c.fw"
    printf 'not this one\n' > "$w/deb/lib/firmware/other.fw"
    chmod 0664 "$w/deb/lib/firmware/tnbfw/b.fw" && chmod 0755 "$w/deb/lib/firmware/tnbfw/sub/c.fw"
    printf 'Package: tnbpin-source\nVersion: %s\nArchitecture: all\nMaintainer: t <t@invalid>\nDescription: fixture\n' \
        "$version" > "$w/deb/DEBIAN/control"
    dpkg-deb -Zxz --root-owner-group -b "$w/deb" "$dir/tnbpin-source_${version}_all.deb" > /dev/null
}

# Index DIR as a flat repository.
index_repo() {
    (cd "$1" && apt-ftparchive packages . > Packages && apt-ftparchive sources . > Sources &&
        apt-ftparchive release . > Release) 2> /dev/null
}

# use_archive DIR: apt (for this script and the builder it runs) sees only DIR.
use_archive() {
    local a=$scratch/apt
    rm -rf "$a" && mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/parts" "$a/prefs"
    printf 'deb [trusted=yes] file:%s ./\ndeb-src [trusted=yes] file:%s ./\n' "$1" "$1" > "$a/sources.list"
    cat > "$a/apt.conf" <<CONF
Dir::Etc::sourcelist "$a/sources.list";
Dir::Etc::sourceparts "$a/parts";
Dir::Etc::preferencesparts "$a/prefs";
Dir::State::lists "$a/lists";
Dir::Cache "$a/cache";
Acquire::Languages "none";
APT::Sandbox::User "root";
CONF
    export APT_CONFIG=$a/apt.conf
    apt-get update -qq > "$scratch/apt-update.log" 2>&1
}

make_version 1.0 1.0-1 "$scratch/archive-old" && make_version 1.1 1.1-1 "$scratch/archive-new" &&
    index_repo "$scratch/archive-old" && index_repo "$scratch/archive-new"
check "a file-based archive with tnbpin 1.0-1, another with 1.1-1" test -s "$scratch/archive-new/Release"
use_archive "$scratch/archive-old"
check "apt, pointed at it, offers tnbpin 1.0-1 (source and binary)" \
    sh -c 'apt-cache madison tnbpin | grep -q "1.0-1.*Sources" && apt-cache madison tnbpin-source | grep -q 1.0-1'

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
old_src_sha=$(sha_of "$scratch/archive-old/tnbpin_1.0.orig.tar.gz")
old_deb_sha=$(sha_of "$scratch/work-1.0-1/deb/usr/src/tnbpin.tar.xz")

# --- the tree: the command-line fixture, its sources pinned to 1.0-1 -----------
tree=$scratch/tree
cp -r "$top/tests/cli/tree" "$tree"
cat > "$tree/recipes/hello/recipe" <<R
name     hello
kind     package
version  1.0-1
source   debian-src tnbpin tnbpin_1.0.orig.tar.gz
sha256   $old_src_sha
license  MIT
build    build
R
sed -i 's/^source .*/version  1.0-1\nsource   debian-deb tnbpin-source usr\/src\/tnbpin.tar.xz\nsha256   '"$old_deb_sha"'/' \
    "$tree/recipes/kern/recipe"

# run_tb CACHE ARGS...: sets rc, and err/out files
run_tb() {
    local cache=$1; shift
    (cd "$tree" && "$tb" --cache "$cache" "$@") > "$scratch/out" 2> "$scratch/err"
    rc=$?
}
show_err() { sed 's/^/#   /' "$scratch/err" | tail -n 15; }
sources_line() { grep "^$1 " "$tree/output/release/SOURCES"; }

# 1. the pinned files are offered
run_tb "$scratch/cache1" build
check "pins offered: the build succeeds" test "$rc" = 0 || show_err
check "... SOURCES: hello built from its pin" \
    sh -c "grep -q '^hello tnbpin 1.0-1 tnbpin_1.0.orig.tar.gz $old_src_sha pinned$' '$tree/output/release/SOURCES'"
check "... SOURCES: kern built from its pin (a tarball in a .deb)" \
    sh -c "grep -q '^kern tnbpin-source 1.0-1 usr/src/tnbpin.tar.xz $old_deb_sha pinned$' '$tree/output/release/SOURCES'"
check "... SOURCES is listed in SHA256SUMS and verifies" \
    sh -c "cd '$tree/output/release' && grep -q '  SOURCES$' SHA256SUMS && sha256sum --quiet -c SHA256SUMS"
check "... no notice of stale pins" sh -c "! grep -q -i 'stale\|not pinned' '$scratch/err'"
cp -a "$tree/output/release" "$scratch/release-pinned"

# 2. the archive moves on; a new machine (empty cache) builds anyway
use_archive "$scratch/archive-new"
new_src_sha=$(sha_of "$scratch/archive-new/tnbpin_1.1.orig.tar.gz")
run_tb "$scratch/cache2" build
check "pins stale, default build: succeeds" test "$rc" = 0 || show_err
check "... says it once per source, with the version and sha256 it used" \
    sh -c "test \$(grep -c 'pinned 1.0-1 is no longer offered; building 1.1-1 (sha256 ' '$scratch/err') = 2 &&
           grep -q '^hello: pinned 1.0-1 is no longer offered; building 1.1-1 (sha256 ${new_src_sha:0:12}' '$scratch/err'"
check "... SOURCES: NOT PINNED with what the recipe pins" \
    sh -c "grep -q '^hello tnbpin 1.1-1 tnbpin_1.1.orig.tar.gz $new_src_sha NOT PINNED (recipe pins 1.0-1)$' '$tree/output/release/SOURCES' &&
           grep -q '^kern tnbpin-source 1.1-1 usr/src/tnbpin.tar.xz [0-9a-f]* NOT PINNED (recipe pins 1.0-1)$' '$tree/output/release/SOURCES'"
check "... sizes.txt and the build's last line say so" \
    sh -c "grep -q 'NOT PINNED' '$tree/output/release/sizes.txt' && tail -n 1 '$scratch/err' | grep -q 'NOT PINNED'"
check "... the layer carries the newer source's file" \
    sh -c "xz -dc '$tree/output/release/lay.cpio.xz' | cpio -i --to-stdout bin/hello 2>/dev/null | grep -q 'hello 1.1'"
run_tb "$scratch/cache2" build
check "... a second build reuses the fetched file (no download, all cached)" \
    sh -c "test $rc = 0 && ! grep -q 'building\\.\\.\\.' '$scratch/err'"

# 3. --frozen on a new machine: nothing is built, every stale pin named
rm -rf "$tree/output/release" && cp -a "$scratch/release-pinned" "$tree/output/release"
before=$(cd "$tree/output/release" && find . -printf '%p %s %T@\n' | sort | sha256sum)
run_tb "$scratch/cache3" build --frozen
check "pins stale, --frozen: exit 1" test "$rc" = 1 || show_err
check "... names every stale pin with its FILE:LINE" \
    sh -c "grep -q 'recipes/hello/recipe:3: tnbpin pinned 1.0-1 is no longer offered; the archive offers 1.1-1' '$scratch/err' &&
           grep -q 'recipes/kern/recipe:5: tnbpin-source pinned 1.0-1 is no longer offered' '$scratch/err'"
check "... before building anything" sh -c "! grep -q '^\[' '$scratch/err'"
after=$(cd "$tree/output/release" && find . -printf '%p %s %T@\n' | sort | sha256sum)
check "... the release is untouched" test "$before" = "$after"

# 4. --frozen with the pinned files in the cache: an old release, rebuilt byte for byte
run_tb "$scratch/cache1" build --frozen
check "pins stale but cached, --frozen: builds" test "$rc" = 0 || show_err
check "... byte-identical to the release built when the pins were offered" \
    cmp -s "$scratch/release-pinned/SHA256SUMS" "$tree/output/release/SHA256SUMS"

# 5. make repin: every stale pin in one command, then --frozen builds
run_tb "$scratch/cache3" pin
check "pin with no names: re-pins every stale source" \
    sh -c "test $rc = 0 && grep -q 'recipes/hello/recipe: pinned tnbpin 1.1-1' '$scratch/out' &&
           grep -q 'recipes/kern/recipe: pinned tnbpin-source 1.1-1' '$scratch/out'" || show_err
check "... the recipe now pins 1.1-1 and its sha256" \
    sh -c "grep -q '^version  1.1-1$' '$tree/recipes/hello/recipe' && grep -q '^sha256   $new_src_sha$' '$tree/recipes/hello/recipe' &&
           grep -q '^source   debian-src tnbpin tnbpin_1.1.orig.tar.gz$' '$tree/recipes/hello/recipe'"
run_tb "$scratch/cache3" pin
check "... a second run finds nothing to do" sh -c "test $rc = 0 && grep -q 'every pin is current' '$scratch/out'"
run_tb "$scratch/cache3" build --frozen
check "... and --frozen builds, every source pinned" \
    sh -c "test $rc = 0 && ! grep -q 'NOT PINNED' '$tree/output/release/SOURCES'" || show_err

# 6. a brand-new recipe has no pin yet: the default build says so, pin adds it
mkdir -p "$tree/recipes/newpkg"
printf 'name     newpkg\nkind     package\nsource   debian-src tnbpin tnbpin_1.1.orig.tar.gz\nlicense  MIT\nbuild    build\n' \
    > "$tree/recipes/newpkg/recipe"
printf 'mkdir -p "$OUT/target"\n' > "$tree/recipes/newpkg/build"
run_tb "$scratch/cache3" lint
check "a new recipe pinning what another recipe pins: refused (one source, one pin)" \
    sh -c "test $rc = 2 && grep -q 'already pinned by recipes/hello/recipe' '$scratch/err'"
sed -i 's/^source .*/source   debian-deb tnbpin-source usr\/src\/tnbpin.tar.xz/' "$tree/recipes/newpkg/recipe"
sed -i 's/^source .*/source   recipe hello/; /^version/d; /^sha256/d' "$tree/recipes/kern/recipe"
run_tb "$scratch/cache3" lint
check "... a new recipe without a pin: lint accepts it" test "$rc" = 0 || show_err
run_tb "$scratch/cache3" build newpkg
check "... builds, saying it is not pinned yet" \
    sh -c "test $rc = 0 && grep -q \"^newpkg: not pinned yet; building 1.1-1\" '$scratch/err'" || show_err
run_tb "$scratch/cache3" build --frozen newpkg
check "... --frozen refuses it" sh -c "test $rc = 1 && grep -q 'recipes/newpkg/recipe:3: tnbpin-source is not pinned yet' '$scratch/err'"
run_tb "$scratch/cache3" pin newpkg
check "... pin NAME gives it its first pin (version and sha256 after the source line)" \
    sh -c "test $rc = 0 && sed -n 3,5p '$tree/recipes/newpkg/recipe' | tr -s ' ' | cut -d' ' -f1 | tr '\n' ' ' | grep -qx 'version source sha256 '" || show_err
run_tb "$scratch/cache3" build --frozen newpkg
check "... then --frozen builds it" test "$rc" = 0 || show_err

# 7. a directory of a .deb: `source debian-deb PKG DIR/` (firmware's loose files)
use_archive "$scratch/archive-old"
mkdir -p "$tree/recipes/fw"
printf 'name     fw\nkind     package\nsource   debian-deb tnbpin-source lib/firmware/tnbfw/\nlicense  MIT\nbuild    build\n' \
    > "$tree/recipes/fw/recipe"
printf 'mkdir -p "$OUT/target/lib/firmware/tnbfw"\ncp -R ./. "$OUT/target/lib/firmware/tnbfw/"\n' > "$tree/recipes/fw/build"
run_tb "$scratch/cache4" build fw
check "a directory member (DIR/): unpinned, it builds from what the archive offers" \
    sh -c "test $rc = 0 && grep -q '^fw: not pinned yet; building 1.0-1' '$scratch/err'" || show_err
run_tb "$scratch/cache4" pin fw
fw_sha=$(sed -n 's/^sha256 *//p' "$tree/recipes/fw/recipe")
check "... pin gives it the sha256 of the packed tar" \
    sh -c "test $rc = 0 && grep -q '^version  1.0-1$' '$tree/recipes/fw/recipe' &&
           test \"\$(sha256sum < '$scratch/cache4/sources/$fw_sha/tnbfw.tar' | cut -d' ' -f1)\" = '$fw_sha'" || show_err
fw_tar=$scratch/cache4/sources/$fw_sha/tnbfw.tar
fw_list=$(tar -tf "$fw_tar" 2>&1 | tr '\n' ' ')
check "... the tar holds that directory only, as its one top directory, names sorted" \
    test "$fw_list" = 'tnbfw/ tnbfw/a.fw tnbfw/b.fw tnbfw/sub/ tnbfw/sub/c.fw '
fw_meta=$(TZ=UTC tar --numeric-owner -tvf "$fw_tar" 2>&1 | awk '{print $1, $2, $4, $5}' | sort -u | tr '\n' ';')
check "... owner 0/0 numeric, mtime 0, modes u=rwX,go=rX (0664 -> 0644, 0755 kept)" \
    test "$fw_meta" = '-rw-r--r-- 0/0 1970-01-01 00:00;-rwxr-xr-x 0/0 1970-01-01 00:00;drwxr-xr-x 0/0 1970-01-01 00:00;'
fw_magic=$(dd if="$fw_tar" bs=1 skip=257 count=8 2> /dev/null | od -An -c | tr -d ' ')
fw_names=$(dd if="$fw_tar" bs=1 skip=265 count=64 2> /dev/null | tr -d '\0')
check "... GNU tar format, no user or group names" test "$fw_magic" = 'ustar\0' -a -z "$fw_names"
fw_files=$(find "$scratch"/cache4/build/fw-*/target -type f -printf '%P %m\n' 2>&1 | sort | tr '\n' ' ')
check "... the package gets the directory's files as SRC (the tar's top directory)" \
    test "$fw_files" = 'lib/firmware/tnbfw/a.fw 644 lib/firmware/tnbfw/b.fw 644 lib/firmware/tnbfw/sub/c.fw 755 '
(umask 077 && export SOURCE_DATE_EPOCH=1 && run_tb "$scratch/cache5" build --frozen fw && exit "$rc")
rc=$?
check "... another machine (empty cache, umask 077, another SOURCE_DATE_EPOCH) packs the same bytes: --frozen builds" \
    sh -c "test $rc = 0 && test -f '$scratch/cache5/sources/$fw_sha/tnbfw.tar'" || show_err
use_archive "$scratch/archive-new"
run_tb "$scratch/cache6" build fw
check "... the archive moves on: a stale directory pin builds what is offered and says so" \
    sh -c "test $rc = 0 && grep -q '^fw: pinned 1.0-1 is no longer offered; building 1.1-1 (sha256 ' '$scratch/err' &&
           grep -q 'fw c 1.1' $scratch/cache6/build/fw-*/target/lib/firmware/tnbfw/sub/c.fw" || show_err
run_tb "$scratch/cache7" build --frozen fw
check "... --frozen refuses it, naming the pin" \
    sh -c "test $rc = 1 && grep -q 'recipes/fw/recipe:3: tnbpin-source pinned 1.0-1 is no longer offered' '$scratch/err'"
sed -i 's|^source .*|source   debian-deb tnbpin-source lib/firmware/other.fw/|; /^version/d; /^sha256/d' "$tree/recipes/fw/recipe"
run_tb "$scratch/cache7" build fw
check "... a member with a / that is a file in the .deb: the build fails and says so" \
    sh -c "test $rc = 1 && grep -q 'lib/firmware/other.fw is not a directory in the .deb' '$scratch/err' $scratch/cache7/logs/* $tree/output/logs/* 2>/dev/null" || show_err
tap_end
