# Helpers for the assignment cases (busybox ash). Source after lib.sh: . /out/assign-lib.sh
# DB ARGS...   runs the engine jar in /jroot (host JDK) with start-up flags; stdout/stderr to the caller
# DB_SD        state directory used by every case (tmpfs inside /jroot)
# drivers_snapshot -> "BDF driver override" for every function (the consistency fingerprint)
DB_SD=/tmp/ddab-state
DB() { ddab "$@"; }
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
# nvme_state_ok SNAPSHOT HELD BDF GROUP STATEDIR: after an interrupted or failed operation (and its repair or
# rollback), the NVMe BDF is in one consistent state: every function's driver and driver_override as in
# SNAPSHOT; HELD=1: /dev/vfio/GROUP exists, HELD=0: BDF's namespace is back and /dev/vfio/GROUP is gone; either
# way one /dev/nvmeXnY per controller on nvme; the journal needs no repair (repair --what-if) and the pool holds
# BDF exactly when HELD. Needs serve_start (checker-lib.sh). Prints what differs and fails.
nvme_state_ok() {
    # (not "b": drivers_snapshot sets a global b, and ash scopes locals dynamically)
    local snap=$1 held=$2 nsb=$3 g=$4 sd=$5 why=""
    drivers_snapshot > /tmp/state-now.txt
    cmp -s "$snap" /tmp/state-now.txt || why="$why drivers: $(diff "$snap" /tmp/state-now.txt | grep '^[-+]0' | tr '\n' ' ')"
    if [ "$held" = 1 ]; then
        wait_for 5 test -c "/dev/vfio/$g" || why="$why no /dev/vfio/$g"
    else
        _ns_of_b() { n=$(nvme_namespaces "$nsb" | head -n1); [ -n "$n" ] && [ -b "/dev/$n" ]; }
        wait_for 15 _ns_of_b || why="$why no namespace node of $nsb"
        wait_for 5 test ! -e "/dev/vfio/$g" || why="$why /dev/vfio/$g still there"
    fi
    wait_for 5 _nvme_nodes_match || why="$why $(ls /dev | grep -c '^nvme[0-9]*n[0-9]*$') nvme block nodes for $(_nvme_bound) controllers on nvme"
    serve_req "{\"id\":90,\"command\":\"repair\",\"args\":{\"stateDir\":\"$sd\",\"whatIf\":true}}" > /tmp/state-wi.json
    grep -q '"needed":false' /tmp/state-wi.json || why="$why journal: $(head -c 200 /tmp/state-wi.json)"
    serve_req "{\"id\":91,\"command\":\"pool\",\"args\":{\"stateDir\":\"$sd\"}}" > /tmp/state-pool.json
    if ! grep -q '"ok":true' /tmp/state-pool.json; then why="$why pool: $(head -c 200 /tmp/state-pool.json)"
    elif [ "$held" = 1 ]; then grep -q "\"$nsb\"" /tmp/state-pool.json || why="$why pool lacks $nsb"
    elif grep -q "\"$nsb\"" /tmp/state-pool.json; then why="$why pool still holds $nsb"; fi
    [ -z "$why" ] || { echo "$why"; return 1; }
}
_nvme_bound() { local c=0 d; for d in $(pci_find 1b36:0010); do [ "$(pci_driver "$d")" = nvme ] && c=$((c + 1)); done; echo $c; }
_nvme_nodes_match() { [ "$(ls /dev | grep -c '^nvme[0-9]*n[0-9]*$')" = "$(_nvme_bound)" ]; }
