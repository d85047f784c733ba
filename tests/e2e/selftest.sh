#!/bin/bash
# selftest.sh -- checks the harness itself (one boot of `reference`, ~30 s):
#  * host side: the guest helpers refuse to write to sysfs without the guest marker;
#  * run.sh turns FAIL lines, missing results, crashed and hung cases into failures and exits 1;
#  * a timed-out case is killed with its children and later cases still run;
#  * the jar plumbing: a stand-in jar (selftest/fakejar, built with javac) passes the survey case.
set -uo pipefail
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/ddabridge-e2e-selftest.XXXXXX")
trap 'rm -rf "$T"' EXIT
bad=0
ok()  { echo "ok   $*"; }
nok() { echo "FAIL $*"; bad=1; }

# 1. guard on the host (the path does not exist, so even a broken guard could not write anything)
out=$(sh -c ". '$E2E_DIR/guest/lib.sh'; sysfs_write /sys/ddabridge-e2e-nonexistent x; echo reached" 2>&1); rc=$?
[ $rc = 3 ] && grep -q REFUSED <<<"$out" && ! grep -q reached <<<"$out" && ok "host guard refuses (rc 3)" ||
    nok "host guard: rc=$rc out=$out"

# 2. stand-in jar
mkdir -p "$T/cls"
if javac -d "$T/cls" "$E2E_DIR/selftest/fakejar/Main.java" && printf 'Main-Class: Main\n' > "$T/m" &&
   jar cfm "$T/fake.jar" "$T/m" -C "$T/cls" .; then ok "stand-in jar built"; else nok "cannot build stand-in jar"; fi

# 3. one boot with the self-test cases plus the real survey case
mkdir -p "$T/cases/reference"
cp "$E2E_DIR"/selftest/cases/reference/*.sh "$E2E_DIR/cases/reference/90-survey-jar.sh" "$T/cases/reference/"
DDABRIDGE_E2E_CASES="$T/cases" DDABRIDGE_E2E_OUT="$T/out" DDABRIDGE_JAR="$T/fake.jar" \
    "$E2E_DIR/run.sh" reference > "$T/run.log" 2>&1
rc=$?
sed 's/^/     | /' "$T/run.log" | grep -v '^     | \[e2e'
want=(
    "PASS reference/st-good"
    "FAIL reference/st-bad: deliberate"
    "SKIP reference/st-skipped: deliberate"
    "1 skipped: counted as failed (DDABRIDGE_E2E_ALLOW_SKIP=1 allows them)"
    "FAIL reference/st-never-reported: no result (case 10-mixed rc=1)"
    "PASS reference/st-before-crash"
    "FAIL reference/20-crash: exited rc=7 without a FAIL line"
    "FAIL reference/st-hang: no result (case 30-hang rc=143)"
    "PASS reference/st-after-hang"
    "PASS reference/st-guard-in-guest"
    "PASS reference/survey-runs"
    "PASS reference/survey-json-ok"
    "PASS reference/survey-lists-all-devices"
)
for w in "${want[@]}"; do grep -qxF "$w" "$T/run.log" && ok "$w" || nok "missing line: $w"; done
last=$(tail -n1 "$T/run.log")
[ "$last" = "7 passed, 6 failed" ] && ok "summary '$last'" || nok "summary '$last', want '7 passed, 6 failed'"
[ $rc = 1 ] && ok "run.sh exit 1" || nok "run.sh exit $rc, want 1"
[ $bad = 0 ] && echo "selftest: all good" || echo "selftest: FAILED"
exit $bad
