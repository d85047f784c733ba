#!/bin/bash
# run.sh [topology ...]  -- the DdaBridge e2e suite.
#
# A case is a busybox-sh script cases/<topology>/<NN-name>.sh; its header lines
#   # e2e-expect: name1 name2 ...
# list the result names it must report (PASS/FAIL/SKIP <name>). All cases of one topology run
# in ONE boot (guest/run-cases.sh). An expected name that never reports, a case that exits non-zero
# without a FAIL line, and a boot that times out or reports no status all count as failures.
# Output: one line per result (PASS|FAIL|SKIP <topology>/<name>...), timings, then exactly
#   N passed, M failed
# Exit status: 0 only when M is 0.
#
# Environment: everything boot.sh takes (DDABRIDGE_JAR, DDABRIDGE_E2E_TIMEOUT, ...), plus
# DDABRIDGE_E2E_OUT (results root, default tests/e2e/out/run), DDABRIDGE_E2E_REQUIRE_JAR=1,
# DDABRIDGE_E2E_CASES (cases root, default tests/e2e/cases; used to self-test the harness),
# DDABRIDGE_E2E_BOOT_RETRIES (1: boots that die before /init are retried this often, with a NOTE line).
set -uo pipefail
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_DIR/lib/common.sh"
. "$E2E_DIR/lib/kernel.sh"

OUT_ROOT=${DDABRIDGE_E2E_OUT:-"$E2E_DIR/out/run"}
CASES_DIR=${DDABRIDGE_E2E_CASES:-"$E2E_DIR/cases"}
T_START=$(date +%s.%N)

if [ $# -gt 0 ]; then TOPOS=("$@")
else
    TOPOS=()
    for d in "$CASES_DIR"/*/; do
        t=$(basename "$d"); ls "$d"/*.sh >/dev/null 2>&1 && TOPOS+=("$t")
    done
fi
# reference first (it is the one everyone looks at), then the rest alphabetically
mapfile -t TOPOS < <(printf '%s\n' "${TOPOS[@]}" | awk '$0=="reference"{print "0 " $0; next}{print "1 " $0}' | sort | cut -d' ' -f2)

# Build/fetch kernel + initramfs once up front, so boot timings are boots only.
( e2e_host_tools && e2e_ensure_kernel && e2e_ensure_initramfs ) || { echo "0 passed, 1 failed"; exit 1; }

PASSED=0; FAILED=0; SKIPPED=0
declare -a TIMINGS=()
say() { echo "$*"; }
r_pass() { say "PASS $1"; PASSED=$((PASSED + 1)); }
r_fail() { say "FAIL $1"; FAILED=$((FAILED + 1)); }
r_skip() { say "SKIP $1"; SKIPPED=$((SKIPPED + 1)); }

rm -rf "$OUT_ROOT"; mkdir -p "$OUT_ROOT"
for topo in "${TOPOS[@]}"; do
    cdir="$CASES_DIR/$topo"
    if [ ! -f "$E2E_DIR/topologies/$topo.topo" ] || ! ls "$cdir"/*.sh >/dev/null 2>&1; then
        r_fail "$topo/setup: no topologies/$topo.topo or no cases/$topo/*.sh"; continue
    fi
    out="$OUT_ROOT/$topo"; mkdir -p "$out/cases"
    cp "$cdir"/*.sh "$out/cases/"
    say "== $topo: $(sed -n 's/^describe[[:space:]]*//p' "$E2E_DIR/topologies/$topo.topo")"
    # `boots N`: the machine boots N times in a row (its pdisk survives); cases name their boot
    nboots=$(sed -n 's/^boots[[:space:]]*\([0-9]*\).*/\1/p' "$E2E_DIR/topologies/$topo.topo" | head -n1)
    nboots=${nboots:-1}
    : > "$out/guest.all.log"
    boot_rcs=()
    for bootno in $(seq 1 "$nboots"); do
    attempt=1
    while :; do
        DDABRIDGE_E2E_BOOT=$bootno "$E2E_DIR/boot.sh" "$topo" "$E2E_DIR/guest/run-cases.sh" "$out" 2> "$out/boot.stderr"
        brc=$?
        # Retry (once, by default) only a guest that died before reaching /init: that is the
        # emulator/kernel, not a test. Reported, never hidden.
        if [ "$brc" = 125 ] && ! grep -aq '^E2E: init start' "$out/console.log" &&
           [ "$attempt" -le "${DDABRIDGE_E2E_BOOT_RETRIES:-1}" ]; then
            say "NOTE $topo: guest died before /init ($(grep -a -m1 -E 'Kernel panic|BUG:|Oops' "$out/console.log" | tr -d '\r' | cut -c1-120)); retrying"
            cp "$out/console.log" "$out/console.attempt$attempt.log"
            attempt=$((attempt + 1)); continue
        fi
        break
    done
    secs=$(cat "$out/boot.time" 2>/dev/null || echo "?")
    label=$topo; [ "$nboots" -gt 1 ] && label="$topo#$bootno"
    TIMINGS+=("$(printf '%-11s %6ss  (boot rc %s)' "$label" "$secs" "$brc")")

    log="$out/guest.log"
    if [ ! -s "$log" ]; then                         # fall back to the serial console
        grep -aE '^(CASE|END|PASS|FAIL|SKIP|INFO) ' "$out/console.log" 2>/dev/null | tr -d '\r' > "$out/guest.from-console.log"
        log="$out/guest.from-console.log"
    fi
    cat "$log" >> "$out/guest.all.log"
    boot_rcs+=("$brc:$secs")
    if [ "$nboots" -gt 1 ]; then
        for f in console.log guest.log dmesg.txt; do [ -f "$out/$f" ] && cp "$out/$f" "$out/boot$bootno.$f"; done
    fi
    done
    log="$out/guest.all.log"

    declare -A SEEN=() CASE_RC=() CASE_FAILS=() CASE_SECS=()
    cur=
    while IFS= read -r line; do
        line=${line%$'\r'}
        case $line in
            "CASE "*) cur=${line#CASE }; CASE_FAILS[$cur]=0 ;;
            "END "*)  rest=${line#END }; c=${rest%% *}
                      CASE_RC[$c]=$(sed -n 's/.* rc=\([0-9]*\).*/\1/p' <<<"$rest")
                      CASE_SECS[$c]=$(sed -n 's/.* secs=\([0-9.]*\).*/\1/p' <<<"$rest") ;;
            "PASS "*) n=${line#PASS }; n=${n%% *}; SEEN["$cur|$n"]=1; r_pass "$topo/$n" ;;
            "FAIL "*) rest=${line#FAIL }; n=${rest%%:*}; n=${n%% *}; SEEN["$cur|$n"]=1
                      CASE_FAILS[$cur]=$(( ${CASE_FAILS[$cur]:-0} + 1 )); r_fail "$topo/$rest" ;;
            "SKIP "*) rest=${line#SKIP }; n=${rest%%:*}; n=${n%% *}; SEEN["$cur|$n"]=1; r_skip "$topo/$rest" ;;
            "INFO "*) say "    ${line#INFO }" ;;
        esac
    done < "$log"

    for f in "$cdir"/*.sh; do
        c=$(basename "$f" .sh)
        expects=$(sed -n 's/^#[[:space:]]*e2e-expect:[[:space:]]*//p' "$f" | tr '\n' ' ')
        rc=${CASE_RC[$c]:-}
        why="case $c did not finish"; [ -n "$rc" ] && why="case $c rc=$rc"
        for n in $expects; do
            [ -n "${SEEN[$c|$n]:-}" ] || r_fail "$topo/$n: no result ($why)"
        done
        if [ -z "$expects" ] && [ -z "$rc" ]; then r_fail "$topo/$c: did not run"; fi
        if [ -n "$rc" ] && [ "$rc" != 0 ] && [ "${CASE_FAILS[$c]:-0}" = 0 ]; then
            r_fail "$topo/$c: exited rc=$rc without a FAIL line"
        fi
    done
    for br in "${boot_rcs[@]}"; do
    brc=${br%%:*}; secs=${br#*:}
    case $brc in
        0|1) ;;   # 1 = some case failed; already counted above
        124) r_fail "$topo/boot: timed out after ${secs}s (see $out/console.log)" ;;
        125) r_fail "$topo/boot: guest reported no exit status (see $out/console.log)" ;;
        *)   r_fail "$topo/boot: boot.sh rc=$brc ($(tail -n1 "$out/boot.stderr" 2>/dev/null))" ;;
    esac
    done
    per_case=
    for f in "$cdir"/*.sh; do c=$(basename "$f" .sh); per_case+=" $c=${CASE_SECS[$c]:-?}s"; done
    TIMINGS[-1]+="  guest:$per_case"
    unset SEEN CASE_RC CASE_FAILS CASE_SECS
done

T_END=$(date +%s.%N)
say "== timings (wall, per boot incl. QEMU start and poweroff)"
for t in "${TIMINGS[@]}"; do say "   $t"; done
say "   total      $(awk -v a="$T_START" -v b="$T_END" 'BEGIN{printf "%6.1f", b-a}')s  (results in $OUT_ROOT)"
# A skipped result is not a passed one: it counts as failed unless skips are allowed explicitly.
if [ "$SKIPPED" -gt 0 ]; then
    if [ "${DDABRIDGE_E2E_ALLOW_SKIP:-0}" = 1 ]; then say "$SKIPPED skipped (allowed: DDABRIDGE_E2E_ALLOW_SKIP=1)"
    else say "$SKIPPED skipped: counted as failed (DDABRIDGE_E2E_ALLOW_SKIP=1 allows them)"; FAILED=$((FAILED + SKIPPED)); fi
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
