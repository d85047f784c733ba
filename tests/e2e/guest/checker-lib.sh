# Guest helpers for comparing the engine's compatibility report with the kernel's truth.
# Sourced after /out/lib.sh.

# survey_table JSON: one line per function from `survey --json`:
#   ADDRESS VERDICT PREDICTED(comma list) MUSTMOVEWITH(comma list or -) CODES(comma list)
survey_table() {
    awk '
    function val(line) { sub(/^[^:]*: *"/, "", line); sub(/".*$/, "", line); return line }
    function item(line) { gsub(/[ ",]/, "", line); return line }
    /^      \{/ { addr = ""; verdict = ""; pred = ""; mmw = ""; codes = "" }
    /^        "address": "/ { addr = val($0) }
    /^        "verdict": "/ { verdict = val($0) }
    /"code": "/ { codes = codes (codes == "" ? "" : ",") val($0) }
    /^        "predictedIommuGroup": \[\]/ { pred = "" ; next }
    /^        "predictedIommuGroup": \[/ { list = "pred"; next }
    /^        "mustMoveWith": \[\]/ { mmw = ""; next }
    /^        "mustMoveWith": \[/ { list = "mmw"; next }
    list != "" && /^        \]/ { list = ""; next }
    list == "pred" { pred = pred (pred == "" ? "" : ",") item($0); next }
    list == "mmw" { mmw = mmw (mmw == "" ? "" : ",") item($0); next }
    /^      \}/ && addr != "" { print addr, verdict, (pred == "" ? "-" : pred), (mmw == "" ? "-" : mmw), (codes == "" ? "-" : codes) }
    ' "$1"
}

# kernel_group_members BDF: the kernel's group of BDF as a sorted comma list ("-" without a group).
kernel_group_members() {
    local g; g=$(pci_group "$1")
    [ -n "$g" ] || { echo -; return; }
    group_devices "$g" | tr '\n' ',' | sed 's/,$//'
}

# A long-lived `ddabridge serve` fed through a fifo: one JVM for many questions (JVM start is ~3 s here).
serve_start() {
    rm -f /tmp/serve.in /tmp/serve.out; mkfifo /tmp/serve.in; : > /tmp/serve.out
    ddab serve < /tmp/serve.in > /tmp/serve.out 2>/tmp/serve.err &
    SERVE_PID=$!
    exec 3> /tmp/serve.in
}
# serve_req JSON -> prints the response line: the first line after the request that carries "ok"
# (progress events come first). Waits up to 120 s.
serve_req() {
    local n m i=0 line; n=$(wc -l < /tmp/serve.out)
    echo "$1" >&3
    while [ $i -lt 1200 ]; do
        m=$(wc -l < /tmp/serve.out)   # complete lines only: a long answer may still be being written
        line=$(head -n "$m" /tmp/serve.out | tail -n +$((n + 1)) | grep -m1 '"ok":')
        [ -n "$line" ] && { echo "$line"; return 0; }
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
serve_stop() { exec 3>&-; wait "$SERVE_PID" 2>/dev/null; }

# group_viable G -> "true"/"false" from the engine's VFIO_GROUP_GET_STATUS (vfio-status)
group_viable() {
    serve_req "{\"id\":1,\"command\":\"vfio-status\",\"args\":{\"group\":\"$1\"}}" |
        sed -n 's/.*"viable":\([a-z]*\).*/\1/p'
}

# restore_driver BDF DRIVER: undo bind_vfio (clear override, unbind vfio-pci, probe; bind DRIVER if needed)
restore_driver() {
    sysfs_write "$PCI/$1/driver_override" "" 2>/dev/null
    [ -e "$PCI/$1/driver" ] && sysfs_write "$PCI/$1/driver/unbind" "$1"
    sysfs_write /sys/bus/pci/drivers_probe "$1" 2>/dev/null
    [ -n "$2" ] && ! wait_for 3 _driver_is "$1" "$2" && sysfs_write "/sys/bus/pci/drivers/$2/bind" "$1" 2>/dev/null
    wait_for 3 _driver_is "$1" "$2"
}

# check_groups_match_kernel NAME TABLE: every function's predicted group equals the kernel's group.
check_groups_match_kernel() {
    local name=$1 table=$2 bad="" addr verdict pred rest live
    while read -r addr verdict pred rest; do
        live=$(kernel_group_members "$addr")
        [ "$live" = "$pred" ] || bad="$bad $addr(predicted=$pred kernel=$live)"
    done < "$table"
    [ -s "$table" ] && [ -z "$bad" ] && pass "$name" || fail "$name" "${bad:-empty survey table}"
}

# check_move_with NAME TABLE BDF: the checker's mustMoveWith is exactly what VFIO needs.
#   1. only BDF on vfio-pci: the group is viable iff mustMoveWith is empty;
#   2. BDF and its mustMoveWith on vfio-pci: the group is viable.
check_move_with() {
    local name=$1 table=$2 bdf=$3 line mmw g others="" d drv
    line=$(grep "^$bdf " "$table"); mmw=$(echo "$line" | awk '{print $4}')
    g=$(pci_group "$bdf")
    [ -n "$line" ] && [ -n "$g" ] || { fail "$name" "no survey line or group for $bdf"; return; }
    [ "$mmw" = - ] || others=$(echo "$mmw" | tr ',' ' ')
    drv=$(pci_driver "$bdf")
    for d in $others; do eval "orig_$(echo $d | tr ':.' '__')=$(pci_driver $d)"; done
    bind_vfio "$bdf" || { fail "$name" "bind $bdf failed"; return; }
    local alone; alone=$(group_viable "$g")
    for d in $others; do bind_vfio "$d"; done
    local together; together=$(group_viable "$g")
    for d in $others; do eval "restore_driver $d \$orig_$(echo $d | tr ':.' '__')"; done
    restore_driver "$bdf" "$drv"
    local want_alone=false; [ "$mmw" = - ] && want_alone=true
    if [ "$alone" = "$want_alone" ] && [ "$together" = true ]; then
        pass "$name"
    else
        fail "$name" "$bdf mustMoveWith=$mmw: kernel viable alone=$alone (want $want_alone), with them=$together (want true)"
    fi
}

# check_target_verdict NAME BDF TARGET VERDICT [JSON]: the device-only verdict of TARGET (targets.<TARGET>)
# of BDF in the survey already taken (default /out/c-survey.json; no second JVM, which is slow in TCG).
check_target_verdict() {
    local name=$1 bdf=$2 t=$3 want=$4 json=${5:-/out/c-survey.json} got
    got=$(awk -v bdf="$bdf" -v t="$t" '
        /^      \{/ { dev = 0; want = 0 }
        $0 ~ "^        \"address\": \"" bdf "\"" { dev = 1 }
        dev && $0 ~ "^          \"" t "\": \\{" { want = 1; next }
        dev && want && /"verdict": "/ { v = $0; sub(/^[^:]*: *"/, "", v); sub(/".*$/, "", v); print v; exit }
    ' "$json")
    [ "$got" = "$want" ] && pass "$name" || fail "$name" "$bdf targets.$t.verdict=$got (want $want)"
}
