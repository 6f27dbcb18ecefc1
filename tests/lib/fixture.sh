# fixture.sh — the CLI tests' fixture tree (source it after prologue.sh):
# tests/cli/tree (a package built from tests/cli/fixtures/hello_1.0.orig.tar,
# a fake kernel `kern`, a layer `lay`, an image `img`, a release `rel`).
#   fixture_copy DIR           DIR/tree: a fresh copy of the tree; DIR/cache: a
#                              cache whose sources/ holds the pinned tarball
#   fixture_build DIR [BIN]    `build` DIR/tree with BIN (default $tb) and DIR/cache:
#                              DIR/tree/output/release; Bail out if that fails
#   fixture_release DIR [BIN]  fixture_copy, then fixture_build
fixture_sha=6543afb36c34281b6a118fb91a586f13d58730d7d87faa8c7ac3f45ec5ae4488

fixture_copy() {
    rm -rf "$1/tree" "$1/cache"
    cp -r "$top/tests/cli/tree" "$1/tree"
    mkdir -p "$1/cache/sources/$fixture_sha"
    cp "$top/tests/cli/fixtures/hello_1.0.orig.tar" "$1/cache/sources/$fixture_sha/"
}

fixture_build() {
    if ! (cd "$1/tree" && "${2:-$tb}" --cache "$1/cache" build) > "$1/fixture-build.log" 2>&1; then
        echo "Bail out! the fixture tree does not build"
        sed 's/^/# /' "$1/fixture-build.log"
        exit 1
    fi
}

fixture_release() {
    fixture_copy "$1"
    fixture_build "$@"
}
