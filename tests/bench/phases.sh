# phases.sh — sourced by bench.sh for BENCH_SECTIONS word `phases` (issue 19:
# find the time). Boots the vnc image under BIOS (linux-pc, SeaBIOS) and UEFI
# (linux-efi, OVMF, QEMU's -kernel/-initrd direct boot), BIOS once more on
# QEMU's rtl8139 and once on its e1000e instead of its e1000 (whose model holds
# received frames for 1 s after the driver programs it), and Debian's stock
# kernel with the same layers, BENCH_RUNS times each, and splits every boot
# into phases measured on the host from QEMU start: each serial console line
# (and each line SeaBIOS writes to QEMU's debug console, port 0x402) is
# stamped by bootchart.py on arrival. The client is not changed: a bench-only
# layer on top of the stack carries a copy of base's rcS with a
# "BENCH-RC start|end SNNname" line around each /etc/init.d/S?? script (the
# upper layer's file wins). One more BIOS boot with initcall_debug gives the
# kernel's slowest initcalls (their own µs; names from the build cache's
# System.map). Prints a table per image (median of the runs) and writes
# output/bench-phases.txt (the medians, one phase a line) and
# output/bench-bootchart.svg (bootchart.py).
# Uses from bench.sh: here top rel tb scratch accel runs bcache cache now
# row1 fb_xvnc xvnc_why vnc_append vnc_args stock_kernel stock_layer stock_na.

# ph_boot LOG LIMIT QEMU-BIN QEMU-ARGS...: one boot; LOG gets the serial
# console and LOG.fw the firmware's debug console, each line as "SECONDS
# text", SECONDS from QEMU start. Stops at the first frame, a panic or LIMIT.
ph_boot() {
    local log=$1 limit=$2 qbin=$3; shift 3
    local start qpid s1 s2 deadline f
    rm -f "$log.fifo" "$log.fwfifo" "$log.ready" "$log.fwready" "$log.raw" "$log.fw.raw"
    mkfifo "$log.fifo" "$log.fwfifo"
    : > "$log.raw"
    python3 "$here/bootchart.py" stamp "$log.fifo" "$log.ready" > "$log.raw" & s1=$!
    python3 "$here/bootchart.py" stamp "$log.fwfifo" "$log.fwready" > "$log.fw.raw" & s2=$!
    for f in $(seq 50); do [ -e "$log.ready" ] && [ -e "$log.fwready" ] && break; sleep 0.1; done
    start=$(now)
    "$qbin" -display none -monitor none -no-reboot -serial stdio \
        -chardev "file,id=fwdbg,path=$log.fwfifo" -device isa-debugcon,iobase=0x402,chardev=fwdbg \
        "$@" < /dev/null > "$log.fifo" 2> "$log.qemu" &
    qpid=$!
    deadline=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -q -a -E 'fbvnc: first frame drawn|Kernel panic' "$log.raw" && break
        kill -0 "$qpid" 2>/dev/null || break
        sleep 0.2
    done
    kill "$qpid" 2>/dev/null
    wait "$qpid" 2>/dev/null
    # a QEMU that died before opening a fifo leaves its stamper blocked in
    # open(): a read-write open (never blocks) and close give it its EOF
    : 1<> "$log.fifo"; : 1<> "$log.fwfifo"
    wait "$s1" "$s2" 2>/dev/null
    for f in "$log" "$log.fw"; do   # epoch times -> seconds from QEMU start
        awk -v s="$start" '{ t = $1; sub(/^[^ ]* /, ""); printf "%.3f %s\n", t - s, $0 }' "$f.raw" > "$f"
    done
    rm -f "$log.fifo" "$log.fwfifo" "$log.ready" "$log.fwready"
}

# ph_extract IMAGE RUN LOG: the phases of one stamped boot, one a line:
# IMAGE TAB RUN TAB PHASE TAB START TAB END TAB DEPTH (0: on the boot's
# critical path, one after another; 1: inside or beside a depth-0 phase).
ph_extract() {
    awk -v img="$1" -v run="$2" -F'\t' '
    function first(key, t) { if (!(key in T)) T[key] = t }
    function ph(name, a, b, d) {
        if (a == "" || b == "" || b + 0 < a + 0) return
        printf "%s\t%s\t%s\t%.3f\t%.3f\t%d\n", img, run, name, a, b, d
    }
    {
        t = $1; line = $3
        if ($2 == "FW") {                             # SeaBIOS on port 0x402
            if (line ~ /^Booting from /) first("fw_end", t)
            next
        }
        if (line ~ /EFI stub: /) first("fw_end", t)   # OVMF ran the kernel s EFI stub
        if (line ~ /Linux version /) first("kernel", t)
        if (line ~ /Unpacking initramfs|Trying to unpack rootfs image/) first("unpack_s", t)
        if (line ~ /Freeing initrd memory/) first("unpack_e", t)
        if (line ~ /Run \/init as init process|Run \/[^ ]* as init process/) first("init", t)
        if (line ~ /BENCH-RC rcS /) first("rcs", t)
        if (line ~ /Link is Up/) first("link", t)
        if (line ~ /network: [^ ]+: DHCP/) first("dhcp_s", t)
        if (line ~ /network: [^ ]+ dhcp /) first("lease", t)
        if (line ~ /fbvnc: connecting to/) first("fb_try", t)
        if (line ~ /fbvnc: connected to/) first("fb_conn", t)
        if (line ~ /fbvnc: first frame drawn/) first("frame", t)
        if (match(line, /BENCH-RC (start|end) S[0-9][0-9][^ ]*/)) {
            split(substr(line, RSTART, RLENGTH), w, " ")
            if (w[2] == "start") { if (!(w[3] in S)) { S[w[3]] = t; order[++n] = w[3] } }
            else if (!(w[3] in E)) E[w[3]] = t
        }
    }
    END {
        fw = ("fw_end" in T) ? T["fw_end"] : ""
        ph("firmware (SeaBIOS / OVMF)", fw == "" ? "" : 0, fw, 0)
        ph((fw == "" ? "firmware, loader, decompression, early kernel" : "loader, decompression, early kernel") \
           " (to the banner)", fw == "" ? 0 : fw, T["kernel"], 0)
        ph("kernel init: initcalls, devices (banner to Run /init)", T["kernel"], T["init"], 0)
        ph("initramfs unpack (async, in kernel init)", T["unpack_s"], T["unpack_e"], 1)
        ph("init to rcS (BusyBox init, rcS mounts)", T["init"], n ? S[order[1]] : T["rcs"], 0)
        for (i = 1; i <= n; i++) {
            s = order[i]
            ph(s, S[s], E[s], 0)
            if (s ~ /network/) {
                ph(s ": link up (NIC up to Link is Up)", S[s], T["link"], 1)
                ph(s ": link up to DHCP start", T["link"], T["dhcp_s"], 1)
                ph(s ": DHCP lease (udhcpc + hook)", T["dhcp_s"], T["lease"], 1)
            }
            # rcS between two scripts: shown only when it is not nothing
            if (i < n && E[s] != "" && S[order[i+1]] - E[s] >= 0.05)
                ph("rcS between " s " and " order[i+1], E[s], S[order[i+1]], 0)
        }
        last = n ? E[order[n]] : ""
        ph("fbvnc: viewer start (rcS done) to connecting", last, T["fb_try"], 0)
        ph("fbvnc: RFB connect (to connected)", T["fb_try"], T["fb_conn"], 0)
        ph("fbvnc: first update (to first frame drawn)", T["fb_conn"], T["frame"], 0)
        if ("frame" in T) printf "%s\t%s\t%s\t%.3f\t%.3f\t%d\n", img, run, "= first frame", 0, T["frame"], 2
    }' < <(sed 's/^\([^ ]*\) /\1\tFW\t/' "$3.fw"; sed 's/^\([^ ]*\) /\1\tCON\t/' "$3")
}

# ph_median FILE: per (image, phase), the medians of start, end and duration,
# in the order phases first appear: IMAGE TAB PHASE TAB START TAB END TAB DUR TAB DEPTH TAB N
ph_median() {
    awk -F'\t' '
    function med(s,   a, k, i, j, x) {
        k = split(s, a, " ")
        for (i = 2; i <= k; i++) { x = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > x; j--) a[j+1] = a[j]; a[j+1] = x }
        return a[int((k + 1) / 2)]
    }
    {
        key = $1 "\t" $3
        if (!(key in cnt)) { keys[++n] = key; depth[key] = $6 }
        cnt[key]++; st[key] = st[key] " " $4; en[key] = en[key] " " $5; du[key] = du[key] " " ($5 - $4)
    }
    END { for (i = 1; i <= n; i++) { k = keys[i]
        printf "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\n", k, med(st[k]), med(en[k]), med(du[k]), depth[k], cnt[k] } }' "$1"
}

# ph_sysmap KERNEL: the System.map of the build-cache kernel identical to KERNEL
ph_sysmap() {
    local d
    for d in "$cache"/build/linux-*/; do
        [ -f "$d/bzImage" ] && [ -f "$d/System.map" ] && cmp -s "$d/bzImage" "$1" && { echo "$d/System.map"; return; }
    done
}

phases_section() {
    echo
    echo "== phases of a vnc boot (seconds from QEMU start, host arrival time of each serial line;"
    echo "   median of $runs; bench-only top layer: base's rcS with a marker around each S?? script)"
    if [ -z "$fb_xvnc" ]; then
        row1 "phases" "(skipped: $xvnc_why)"
    else
        # base's own rcS, a marker line before and after each script
        ph_rcs=$scratch/rcS.bench
        sed -e '/^PATH=/i echo "BENCH-RC rcS $(cut -d" " -f1 /proc/uptime)"' \
            -e 's/^\([[:space:]]*\)"\$s" start || echo .*/\1echo "BENCH-RC start ${s##*\/} $(cut -d" " -f1 \/proc\/uptime)"\n&\n\1echo "BENCH-RC end ${s##*\/} $(cut -d" " -f1 \/proc\/uptime)"/' \
            "$top/overlays/base/etc/init.d/rcS" > "$ph_rcs"
        if [ "$(grep -c 'BENCH-RC' "$ph_rcs")" != 3 ]; then
            row1 "phases" "(skipped: base's rcS no longer has the '\"\$s\" start ||' line the bench markers wrap)"
        else
            "$tb" layer -o "$scratch/phases.cpio.xz" --file "$ph_rcs:/etc/init.d/rcS:0755"
            : > "$scratch/phases.all"
            ph_images=()
            # vnc, BIOS: as the menus serve it, plus the bench layer
            cat "$scratch/vnc.cpio" "$scratch/phases.cpio.xz" > "$scratch/ph-bios.cpio"
            ph_images+=("vnc BIOS (linux-pc, SeaBIOS)")
            for i in $(seq "$runs"); do
                ph_boot "$scratch/ph-bios-$i.log" 120 qemu-system-i386 -accel "$accel" -m 96 \
                    -kernel "$rel/linux-pc.bzImage" -initrd "$scratch/ph-bios.cpio" -append "$vnc_append" "${vnc_args[@]}"
                ph_extract "${ph_images[0]}" "$i" "$scratch/ph-bios-$i.log" >> "$scratch/phases.all"
            done
            # vnc, UEFI: OVMF loads linux-efi and the stack (-kernel/-initrd)
            if [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] && [ -f "$rel/linux-efi.bzImage" ]; then
                cat "$rel/base.cpio.xz" "$rel/drivers.cpio.xz" "$rel/drivers.linux-efi.cpio.xz" \
                    "$rel/fbvnc.cpio.xz" "$scratch/phases.cpio.xz" > "$scratch/ph-uefi.cpio"
                ph_images+=("vnc UEFI (linux-efi, OVMF)")
                for i in $(seq "$runs"); do
                    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$scratch/ph-vars.fd"
                    ph_boot "$scratch/ph-uefi-$i.log" 180 qemu-system-x86_64 -machine q35 -accel "$accel" -m 256 \
                        -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
                        -drive if=pflash,format=raw,file="$scratch/ph-vars.fd" \
                        -kernel "$rel/linux-efi.bzImage" -initrd "$scratch/ph-uefi.cpio" \
                        -append "console=ttyS0 fbvnc=10.0.2.2:$fb_port" "${vnc_args[@]}"
                    ph_extract "${ph_images[1]}" "$i" "$scratch/ph-uefi-$i.log" >> "$scratch/phases.all"
                done
            else
                row1 "vnc UEFI" "(skipped: no OVMF_CODE_4M.fd or no linux-efi.bzImage)"
            fi
            # vnc, BIOS, on other NICs than QEMU's e1000, whose model holds every
            # received frame for 1 s after the driver writes its receive control
            # register (at `ip link set up`: hw/net/e1000.c, flush_queue_timer), a
            # wait no real card has: rtl8139 (built into linux-pc) and e1000e (the
            # Intel NIC of most PCs since ~2008; the drivers layer's module, loaded
            # by S02drivers' coldplug), neither with that hold
            ph_nic_models=(rtl8139 e1000e) ph_nics=()
            for nic in "${ph_nic_models[@]}"; do
                ph_nics+=("vnc BIOS (linux-pc, SeaBIOS, $nic)")
                nic_args=("${vnc_args[@]/e1000,netdev=n0/$nic,netdev=n0}")
                for i in $(seq "$runs"); do
                    ph_boot "$scratch/ph-$nic-$i.log" 120 qemu-system-i386 -accel "$accel" -m 96 \
                        -kernel "$rel/linux-pc.bzImage" -initrd "$scratch/ph-bios.cpio" -append "$vnc_append" "${nic_args[@]}"
                    ph_extract "${ph_nics[-1]}" "$i" "$scratch/ph-$nic-$i.log" >> "$scratch/phases.all"
                done
            done
            # Debian's stock kernel, the layers the boot section gives it
            if [ -n "$stock_kernel" ]; then
                cat "$rel/base.cpio.xz" "$rel/fbvnc.cpio.xz" "$stock_layer" "$scratch/phases.cpio.xz" > "$scratch/ph-stock.cpio"
                ph_stock="debian stock $stock_ver (SeaBIOS)"
                for i in $(seq "$runs"); do
                    ph_boot "$scratch/ph-stock-$i.log" 180 qemu-system-x86_64 -accel "$accel" -m 96 \
                        -kernel "$stock_kernel" -initrd "$scratch/ph-stock.cpio" -append "$vnc_append" "${vnc_args[@]}"
                    ph_extract "$ph_stock" "$i" "$scratch/ph-stock-$i.log" >> "$scratch/phases.all"
                done
            else
                ph_stock=
            fi
            ph_median "$scratch/phases.all" > "$top/output/bench-phases.txt"
            # one table per image
            ph_tab() { printf '%-60s %8s %8s %8s\n' "$@"; }
            for img in "${ph_images[@]}" "${ph_nics[@]}" ${ph_stock:+"$ph_stock"}; do
                echo
                echo "-- $img"
                ph_tab "phase" "from" "to" "took"
                awk -F'\t' -v img="$img" '$1 == img {
                    if ($6 == 2) printf "%-60s %8s %8s %8.2f\n", $2, "", "", $4
                    else printf "%-60s %8.2f %8.2f %8.2f\n", ($6 ? "  " : "") $2, $3, $4, $5
                }' "$top/output/bench-phases.txt"
                grep -q "^$img	= first frame" "$top/output/bench-phases.txt" ||
                    echo "(no first frame: see the serial logs; phases up to where it stopped)"
            done

            # the goal (issue 19): vnc under BIOS draws its first frame within
            # 2.5 s of QEMU start, at least 3 times sooner than Debian's kernel
            ph_ff() { awk -F'\t' -v img="$1" '$1 == img && $2 == "= first frame" {print $4}' "$top/output/bench-phases.txt"; }
            ff_bios=$(ph_ff "${ph_images[0]}"); ff_uefi=$(ph_ff "${ph_images[1]:-none}")
            ff_stock=$([ -n "$ph_stock" ] && ph_ff "$ph_stock")
            echo
            printf '%-60s %s\n' "first frame, vnc BIOS / UEFI / Debian stock (s)" "${ff_bios:--} / ${ff_uefi:--} / ${ff_stock:--}"
            for nic in "${ph_nic_models[@]}"; do
                printf '%-60s %s\n' "first frame, vnc BIOS on $nic (no e1000 model hold) (s)" \
                    "$(ph_ff "vnc BIOS (linux-pc, SeaBIOS, $nic)")"
            done
            if [ -n "$ff_bios" ]; then
                awk -v b="$ff_bios" -v d="${ff_stock:-0}" 'BEGIN {
                    printf "%-60s %s\n", "goal: vnc BIOS first frame <= 2.5 s", (b <= 2.5 ? "met" : "NOT met") " (" b " s)"
                    if (d > 0) printf "%-60s %s\n", "goal: >= 3x sooner than Debian stock", (d / b >= 3 ? "met" : "NOT met") sprintf(" (%.2fx)", d / b)
                }'
            fi

            # the kernel's slowest initcalls: one BIOS boot with initcall_debug
            echo
            echo "-- the 5 slowest initcalls of linux-pc (one boot with initcall_debug loglevel=8; the kernel's own µs)"
            ph_boot "$scratch/ph-initcall.log" 120 qemu-system-i386 -accel "$accel" -m 96 \
                -kernel "$rel/linux-pc.bzImage" -initrd "$scratch/ph-bios.cpio" \
                -append "$vnc_append initcall_debug loglevel=8" "${vnc_args[@]}"
            map=$(ph_sysmap "$rel/linux-pc.bzImage")
            sed -n 's/.*initcall \([^ ]*\) returned \(-\{0,1\}[0-9]*\) after \([0-9]*\) usecs.*/\3 \1 \2/p' "$scratch/ph-initcall.log" |
                sort -rn | head -n 5 | while read -r us fn rc; do
                    name=$fn
                    case $fn in
                    0x*) [ -n "$map" ] && name=$(awk -v a="${fn#0x}" 'tolower($1) == tolower(a) {print $3; exit}' "$map") ;;
                    esac
                    printf '%-60s %8s µs%s\n' "${name:-$fn}" "$us" "$([ "$rc" = 0 ] || echo " (returned $rc)")"
                done
            [ -n "$(sed -n '/initcall .* returned/p' "$scratch/ph-initcall.log" | head -n1)" ] ||
                echo "(no initcall lines: kernel without initcall_debug support?)"
            [ -n "$map" ] || echo "(no System.map in $cache/build for this bzImage: addresses, not names)"

            python3 "$here/bootchart.py" svg "$top/output/bench-phases.txt" "$top/output/bench-bootchart.svg" \
                "tinynetboot vnc image, $accel, median of $runs boots, $(date -u +%Y-%m-%d)" &&
                echo && echo "boot chart: output/bench-bootchart.svg; medians: output/bench-phases.txt"
        fi
    fi
}
