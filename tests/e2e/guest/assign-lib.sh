# Helpers for the assignment cases (busybox ash). Source after lib.sh: . /out/assign-lib.sh
# DB ARGS...   runs the engine jar in /jroot (host JDK) with start-up flags; stdout/stderr to the caller
# DB_SD        state directory used by every case (tmpfs inside /jroot)
# drivers_snapshot -> "BDF driver override" for every function (the consistency fingerprint)
DB_SD=/tmp/ddab-state
DB_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData"
DB() { chroot /jroot /usr/bin/java $DB_FLAGS -jar /out/ddabridge.jar "$@"; }
need_jar() {  # need_jar NAME... -> SKIP/FAIL the names and exit when the jar is missing
    [ -f /out/ddabridge.jar ] && return 0
    for n in "$@"; do
        if [ "${E2E_REQUIRE_JAR:-0}" = 1 ]; then fail "$n" "jar not found"; else skip "$n" "jar not found (./build.sh)"; fi
    done
    finish
}
drivers_snapshot() {
    for p in /sys/bus/pci/devices/*; do
        b=${p##*/}; echo "$b $(pci_driver "$b") $(cat "$p/driver_override" 2>/dev/null)"
    done
}
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk "BEGIN{printf \"%.2f\", $2-$1}"; }
json_has() { grep -Eq "$2" "$1"; }
