#!/bin/bash
# boot.sh <topology> <guest-script> [out-dir]
#
# Boots one QEMU (TCG) guest with the given topology and runs <guest-script> in it as
# /out/guest.sh (busybox sh; /out/lib.sh has the helpers; `chroot /jroot /usr/bin/java ...` runs the
# host JDK). Results land in out-dir (default tests/e2e/out/<topology>):
#   console.log  serial console (kernel + init + script output)
#   guest.log    output of the guest script alone
#   guest.rc     its exit status             dmesg.txt  guest kernel log
#   boot.time    wall seconds of the boot
# Files already in out-dir are visible to the guest under /out (run.sh stages cases there).
# Exit status: the guest script's status; 124 on timeout; 125 when the guest never reported one.
#
# Environment:
#   DDABRIDGE_JAR               engine jar (default <repo>/dist/ddabridge.jar), copied to /out/ddabridge.jar
#   DDABRIDGE_E2E_TIMEOUT       whole boot, seconds (240, or the topology's `timeout`)
#   DDABRIDGE_E2E_CASE_TIMEOUT  per case in guest/run-cases.sh, seconds (90)
#   DDABRIDGE_E2E_MEM / _SMP    guest RAM (topology's, else 1536M) / vCPUs (2)
#   DDABRIDGE_E2E_PWSH          auto|0: share ~/.dotnet/tools read-only (pwsh in the chroot)
#   DDABRIDGE_E2E_CACHE         kernel/initramfs cache (~/.cache/ddabridge-e2e)
#   DDABRIDGE_E2E_VERBOSE=1     stream the serial console to stderr
#   DDABRIDGE_E2E_BOOT          which boot of a multi-boot topology this is (1; guest env E2E_BOOT)
set -euo pipefail
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_DIR/lib/common.sh"
. "$E2E_DIR/lib/kernel.sh"

[ $# -ge 2 ] && [ $# -le 3 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
TOPO_ARG=$1; SCRIPT=$2
if [ -f "$TOPO_ARG" ]; then TOPO_FILE=$TOPO_ARG; else TOPO_FILE="$E2E_DIR/topologies/$TOPO_ARG.topo"; fi
[ -f "$TOPO_FILE" ] || e2e_die "no topology '$TOPO_ARG' (have: $(cd "$E2E_DIR/topologies" && ls *.topo | sed 's/\.topo$//' | tr '\n' ' '))"
TOPO=$(basename "$TOPO_FILE" .topo)
[ -f "$SCRIPT" ] || e2e_die "guest script '$SCRIPT' not found"
OUT=${3:-"$E2E_DIR/out/$TOPO"}
if [ -z "${3:-}" ]; then rm -rf "$OUT"; fi
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
TIMEOUT=${DDABRIDGE_E2E_TIMEOUT:-240}
DDABRIDGE_JAR=${DDABRIDGE_JAR:-"$REPO_ROOT/dist/ddabridge.jar"}

e2e_host_tools
e2e_ensure_kernel
e2e_ensure_initramfs

# --- stage the out share -----------------------------------------------------------------
rm -f "$OUT"/{console.log,guest.log,guest.rc,dmesg.txt,boot.time}
install -m 0755 "$SCRIPT" "$OUT/guest.sh"
install -m 0644 "$E2E_DIR/guest/lib.sh" "$OUT/lib.sh"
for f in "$E2E_DIR"/guest/*-lib.sh; do [ -f "$f" ] && install -m 0644 "$f" "$OUT/${f##*/}"; done
# The guest's class-data sharing archive is only valid for the same jar (content and mtime, so copy
# with -p), at the same path, on the same JDK: cache it per jar and JDK between boots.
rm -f "$OUT/ddabridge.jsa" "$OUT/ddabridge.jsa.new"
CDS_CACHE=
if [ -f "$DDABRIDGE_JAR" ]; then
    cp -p "$DDABRIDGE_JAR" "$OUT/ddabridge.jar"
    CDS_CACHE="$E2E_CACHE/cds/$( (sha256sum "$DDABRIDGE_JAR"; stat -c %Y "$DDABRIDGE_JAR"; readlink -f /usr/bin/java) | sha256sum | cut -c1-16).jsa"
    [ -f "$CDS_CACHE" ] && cp "$CDS_CACHE" "$OUT/ddabridge.jsa"
else
    rm -f "$OUT/ddabridge.jar"
fi
# The PowerShell modules next to the jar (dist/DdaBridge, dist/DdaBridge.HyperVCompat), for the
# pwsh cases: /out/DdaBridge finds /out/ddabridge.jar as its ../ddabridge.jar, and the compat
# module finds DdaBridge as its sibling folder.
for module in DdaBridge DdaBridge.HyperVCompat; do
    rm -rf "${OUT:?}/$module"
    if [ -d "$(dirname "$DDABRIDGE_JAR")/$module" ]; then
        cp -r "$(dirname "$DDABRIDGE_JAR")/$module" "$OUT/$module"
    fi
done
# The built module carries its own engine (DdaBridge/engine/); in the guest it uses /out/ddabridge.jar
# instead (the jar under test, with the CDS archive made for it in the guest), found as its ../ddabridge.jar.
rm -rf "${OUT:?}/DdaBridge/engine"
# PowerShell test helpers shared with the Pester suite (tests/lib/*.ps1, e.g. SurveyDdaProbe.ps1).
for f in "$E2E_DIR"/../lib/*.ps1; do [ -f "$f" ] && cp "$f" "$OUT/"; done
# pass through a few harness settings to the guest (sourced by guest/lib.sh)
{
    echo "E2E_REQUIRE_JAR=${DDABRIDGE_E2E_REQUIRE_JAR:-0}"
    echo "E2E_JAR_PATH='$DDABRIDGE_JAR'"
    echo "E2E_CASE_TIMEOUT=${DDABRIDGE_E2E_CASE_TIMEOUT:-90}"
    echo "E2E_BOOT=${DDABRIDGE_E2E_BOOT:-1}"
    # replays the random kill -9 moments of reference-crash/52-kill9-random.sh (digits only)
    case ${DDABRIDGE_E2E_KILL_SEED:-} in ''|*[!0-9]*) ;; *) echo "E2E_KILL_SEED=$DDABRIDGE_E2E_KILL_SEED" ;; esac
} > "$OUT/env.sh"

# --- topology -> qemu arguments ------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ddabridge-e2e.XXXXXX")
QPID=
cleanup() { [ -n "$QPID" ] && kill "$QPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

MEM=1536M; IOMMU_DEV=; CMDLINE_EXTRA=; DEV_ARGS=(); TOPO_TIMEOUT=; L2_GUEST=0
# parse_topo FILE: reads one topology file; `same-as NAME` pulls in another topology's machine (so one
# machine can be booted several times with different case sets, keeping each boot within its budget).
parse_topo() {
    local file=$1 lineno=0 line key rest id size
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        line=${line%%#*}
        read -r key rest <<<"$line" || true
        [ -n "${key:-}" ] || continue
        case $key in
            describe) ;;
            same-as)  [ -f "$E2E_DIR/topologies/$rest.topo" ] || e2e_die "$file:$lineno: no topology '$rest'"
                      parse_topo "$E2E_DIR/topologies/$rest.topo" ;;
            timeout)  TOPO_TIMEOUT=$rest ;;
            l2-guest) L2_GUEST=1 ;;
            iommu)    [ "$rest" = none ] || IOMMU_DEV=$rest ;;
            cmdline)  CMDLINE_EXTRA+=" $rest" ;;
            memory)   MEM=$rest ;;
            disk)     read -r id size fs <<<"$rest"
                      truncate -s "$size" "$WORK/$id.img"
                      # optional filesystem, made on the host's temp file (busybox has no mkfs)
                      [ "${fs:-}" = minix ] && mkfs.minix "$WORK/$id.img" > /dev/null
                      DEV_ARGS+=(-drive "file=$WORK/$id.img,if=none,id=$id,format=raw") ;;
            pdisk)    # a disk that survives the boots of one run (kept in the out dir): state across reboots
                      read -r id size fs <<<"$rest"
                      if [ ! -f "$OUT/$id.pdisk.img" ]; then
                          truncate -s "$size" "$OUT/$id.pdisk.img"
                          [ "${fs:-}" = minix ] && mkfs.minix -2 -n 30 "$OUT/$id.pdisk.img" > /dev/null
                      fi
                      DEV_ARGS+=(-drive "file=$OUT/$id.pdisk.img,if=none,id=$id,format=raw") ;;
            boots)    ;;   # read by run.sh
            device)   DEV_ARGS+=(-device "$rest") ;;
            qemu)     read -r -a raw <<<"$rest"; DEV_ARGS+=("${raw[@]}") ;;
            *)        e2e_die "$file:$lineno: unknown directive '$key'" ;;
        esac
    done < "$file"
}
parse_topo "$TOPO_FILE"
# Second-level guest kernel + initramfs for VMs started inside the guest (the vm cases): /out/l2/.
rm -rf "$OUT/l2"
if [ "$L2_GUEST" = 1 ]; then
    e2e_ensure_l2
    mkdir -p "$OUT/l2"
    ln -f "$E2E_L2_KERNEL" "$OUT/l2/vmlinux" 2>/dev/null || cp "$E2E_L2_KERNEL" "$OUT/l2/vmlinux"
    cp "$E2E_L2_INITRD" "$OUT/l2/initrd.img"
fi
# A topology may need a longer boot than the default (many JVM starts under emulation).
[ -z "${DDABRIDGE_E2E_TIMEOUT:-}" ] && [ -n "$TOPO_TIMEOUT" ] && [ "$TOPO_TIMEOUT" -gt "$TIMEOUT" ] && TIMEOUT=$TOPO_TIMEOUT
MEM=${DDABRIDGE_E2E_MEM:-$MEM}

# 9p shares on fixed high slots of pcie.0 so they never move the topology's own addresses.
SHARES=(
    -fsdev "local,id=fsusr,path=/usr,security_model=none,readonly=on"
    -device "virtio-9p-pci,fsdev=fsusr,mount_tag=hostusr,bus=pcie.0,addr=0x10"
    -fsdev "local,id=fsetc,path=/etc,security_model=none,readonly=on"
    -device "virtio-9p-pci,fsdev=fsetc,mount_tag=hostetc,bus=pcie.0,addr=0x11"
    -fsdev "local,id=fsout,path=$OUT,security_model=none"
    -device "virtio-9p-pci,fsdev=fsout,mount_tag=out,bus=pcie.0,addr=0x12"
)
DOTNET_TOOLS=${HOME:-/root}/.dotnet/tools
if [ "${DDABRIDGE_E2E_PWSH:-auto}" != 0 ] && [ -x "$DOTNET_TOOLS/pwsh" ]; then
    SHARES+=(-fsdev "local,id=fsdotnet,path=$DOTNET_TOOLS,security_model=none,readonly=on"
             -device "virtio-9p-pci,fsdev=fsdotnet,mount_tag=hostdotnet,bus=pcie.0,addr=0x13")
fi

# no_timer_check: under TCG on a loaded host the IO-APIC timer self-test can be too slow and the
# kernel panics ("timer doesn't work through Interrupt-remapped IO-APIC") before /init.
APPEND="console=ttyS0 panic=-1 no_timer_check $E2E_MARKER ddabridge_e2e_topo=$TOPO${CMDLINE_EXTRA}"
QEMU=(qemu-system-x86_64
    -machine q35 -accel tcg -cpu max -m "$MEM" -smp "${DDABRIDGE_E2E_SMP:-2}"
    -nodefaults -display none -monitor none -no-reboot
    -serial "file:$OUT/console.log"
    -kernel "$E2E_VMLINUZ" -initrd "$E2E_INITRD" -append "$APPEND")
[ -n "$IOMMU_DEV" ] && QEMU+=(-device "$IOMMU_DEV")   # the IOMMU must precede the PCI devices
QEMU+=("${DEV_ARGS[@]}" "${SHARES[@]}")
printf '%q ' "${QEMU[@]}" > "$OUT/qemu.cmd"; echo >> "$OUT/qemu.cmd"

# --- boot -------------------------------------------------------------------------------------
e2e_log "boot $TOPO (kernel $E2E_KV, mem $MEM, timeout ${TIMEOUT}s) -> $OUT"
: > "$OUT/console.log"
TAILPID=
if [ "${DDABRIDGE_E2E_VERBOSE:-0}" = 1 ]; then
    tail -n +1 -f "$OUT/console.log" >&2 & TAILPID=$!
fi
t0=$(date +%s.%N)
set +e
timeout --kill-after=10 "$TIMEOUT" "${QEMU[@]}" </dev/null >"$OUT/qemu.stderr" 2>&1 &
QPID=$!
wait "$QPID"; qrc=$?
QPID=
set -e
t1=$(date +%s.%N)
[ -n "$TAILPID" ] && { sleep 0.2; kill "$TAILPID" 2>/dev/null || true; }
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
echo "$secs" > "$OUT/boot.time"
if [ -n "$CDS_CACHE" ] && [ -f "$OUT/ddabridge.jsa" ] && [ ! -f "$CDS_CACHE" ]; then
    mkdir -p "${CDS_CACHE%/*}" && cp "$OUT/ddabridge.jsa" "$CDS_CACHE.tmp.$$" && mv "$CDS_CACHE.tmp.$$" "$CDS_CACHE"
fi
grep -v 'has no peer' "$OUT/qemu.stderr" >&2 || true

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
    e2e_log "TIMEOUT: $TOPO did not power off within ${TIMEOUT}s (last console lines below)"
    tail -n 15 "$OUT/console.log" >&2
    [ -s "$OUT/guest.log" ] && { e2e_log "last guest.log lines:"; tail -n 10 "$OUT/guest.log" >&2; }
    exit 124
fi
rc=
if [ -s "$OUT/guest.rc" ]; then
    rc=$(tr -dc '0-9' < "$OUT/guest.rc")
elif grep -q '^E2E: guest-rc=' "$OUT/console.log"; then    # 9p write lost: fall back to the console
    rc=$(sed -n 's/^E2E: guest-rc=\([0-9]*\).*/\1/p' "$OUT/console.log" | tail -n1)
fi
if [ -z "$rc" ]; then
    e2e_log "BOOT FAILURE: $TOPO gave no guest exit status (qemu rc $qrc, ${secs}s); last console lines:"
    tail -n 15 "$OUT/console.log" >&2
    exit 125
fi
e2e_log "$TOPO done in ${secs}s, guest script rc=$rc (qemu rc $qrc)"
exit "$rc"
