# Engine smoke test: `java -jar ddabridge.jar survey --json` in the guest (host JDK via /jroot).
# SKIPs when the jar was not built, unless DDABRIDGE_E2E_REQUIRE_JAR=1 (then it FAILs).
# e2e-expect: survey-runs survey-json-ok survey-lists-all-devices
. /out/lib.sh
NAMES="survey-runs survey-json-ok survey-lists-all-devices"
if [ ! -f /out/ddabridge.jar ]; then
    for n in $NAMES; do
        if [ "${E2E_REQUIRE_JAR:-0}" = 1 ]; then fail "$n" "jar not found (${E2E_JAR_PATH:-dist/ddabridge.jar}; run ./build.sh)"
        else skip "$n" "jar not found (${E2E_JAR_PATH:-dist/ddabridge.jar}; run ./build.sh)"; fi
    done
    finish
fi
ddab survey --json > /out/survey.json 2> /out/survey.err
rc=$?
[ $rc -eq 0 ] && pass survey-runs || fail survey-runs "rc=$rc: $(head -c 300 /out/survey.err | tr '\n' ' ')"
grep -Eq '"ok"[[:space:]]*:[[:space:]]*true' /out/survey.json && pass survey-json-ok ||
    fail survey-json-ok "no \"ok\":true in $(head -c 200 /out/survey.json | tr '\n' ' ')"
missing=
# The function itself, not an address seen only as another function's parent or group mate.
for b in $(pci_all); do grep -Eq "\"address\": ?\"$b\"" /out/survey.json || missing="$missing $b"; done
[ -z "$missing" ] && pass survey-lists-all-devices || fail survey-lists-all-devices "missing:$missing"
finish
