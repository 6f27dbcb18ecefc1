# recipes/lib/build.sh - the few steps every package build script repeats,
# as small named functions (toybox mkroot's packages/plumbing is the model).
# A build script sources it first thing:
#     . "$RECIPE_DIR/../lib/build.sh"
# It defines functions and one variable, $who (the recipe's name, for
# messages); it runs nothing. Its own variables start with an underscore. The builder hashes this directory into the
# cache key of every package recipe (kind package), so a change here
# rebuilds them; kernel recipes' scripts do not source it.

who=${RECIPE_DIR##*/}

# die MESSAGE...: "NAME/build: MESSAGE" on stderr, exit 1 (a build failure)
die() {
    echo "$who/build: $*" >&2
    exit 1
}

# need_arch ARCH...: stop unless $TARGET_ARCH (the builder sets it) is one of them
need_arch() {
    for _arch in "$@"; do
        [ "${TARGET_ARCH:-i386}" = "$_arch" ] && return 0
    done
    die "TARGET_ARCH=$TARGET_ARCH not supported ($* only)"
}

# musl_cc: print the path of the musl compiler wrapper of the `depends musl`
# package (recipes/musl/build makes it); stop if it is not there.
# Use: cc=$(musl_cc)
musl_cc() {
    _cc="${DEP_MUSL:?depends musl}/staging/bin/musl-gcc"
    [ -x "$_cc" ] || die "no $_cc"
    echo "$_cc"
}

# apply_patches: patch -p1 the current directory with every file named in
# $RECIPE_DIR/patches/series, in order ('#' lines and blank lines skipped)
apply_patches() {
    while read -r _patch; do
        case $_patch in ''|'#'*) continue ;; esac
        echo "applying $_patch"
        patch -p1 --no-backup-if-mismatch < "$RECIPE_DIR/patches/$_patch"
    done < "$RECIPE_DIR/patches/series"
}

# check_i386 FILE: stop unless FILE is i386 code (an executable, an object
# or an archive of objects)
check_i386() {
    readelf -h "$1" | grep -q 'Machine:.*80386' || die "${1#"$OUT"/} is not i386"
}

# check_static FILE: stop unless FILE is a static i386 executable (no
# program interpreter)
check_static() {
    check_i386 "$1"
    if readelf -l "$1" | grep -q INTERP; then die "${1#"$OUT"/} is dynamically linked"; fi
}

# install_exe BINARY DEST: copy BINARY to DEST stripped (no .comment), mode
# 0755, and check it is a static i386 executable
install_exe() {
    mkdir -p "$(dirname "$2")"
    strip --strip-all -R .comment -o "$2" "$1"
    chmod 0755 "$2"
    check_static "$2"
}
