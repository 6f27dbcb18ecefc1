#!/usr/bin/env bash
# make bench — one table, also written to output/bench.txt:
#   sizes    kernel, every layer, every image stack, budgets and headroom
#            (`tinynetboot sizes`), and Debian's stock kernel for scale;
#   boot     QEMU start -> kernel banner, init, DHCP lease, shell prompt, and
#            the fbvnc viewer's first frame from a real Xvnc, for our kernel
#            and, in the same run, Debian's stock amd64 kernel booting the same
#            layers (our i386 userland runs on it through IA32 emulation), as a
#            ratio; TCG unless a probe boot shows KVM works; median of
#            BENCH_RUNS (3) boots;
#   phases   the vnc image's boot under BIOS and UEFI (and Debian's kernel with
#            the same layers) split into phases, from the serial console's
#            lines as they arrive; the 5 slowest initcalls; a boot chart in
#            output/bench-bootchart.svg (tests/bench/phases.sh, bootchart.py);
#   RAM      the smallest -m at which the vnc image still draws its first frame;
#   build    clean build (only with BENCH_CLEAN=1: tens of minutes), no-op
#            rebuild, one overlay changed, a site layer, in a copy of the tree
#            with the shared build cache;
#   cpio     our writer against GNU cpio and the kernel's usr/gen_init_cpio on
#            the same generated tree: time ratio, extracted trees compared;
#   menu     `tinynetboot menu` for fleets of 1,000 and 10,000 clients
#            (tests/cli/gen-fleet.sh: rooms of 40) in a copy of the release:
#            wall and CPU seconds, peak RSS (/usr/bin/time), first write and an
#            unchanged re-run, and rooms with a menu password.
#   wire     one client alone: the `shell` stack by TFTP through PXELINUX and by
#            HTTP through iPXE from `tinynetboot serve` (the storm with one client)
# BENCH_SECTIONS="sizes boot phases ram build cpio menu wire" (the default) picks sections,
# BENCH_RUNS (3) the boots per median, BENCH_OUT the file (output/bench.txt).
# Nothing here fails the bench: a row that cannot be measured says why.
# Downloads (Debian's kernel package, once) and gen_init_cpio are kept in
# CACHE/bench (CACHE: $TINYNETBOOT_CACHE, else ~/.cache/tinynetboot).
# Section `storm`, NOT in the default list (two storms of TCG boots, ~5 min,
# root): BENCH_STORM_N (8) clients boot shell through `tinynetboot serve` at
# once, TFTP only vs iPXE + HTTP, as a ratio (tests/bench/storm.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rel=$top/output/release
tb=$top/output/bin/tinynetboot
. "$top/tests/lib/qemu.sh"
. "$here/phases.sh"
scratch=$(mktemp -d /tmp/tnb-bench.XXXXXX)
fb_xvnc=
cleanup() {
    [ -n "$fb_xvnc" ] && kill "$fb_xvnc" 2>/dev/null
    rm -rf "$scratch"
}
trap cleanup EXIT
out=${BENCH_OUT:-$top/output/bench.txt}
runs=${BENCH_RUNS:-3}
sections=" ${BENCH_SECTIONS:-sizes boot phases ram build cpio menu wire} "
want() { case $sections in *" $1 "*) return 0;; esac; return 1; }
if [ -n "${TINYNETBOOT_CACHE:-}" ]; then cache=$TINYNETBOOT_CACHE
elif [ -n "${XDG_CACHE_HOME:-}" ]; then cache=$XDG_CACHE_HOME/tinynetboot
else cache=$HOME/.cache/tinynetboot; fi
bcache=$cache/bench
mkdir -p "$bcache"

row()  { printf '%-52s %13s %13s %11s\n' "$@"; }     # what, ours, stock, stock/ours
row1() { printf '%-52s %12s  %s\n' "$1" "$2" "${3:-}"; }  # what, value, note
ratio() { case "$1$2" in *[!0-9.]*|'') echo -;; *) echo "$1 $2" | awk '$1 > 0 {printf "%.2f", $2 / $1; exit} {print "-"}';; esac; }
median() { grep -v '^-$' | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.2f\n", a[int((NR+1)/2)]; else print "-"}'; }
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc | awk '{printf "%.3f", $1}'; }

# boot_marks LOG LIMIT QEMU-BIN QEMU-ARGS...: one boot; prints, for each regex
# in the array MARKS, the seconds from QEMU start to the first serial line
# matching it ("-" if it never came). Stops at the last marker, a panic, or LIMIT.
boot_marks() {
    local log=$1 limit=$2 qbin=$3; shift 3
    local -a t=()
    local i last=$((${#MARKS[@]} - 1)) start deadline pid
    : > "$log"
    start=$(now)
    "$qbin" -display none -monitor none -no-reboot -serial "file:$log" "$@" > "$log.qemu" 2>&1 &
    pid=$!
    deadline=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        for i in "${!MARKS[@]}"; do
            [ -z "${t[i]:-}" ] && grep -q -E -- "${MARKS[i]}" "$log" && t[i]=$(elapsed "$start")
        done
        [ -n "${t[last]:-}" ] && break
        grep -q 'Kernel panic' "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for i in "${!MARKS[@]}"; do printf '%s ' "${t[i]:--}"; done
    echo
}

# median_marks FILE: the per-column medians of boot_marks lines
median_marks() {
    local c
    for c in $(seq 1 "${#MARKS[@]}"); do awk -v c="$c" '{print $c}' "$1" | median; done
}

accel=$(qemu_accel "$rel/bzImage")

# --- a bench-only top layer: its S99 prints a marker once base's S?? scripts
# are done (the DHCP lease is taken by then); the shell prompt follows.
printf '%s\n' '#!/bin/sh' \
    '[ "$1" = start ] && echo "TNB-BENCH lease-done uptime=$(cut -d" " -f1 /proc/uptime)" > /dev/console' \
    > "$scratch/S99bench"
"$tb" layer -o "$scratch/bench.cpio.xz" --file "$scratch/S99bench:/etc/init.d/S99bench:0755"

# --- Debian's stock kernel (linux-image-amd64's current package), downloaded
# once with apt-get download (never installed), vmlinuz and the few modules
# our layers need extracted. Its e1000 NIC, evdev and PS/2 mouse drivers are
# modules: a bench-only layer carries them and S05stockmods insmods them, so
# both kernels boot the same stack. Sets stock_kernel, stock_layer or stock_why.
stock_kernel='' stock_layer='' stock_why='' stock_ver=''
stock_prepare() {
    local pkg deb dir m
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
    if [ -z "$pkg" ]; then   # offline apt: whatever an earlier run left
        dir=$(ls -d "$bcache"/linux-image-*-amd64 2>/dev/null | tail -n1)
        [ -n "$dir" ] || { stock_why="apt-cache knows no linux-image-amd64"; return 1; }
        pkg=${dir##*/}
    fi
    stock_ver=${pkg#linux-image-}
    dir=$bcache/$pkg
    if [ ! -f "$dir/ok" ]; then
        rm -rf "$dir"; mkdir -p "$dir"
        deb=$(ls "$bcache/${pkg}_"*.deb 2>/dev/null | tail -n1)
        if [ -z "$deb" ]; then
            (cd "$bcache" && apt-get download "$pkg") > "$scratch/apt.log" 2>&1
            deb=$(ls "$bcache/${pkg}_"*.deb 2>/dev/null | tail -n1)
            [ -n "$deb" ] || { stock_why="apt-get download $pkg failed: $(grep -m1 '^E:' "$scratch/apt.log")"; return 1; }
        fi
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards "./boot/vmlinuz-*" \
            "./lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko" \
            "./lib/modules/*/kernel/drivers/input/evdev.ko" \
            "./lib/modules/*/kernel/drivers/input/mouse/psmouse.ko" 2> "$scratch/tar.log" ||
            { stock_why="cannot extract $deb: $(head -n1 "$scratch/tar.log")"; return 1; }
        touch "$dir/ok"
        rm -f "$deb"   # 70 MB; what we need is extracted
    fi
    stock_kernel=$(ls "$dir"/boot/vmlinuz-* | head -n1)
    printf '%s\n' '#!/bin/sh' '[ "$1" = start ] || exit 0' \
        'for m in /lib/modules/stock/*.ko; do insmod "$m" || echo "S05stockmods: insmod $m failed"; done' \
        > "$scratch/S05stockmods"
    local args=(--file "$scratch/S05stockmods:/etc/init.d/S05stockmods:0755")
    for m in $(find "$dir/lib/modules" -name '*.ko' | sort); do
        args+=(--file "$m:/lib/modules/stock/${m##*/}")
    done
    "$tb" layer -o "$scratch/stockmods.cpio.xz" "${args[@]}" 2> "$scratch/layer.log" ||
        { stock_why="stock modules layer: $(head -n1 "$scratch/layer.log")"; return 1; }
    stock_layer=$scratch/stockmods.cpio.xz
}
{ want sizes || want boot || want phases; } && { stock_prepare || true; }
stock_na="(unavailable: $stock_why)"

# --- Xvnc on the host's loopback (the guest reaches it as 10.0.2.2), for the
# first-frame rows and the RAM bisection.
xvnc_why=
if ! want boot && ! want ram && ! want phases; then xvnc_why="not asked for"
elif [ ! -f "$rel/fbvnc.cpio.xz" ]; then xvnc_why="no $rel/fbvnc.cpio.xz"
elif ! command -v Xvnc > /dev/null; then xvnc_why="no Xvnc"
else
    for fb_disp in $(seq 81 99); do
        [ -e "/tmp/.X11-unix/X$fb_disp" ] || [ -e "/tmp/.X$fb_disp-lock" ] || break
    done
    fb_port=$((5900 + fb_disp))
    Xvnc ":$fb_disp" -geometry 800x600 -depth 24 -rfbport "$fb_port" -localhost \
        -SecurityTypes None -nolisten tcp > /dev/null 2>&1 &
    fb_xvnc=$!
    sleep 2
    kill -0 "$fb_xvnc" 2>/dev/null || { xvnc_why="Xvnc did not start"; fb_xvnc=; }
    # the vnc image's BIOS stack as its menus serve it (kernel linux-pc)
    cat "$rel/base.cpio.xz" "$rel/drivers.cpio.xz" "$rel/drivers.linux-pc.cpio.xz" "$rel/fbvnc.cpio.xz" > "$scratch/vnc.cpio"
    vnc_args=(-vga std -netdev "user,id=n0" -device "e1000,netdev=n0")
    vnc_append="console=ttyS0 vga=788 fbvnc=10.0.2.2:$fb_port"
fi

echo "tinynetboot bench  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at start, QEMU accelerator: $accel" | tee "$out"
want sizes && {
    echo
    echo "== sizes (bytes)"
    "$tb" -C "$top" sizes "$rel"
    if [ -n "$stock_kernel" ]; then
        row1 "debian stock vmlinuz $stock_ver" "$(commas "$(stat -c %s "$stock_kernel")")" "(without its modules)"
        row1 "stockmods.cpio.xz (bench-only: e1000 evdev psmouse)" "$(commas "$(stat -c %s "$stock_layer")")"
    else
        row1 "debian stock vmlinuz" "$stock_na"
    fi
} | tee -a "$out"

# --- boot: the shell image (base + the bench layer) and the vnc image (base +
# fbvnc), each kernel in turn, same -m, same NIC (e1000), same command line.
want boot && {
    echo
    echo "== boot (QEMU start ->, seconds, median of $runs; our i386 kernel on qemu-system-i386,"
    echo "   Debian's amd64 kernel on qemu-system-x86_64 with the same layers + stockmods)"
    row "" "tinynetboot" "debian-stock" "stock/ours"
    cat "$rel/base.cpio.xz" "$scratch/bench.cpio.xz" > "$scratch/ours.cpio"
    MARKS=('Linux version' 'rcS: S[0-9][0-9]' 'TNB-BENCH lease-done' ':/# ')
    for i in $(seq "$runs"); do
        boot_marks "$scratch/serial.log" 120 qemu-system-i386 -accel "$accel" -m 96 \
            -kernel "$rel/bzImage" -initrd "$scratch/ours.cpio" -append "console=ttyS0" \
            -netdev user,id=n0 -device e1000,netdev=n0
    done > "$scratch/ours.t"
    mapfile -t ours < <(median_marks "$scratch/ours.t")
    stock=(- - - -)
    if [ -n "$stock_kernel" ]; then
        cat "$rel/base.cpio.xz" "$stock_layer" "$scratch/bench.cpio.xz" > "$scratch/stock.cpio"
        for i in $(seq "$runs"); do
            boot_marks "$scratch/serial-stock.log" 180 qemu-system-x86_64 -accel "$accel" -m 96 \
                -kernel "$stock_kernel" -initrd "$scratch/stock.cpio" -append "console=ttyS0" \
                -netdev user,id=n0 -device e1000,netdev=n0
        done > "$scratch/stock.t"
        mapfile -t stock < <(median_marks "$scratch/stock.t")
    fi
    labels=("kernel banner on the serial console" "init: rcS starts its first S?? script"
            "DHCP lease (S10network done, S99 reached)" "shell prompt")
    for i in 0 1 2 3; do
        st=${stock[i]}; [ -n "$stock_kernel" ] || st=n/a
        row "${labels[i]}" "${ours[i]}" "$st" "$(ratio "${ours[i]}" "${stock[i]}")"
    done

    # the vnc image: QEMU start -> the viewer's first frame from Xvnc 800x600
    if [ -n "$fb_xvnc" ]; then
        MARKS=('fbvnc: first frame drawn')
        fo=$(for i in $(seq "$runs"); do
            boot_marks "$scratch/fbvnc.log" 150 qemu-system-i386 -accel "$accel" -m 96 \
                -kernel "$rel/bzImage" -initrd "$scratch/vnc.cpio" -append "$vnc_append" "${vnc_args[@]}"
        done | median)
        fs=n/a
        if [ -n "$stock_kernel" ]; then
            cat "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$stock_layer" > "$scratch/vnc-stock.cpio"
            fs=$(for i in $(seq "$runs"); do
                boot_marks "$scratch/fbvnc-stock.log" 180 qemu-system-x86_64 -accel "$accel" -m 96 \
                    -kernel "$stock_kernel" -initrd "$scratch/vnc-stock.cpio" -append "$vnc_append" "${vnc_args[@]}"
            done | median)
        fi
        row "fbvnc first frame (vnc image, vga=788, Xvnc)" "$fo" "$fs" "$(ratio "$fo" "$fs")"
    else
        row1 "fbvnc first frame" "(skipped: $xvnc_why)"
    fi
    [ -n "$stock_kernel" ] || row1 "debian stock kernel" "$stock_na"
} | tee -a "$out"

# --- phases: tests/bench/phases.sh
want phases && phases_section | tee -a "$out"

# --- the smallest -m (MB) at which the vnc image still draws its first frame:
# bisection between 8 (assumed too small) and 96 MB, each probe one boot of
# at most 60 s, to 2 MB.
want ram && {
    echo
    echo "== minimum RAM (vnc image = base + drivers + fbvnc, first frame from Xvnc; bisection, 2 MB steps)"
    if [ -n "$fb_xvnc" ]; then
        MARKS=('fbvnc: first frame drawn')
        probe() {
            local t
            t=$(boot_marks "$scratch/ram.log" 60 qemu-system-i386 -accel "$accel" -m "$1" \
                -kernel "$rel/bzImage" -initrd "$scratch/vnc.cpio" -append "$vnc_append" "${vnc_args[@]}")
            [ "${t% }" != - ]
        }
        lo=8 hi=96 probes=1 bstart=$(now)
        if probe $hi; then
            while [ $((hi - lo)) -gt 2 ]; do
                mid=$(((lo + hi) / 2)); probes=$((probes + 1))
                if probe $mid; then hi=$mid; else lo=$mid; fi
            done
            row1 "smallest -m that reaches the first frame" "$hi MB" "($lo MB does not; $probes probes, $(elapsed "$bstart" | cut -d. -f1) s)"
        else
            row1 "smallest -m that reaches the first frame" "(not even at 96 MB)"
        fi
    else
        row1 "smallest -m" "(skipped: $xvnc_why)"
    fi
} | tee -a "$out"
[ -n "$fb_xvnc" ] && { kill "$fb_xvnc" 2>/dev/null; wait "$fb_xvnc" 2>/dev/null; fb_xvnc=; }

# --- build times, in a copy of the tree sharing the build cache: the tree as
# it is now (tracked and new files: a fresh clone plus the working changes),
# or, when the kernel or a package of that state is not in the cache (work in
# progress), the last commit (git archive HEAD). A first build there must find
# every package and the kernel cached; if it would compile anything it is
# stopped and the rows say so. A clean build only with BENCH_CLEAN=1.
want build && {
    echo
    echo "== build (seconds; a copy of the tree under $scratch, shared cache $cache)"
    # build_in DIR CACHE LOG [ABORT-ON-COMPILE]: time one build; sets bsec, brc
    build_in() {
        local s pid
        : > "$3"
        s=$(now)
        setsid "$tb" -C "$1" --cache "$2" build > /dev/null 2> "$3" &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            if [ -n "${4:-}" ] && grep -q ' building\.\.\.$' "$3"; then
                kill -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null; brc=aborted; bsec=-; return
            fi
            sleep 0.1
        done
        wait "$pid"; brc=$?
        bsec=$(elapsed "$s")
    }
    for what in "working tree" "HEAD"; do
        copy=$scratch/tree
        rm -rf "$copy"; mkdir -p "$copy"
        if [ "$what" = HEAD ]; then
            (cd "$top" && git archive HEAD) | tar -x -C "$copy"
        else
            (cd "$top" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp -P --parents -t "$copy" 2>/dev/null)
        fi
        build_in "$copy" "$cache" "$scratch/warm.log" abort
        [ "$brc" = aborted ] || break
    done
    if [ "${BENCH_CLEAN:-0}" = 1 ]; then
        mkdir -p "$scratch/clean-cache"
        ln -s "$cache/sources" "$scratch/clean-cache/sources"
        cp -r "$copy" "$scratch/clean-tree"
        rm -rf "$scratch/clean-tree/output"
        build_in "$scratch/clean-tree" "$scratch/clean-cache" "$scratch/clean.log"
        if [ "$brc" = 0 ]; then row1 "clean build ($what; empty build cache, sources cached)" "$bsec"
        else row1 "clean build" "(failed: $(tail -n1 "$scratch/clean.log"))"; fi
        rm -rf "$scratch/clean-tree" "$scratch/clean-cache"
    else
        row1 "clean build" "(not measured; BENCH_CLEAN=1 measures it: tens of minutes)"
    fi
    if [ "$brc" = 0 ]; then
        build_in "$copy" "$cache" "$scratch/noop.log"
        row1 "no-op rebuild ($what)" "$bsec" "($(grep -c ' cached ' "$scratch/noop.log") cached, $(grep -c ' packed in' "$scratch/noop.log") layers repacked)"
        echo "bench $(date +%s.%N)" > "$copy/overlays/base/etc/tnb-bench"
        build_in "$copy" "$cache" "$scratch/overlay.log"
        if [ "$brc" = 0 ]; then
            row1 "one overlay changed (a new file in overlays/base)" "$bsec" \
                "($(grep -c ' built in' "$scratch/overlay.log") packages rebuilt, $(grep -c ' packed in' "$scratch/overlay.log") layers repacked)"
        else row1 "one overlay changed" "(failed: $(tail -n1 "$scratch/overlay.log"))"; fi
    elif [ "$brc" = aborted ]; then
        row1 "no-op / one-overlay rebuild" "(not measured: neither the working tree nor HEAD is in the build cache; run make first)"
    else
        row1 "no-op / one-overlay rebuild" "(not measured: build failed: $(tail -n1 "$scratch/warm.log"))"
    fi
    echo 10.0.0.5:5901 > "$scratch/server"; echo secret > "$scratch/passwd"
    for i in 1 2 3 4 5; do
        s=$(now)
        "$tb" layer -o "$scratch/site.cpio.xz" --file "$scratch/server:/etc/fbvnc/server" \
            --file "$scratch/passwd:/etc/fbvnc/passwd:0600" && elapsed "$s" && echo
    done | median > "$scratch/site.t"
    row1 "site layer (tinynetboot layer, 2 files)" "$(awk '{printf "%.3f", $1}' "$scratch/site.t")" "(median of 5)"
} | tee -a "$out"

# --- cpio writers on one generated tree: 2000 files (0-1.4 KB of text, ten
# of 64 KB), 100 directories, symlinks; modes already what our writer
# normalises to, mtimes all SOURCE_DATE_EPOCH, so all three archives should
# extract to the same tree. Each writer's archive is xz -9e compressed (our
# writer does that in-process, as for every layer), so the times compare
# the whole job; the raw rows time GNU cpio and gen_init_cpio alone.
want cpio && {
    echo
    epoch=1735689600
    t=$scratch/cpio-tree
    mkdir -p "$t"
    awk -v root="$t" 'BEGIN {
        srand(42)
        for (d = 0; d < 100; d++) {
            dir = sprintf("%s/d%02d/s%d", root, d, d % 7)
            system("mkdir -p " dir)
            for (f = 0; f < 20; f++) {
                path = sprintf("%s/f%02d.txt", dir, f)
                n = (f == 0 && d % 10 == 0) ? 65536 : int(rand() * 1400)
                line = ""
                while (length(line) < n) line = line sprintf("%d %x word%d\n", d * 100 + f, int(rand() * 1e9), length(line))
                printf "%s", substr(line, 1, n) > path
                close(path)
            }
        }
    }'
    for d in "$t"/d0?; do ln -s s0/f00.txt "$d/link"; done
    find "$t" -type d -exec chmod 755 {} +
    find "$t" -type f -exec chmod 644 {} +
    chmod 755 "$t"/d00/s0/f01.txt
    find "$t" -exec touch -h -d "@$epoch" {} +
    nfiles=$(find "$t" -mindepth 1 | wc -l)
    nbytes=$(find "$t" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
    echo "== cpio writer ($nfiles entries, $(commas "$nbytes") bytes of files; seconds, median of 3)"

    gic=$bcache/gen_init_cpio
    if [ ! -x "$gic" ]; then
        src=$(ls "$cache"/sources/*/linux-source-6.1.tar.xz 2>/dev/null | head -n1)
        if [ -n "$src" ] && tar -xJf "$src" --occurrence=1 -O linux-source-6.1/usr/gen_init_cpio.c > "$scratch/gen_init_cpio.c" 2>/dev/null &&
            cc -O2 -o "$gic.tmp" "$scratch/gen_init_cpio.c" 2> /dev/null; then
            mv "$gic.tmp" "$gic"
        fi
    fi
    # gen_init_cpio's spec: parents first, sorted like ours
    (cd "$t" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort) > "$scratch/list"
    while IFS= read -r p; do
        if [ -L "$t/$p" ]; then echo "slink /$p $(readlink "$t/$p") 777 0 0"
        elif [ -d "$t/$p" ]; then echo "dir /$p 755 0 0"
        else echo "file /$p $t/$p $(stat -c %a "$t/$p") 0 0"
        fi
    done < "$scratch/list" > "$scratch/spec"

    # time3 NAME CMD...: median of 3 runs of CMD (a shell string)
    time3() {
        local i s
        for i in 1 2 3; do s=$(now); bash -c "$2" || return 1; elapsed "$s"; echo; done | median > "$scratch/$1.t"
    }
    time3 ours "'$tb' layer -o '$scratch/ours.cpio.xz' --from '$t'"
    time3 gnu "cd '$t' && LC_ALL=C cpio -o -H newc -R 0:0 --quiet < '$scratch/list' | xz -9e --check=crc32 > '$scratch/gnu.cpio.xz'"
    time3 gnuraw "cd '$t' && LC_ALL=C cpio -o -H newc -R 0:0 --quiet < '$scratch/list' > '$scratch/gnu.cpio'"
    xz -dc "$scratch/ours.cpio.xz" > "$scratch/ours.cpio"
    time3 xzonly "xz -9e --check=crc32 -c '$scratch/ours.cpio' > /dev/null"
    if [ -x "$gic" ]; then
        time3 gic "'$gic' -t $epoch '$scratch/spec' | xz -9e --check=crc32 > '$scratch/gic.cpio.xz'"
        time3 gicraw "'$gic' -t $epoch '$scratch/spec' > '$scratch/gic.cpio'"
    fi
    # extract each into its own dir (cpio -idm), compare with the source tree:
    # contents (diff -r), type, mode, link target, and a file's size and mtime
    # (GNU cpio -m restores no directory or symlink mtime)
    tree_of() {
        rm -rf "$scratch/x-$1"; mkdir -p "$scratch/x-$1"
        (cd "$scratch/x-$1" && cpio -idm --quiet --no-absolute-filenames < "$2" 2>/dev/null)
        (cd "$scratch/x-$1" && find . -mindepth 1 \( -type f -printf '%P %y %m %s %T@\n' \) -o -printf '%P %y %m %l\n' | LC_ALL=C sort)
    }
    (cd "$t" && find . -mindepth 1 \( -type f -printf '%P %y %m %s %T@\n' \) -o -printf '%P %y %m %l\n' | LC_ALL=C sort) > "$scratch/ref.lst"
    same() {  # same NAME ARCHIVE: "yes" when NAME's extracted tree equals the source tree
        tree_of "$1" "$2" > "$scratch/$1.lst"
        if cmp -s "$scratch/ref.lst" "$scratch/$1.lst" && diff -r -q --no-dereference "$t" "$scratch/x-$1" > /dev/null; then
            echo yes
        else echo NO; fi
    }
    printf '%-52s %12s %12s %10s  %s\n' "" "seconds" "vs ours" "xz bytes" "extracts to the source tree"
    o=$(cat "$scratch/ours.t")
    printf '%-52s %12s %12s %10s  %s\n' "tinynetboot layer --from (cpio + xz -9e)" "$o" "1.00" \
        "$(commas "$(stat -c %s "$scratch/ours.cpio.xz")")" "$(same ours "$scratch/ours.cpio")"
    g=$(cat "$scratch/gnu.t")
    printf '%-52s %12s %12s %10s  %s\n' "GNU cpio -o -H newc | xz -9e" "$g" "$(ratio "$o" "$g")" \
        "$(commas "$(stat -c %s "$scratch/gnu.cpio.xz")")" "$(same gnu "$scratch/gnu.cpio")"
    if [ -x "$gic" ]; then
        k=$(cat "$scratch/gic.t")
        printf '%-52s %12s %12s %10s  %s\n' "kernel usr/gen_init_cpio | xz -9e" "$k" "$(ratio "$o" "$k")" \
            "$(commas "$(stat -c %s "$scratch/gic.cpio.xz")")" "$(same gic "$scratch/gic.cpio")"
    else
        row1 "kernel usr/gen_init_cpio" "(unavailable: no linux-source-6.1 tarball in $cache/sources)"
    fi
    row1 "GNU cpio alone (no xz)" "$(cat "$scratch/gnuraw.t")"
    [ -x "$gic" ] && row1 "gen_init_cpio alone (no xz)" "$(cat "$scratch/gicraw.t")"
    row1 "xz -9e alone on our archive" "$(cat "$scratch/xzonly.t")" "(rough estimate of our writer alone, total - xz: $(echo "$o $(cat "$scratch/xzonly.t")" | awk '{printf "%.2f", $1 - $2}') s)"
    if [ -x "$gic" ]; then
        if cmp -s "$scratch/ours.cpio" "$scratch/gic.cpio"; then c="yes, byte-identical"
        else c="no: $(cmp "$scratch/ours.cpio" "$scratch/gic.cpio" 2>&1 | head -n1)"; fi
        row1 "our archive = gen_init_cpio's (uncompressed)" "$c"
    fi
} | tee -a "$out"

# --- menu for a fleet: the clients files of tests/cli/gen-fleet.sh (rooms of
# 40, a group layer, every machine by MAC) against a copy of the release,
# loaders not copied; /usr/bin/time's wall seconds and maximum resident set.
want menu && {
    echo
    echo "== menu for a fleet (tinynetboot menu --clients; a copy of the release under $scratch)"
    mrel=$scratch/menu-release
    if [ ! -f "$rel/bzImage" ]; then
        row1 "menu" "-" "(no release in $rel: make first)"
    elif [ ! -x /usr/bin/time ]; then
        row1 "menu" "-" "(no /usr/bin/time: apt-get install time)"
    else
        mkdir -p "$mrel" && cp -r "$rel/." "$mrel/"
        mkdir -p "$mrel/sites"
        "$tb" layer -o "$mrel/sites/room.cpio.xz" --file /etc/hostname:/etc/room
        printf 'bench-room-password\n' > "$scratch/room.pass"
        img=vnc
        "$tb" -C "$top" menu --release "$mrel" --no-loaders --default vnc > /dev/null 2>&1 || img=shell
        printf '%-52s %12s %12s %12s\n' "" "seconds" "CPU seconds" "peak RSS KB"
        # menu_time LABEL CLIENTS-FILE: one run
        menu_time() {
            if /usr/bin/time -f '%e %U %S %M' -o "$scratch/menu.time" "$tb" -C "$top" menu --release "$mrel" --no-loaders \
                --clients "$2" --subnet 10.8.0.0/16 --server-ip 10.8.0.1 > /dev/null 2> "$scratch/menu.err"; then
                read -r s us ss kb < "$scratch/menu.time"
                printf '%-52s %12s %12s %12s\n' "$1" "$s" "$(echo "$us $ss" | awk '{printf "%.2f", $1 + $2}')" "$(commas "$kb")"
            else
                row1 "$1" "-" "(failed: $(tail -n1 "$scratch/menu.err"))"
            fi
        }
        for n in 1000 10000; do
            "$top/tests/cli/gen-fleet.sh" "$n" "$img" sites/room.cpio.xz > "$scratch/fleet-$n"
            "$top/tests/cli/gen-fleet.sh" "$n" "$img" sites/room.cpio.xz "$scratch/room.pass" > "$scratch/fleet-pw-$n"
            rm -rf "$mrel/pxelinux.cfg" "$mrel/grub" "$mrel/ipxe"
            nn=$(commas "$n")
            menu_time "menu, $nn clients ($img), first write" "$scratch/fleet-$n"
            ipxe_bytes[$n]=$(stat -c %s "$mrel/boot.ipxe")
            menu_time "menu, $nn clients, unchanged re-run" "$scratch/fleet-$n"
            menu_time "menu, $nn clients, rooms with a password" "$scratch/fleet-pw-$n"
        done
        row1 "per-MAC files for 10,000 clients (PXELINUX + GRUB + iPXE)" \
            "$(find "$mrel/pxelinux.cfg" "$mrel/grub" "$mrel/ipxe" -name '*01-*' | wc -l)" \
            "($(du -sk --apparent-size "$mrel/pxelinux.cfg" | cut -f1) + $(du -sk --apparent-size "$mrel/grub" | cut -f1) + $(du -sk --apparent-size "$mrel/ipxe" | cut -f1) KB)"
        for n in 1000 10000; do
            row1 "boot.ipxe for $(commas "$n") clients (bytes)" "$(commas "${ipxe_bytes[$n]}")" \
                "(the shared menu: each client's entry is its own ipxe/01-<mac>.ipxe)"
        done
    fi
} | tee -a "$out"

# --- the wire: one client alone, its stack by TFTP (PXELINUX) and by HTTP (iPXE):
# the storm of tests/bench/storm.sh with one client
want wire && { echo; BENCH_STORM_N=1 "$here/storm.sh" | sed -e 's/^== boot storm: 1 TCG clients/== the wire: 1 TCG client alone/' -e 's/^storm /wire /'; } | tee -a "$out"

# --- the boot storm (tests/bench/storm.sh), only when asked for (BENCH_SECTIONS=storm)
want storm && "$here/storm.sh" | tee -a "$out"

# the bench reports, it does not fail: a section left out must not decide the exit status
exit 0
