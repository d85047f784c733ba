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
    # a function found without a driver goes back to none: a probe would hand it to whatever matches
    [ -z "$2" ] && { ! [ -e "$PCI/$1/driver" ]; return; }
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
#   0. it is the engine's PREDICTED group (topology, ACS, aliases) without BDF and bridges, and the kernel's
#      group without them: mustMoveWith is built from the live group, so this is where the prediction counts;
#   1. only BDF on vfio-pci: the group is viable iff mustMoveWith is empty;
#   2. BDF and its mustMoveWith on vfio-pci: the group is viable.
check_move_with() {
    local name=$1 table=$2 bdf=$3 line mmw g others="" d drv pred_mates kern_mates
    line=$(grep "^$bdf " "$table"); mmw=$(echo "$line" | awk '{print $4}')
    g=$(pci_group "$bdf")
    [ -n "$line" ] && [ -n "$g" ] || { fail "$name" "no survey line or group for $bdf"; return; }
    pred_mates=$(non_bridges "$(echo "$line" | awk '{print $3}')" "$bdf")
    kern_mates=$(non_bridges "$(kernel_group_members "$bdf")" "$bdf")
    if [ "$(echo "$line" | awk '{print $3}')" = - ] || [ "$mmw" != "$pred_mates" ] || [ "$mmw" != "$kern_mates" ]; then
        fail "$name" "$bdf mustMoveWith=$mmw, predicted group without it and bridges=$pred_mates, kernel's=$kern_mates"
        return
    fi
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

# survey_field BDF FIELD [JSON] -> a device's scalar field (quotes stripped; null, numbers and booleans as
# written) from `survey --json` (default /out/c-survey.json); nothing when the device is not listed.
survey_field() {
    awk -v bdf="$1" -v f="$2" '
        /^      \{/ { dev = 0 }
        $0 ~ "^        \"address\": \"" bdf "\"" { dev = 1 }
        dev && $0 ~ "^        \"" f "\": " { v = $0; sub(/^[^:]*: */, "", v); sub(/,$/, "", v); gsub(/"/, "", v); print v; exit }
    ' "${3:-/out/c-survey.json}"
}

# host_check_status ID [JSON] -> the status the engine gave host check ID
host_check_status() {
    awk -v id="$1" '$0 ~ "\"id\": \"" id "\"" { f = 1; next }
        f && /"status": "/ { sub(/.*"status": "/, ""); sub(/".*/, ""); print; exit }' "${2:-/out/c-survey.json}"
}

# kernel_host_checks -> "ID STATUS" lines: what the guest kernel's own state says each host check must be,
# read without the engine (sysfs, the kernel log, /proc/interrupts, the vfio module's parameter). A source
# that cannot be read gives the status "unreadable:<source>", which matches no engine status.
kernel_host_checks() {
    local log units groups ir unsafe
    log=$(dmesg 2>/dev/null)
    units=$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')
    groups=$(iommu_group_count)
    if [ -e /sys/firmware/acpi/tables/DMAR ] || [ -e /sys/firmware/acpi/tables/IVRS ] || [ -n "$units" ]; then
        echo "IommuPresent pass"; else echo "IommuPresent fail"; fi
    # The kernel uses the IOMMU for PCI when it registered a unit and formed groups (both or neither here).
    if [ ! -d /sys/kernel/iommu_groups ]; then echo "IommuEnabled unreadable:/sys/kernel/iommu_groups"
    elif [ "$groups" -gt 0 ] && [ -n "$units" ]; then echo "IommuEnabled pass"
    elif [ "$groups" -eq 0 ] && [ -z "$units" ]; then echo "IommuEnabled fail"
    else echo "IommuEnabled inconsistent:groups=$groups,units=$units"; fi
    # Remapping on: the kernel says so in its log, or MSI/IO-APIC interrupts go through IR- chips.
    unsafe=$(cat /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts 2>/dev/null)
    if ! echo "$log" | grep -q 'DMAR\|AMD-Vi'; then echo "InterruptRemapping unreadable:dmesg"
    elif ! grep -q 'PCI-MSI\|IO-APIC' /proc/interrupts 2>/dev/null; then echo "InterruptRemapping unreadable:/proc/interrupts"
    elif [ -z "$unsafe" ]; then echo "InterruptRemapping unreadable:allow_unsafe_interrupts"
    elif grep -q ' IR-' /proc/interrupts || echo "$log" | grep -q 'Enabled IRQ remapping'; then echo "InterruptRemapping pass"
    elif [ "$unsafe" = Y ] || [ "$unsafe" = 1 ]; then echo "InterruptRemapping warn"
    else echo "InterruptRemapping fail"; fi
    if [ -d /sys/bus/pci/drivers/vfio-pci ]; then echo "VfioAvailable pass"
    else echo "VfioAvailable unreadable:vfio-pci-not-registered"; fi
    # No groups: no default domain to judge.
    [ "$groups" -gt 0 ] && echo "IommuMode pass" || echo "IommuMode unknown"
}

# check_host_checks_vs_kernel PREFIX [JSON]: each host check's status equals what the kernel's state says
# (results PREFIX-iommu-present, -iommu-enabled, -interrupt-remapping, -vfio-available, -iommu-mode).
check_host_checks_vs_kernel() {
    local prefix=$1 json=${2:-/out/c-survey.json} id want got name
    kernel_host_checks > /tmp/kernel-host-checks.txt
    echo "INFO kernel state: $(tr '\n' ';' < /tmp/kernel-host-checks.txt) units=[$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')]" \
        "groups=$(iommu_group_count) IR-lines=$(grep -c ' IR-' /proc/interrupts)" \
        "unsafe=$(cat /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts 2>/dev/null)" \
        "log: $(dmesg | grep -m3 'IOMMU enabled\|IOMMU disabled\|IRQ remapping' | tr '\n' ';')"
    while read -r id want; do
        got=$(host_check_status "$id" "$json")
        name=$prefix-$(echo "$id" | sed 's/\([a-z]\)\([A-Z]\)/\1-\2/g' | tr 'A-Z' 'a-z')
        check_eq "$name" "$want" "$got"
    done < /tmp/kernel-host-checks.txt
}

# non_bridges LIST EXCEPT -> the comma LIST ("-" = empty) without EXCEPT and without bridges (the kernel's
# class 0x0604: they stay with the host), sorted, as a comma list ("-" when empty)
non_bridges() {
    local out
    out=$(echo "$1" | tr ',' '\n' | while read -r d; do
        [ -n "$d" ] && [ "$d" != - ] && [ "$d" != "$2" ] || continue
        case $(pci_class "$d" 2>/dev/null) in 0x0604*) ;; *) echo "$d" ;; esac
    done | sort | tr '\n' ',' | sed 's/,$//')
    echo "${out:--}"
}

# check_acs_vs_kernel NAME TABLE BDF...: the engine's ACS reason for each endpoint equals what the kernel
# enabled on the port above it: ACS control with SV, RR, CR and UF set (what pci_acs_path_enabled asks,
# REQ_ACS_FLAGS) means AcsPathIsolated, a port without them AcsPathMissing.
check_acs_vs_kernel() {
    local name=$1 table=$2 bdf port o ctrl want got bad="" seen=0; shift 2
    for bdf in "$@"; do
        port=$(basename "$(dirname "$(readlink -f "$PCI/$bdf")")")
        o=$(ecap_find "$port" 0x0d); ctrl=0
        [ -n "$o" ] && ctrl=$(cfg_read "$port" $((o + 6)) 2)
        if [ $((ctrl & 0x1d)) -eq $((0x1d)) ]; then want=AcsPathIsolated; else want=AcsPathMissing; fi
        got=$(grep "^$bdf " "$table" | awk '{print $5}' | tr ',' '\n' | grep '^AcsPath' | sort -u | tr '\n' ' ' | sed 's/ $//')
        [ "$got" = "$want" ] || bad="$bad $bdf(port $port ctrl=$ctrl: kernel $want, engine '${got}')"
        seen=$((seen + 1))
    done
    [ $seen -gt 0 ] && [ -z "$bad" ] && pass "$name" || fail "$name" "${bad:-no endpoints given}"
}

# check_sriov_survey JSON PF VF...: the survey taken while the VFs exist sees them as the kernel does: each VF
# listed with its PF (the kernel's physfn), its live group number and driver (none); predicted groups = the
# kernel's groups for every function, VFs included; each VF alone in its group (IommuGroupAlone, no
# mustMoveWith) and not NotAssignable. Results sriov-survey-lists-vfs, sriov-survey-vf-groups-match-kernel,
# sriov-survey-vf-verdicts.
check_sriov_survey() {
    local json=$1 PF=$2 vfs vf pf got want bad nvf line; shift 2; vfs="$*"
    survey_table "$json" > /tmp/sriov-table.txt
    bad=
    for vf in $vfs; do
        pf=$(basename "$(readlink "$PCI/$vf/physfn")")
        got="$(survey_field "$vf" physicalFunction "$json")/$(survey_field "$vf" iommuGroup "$json")/$(survey_field "$vf" driver "$json")"
        want="$pf/$(pci_group "$vf")/$(pci_driver "$vf")"
        [ "$(pci_driver "$vf")" = "" ] && want="$pf/$(pci_group "$vf")/null"
        [ "$got" = "$want" ] || bad="$bad $vf(engine pf/group/driver=$got kernel=$want)"
    done
    [ -n "$vfs" ] && [ -z "$bad" ] && pass sriov-survey-lists-vfs || fail sriov-survey-lists-vfs "VFs:$vfs;$bad"
    nvf=0; for vf in $vfs; do grep -q "^$vf " /tmp/sriov-table.txt && nvf=$((nvf + 1)); done
    if [ "$nvf" -ne 2 ]; then fail sriov-survey-vf-groups-match-kernel "$nvf of 2 VFs in the survey table"
    else check_groups_match_kernel sriov-survey-vf-groups-match-kernel /tmp/sriov-table.txt; fi
    bad=
    for vf in $vfs; do
        line=$(grep "^$vf " /tmp/sriov-table.txt)
        case $(echo "$line" | awk '{print $2}') in Assignable|AssignableWithWarnings) ;; *) bad="$bad $line";; esac
        [ "$(group_devices "$(pci_group "$vf")")" = "$vf" ] && ! echo "$line" | awk '{print $5}' | grep -q IommuGroupAlone &&
            bad="$bad $vf(kernel: alone; engine codes $(echo "$line" | awk '{print $5}'))"
        [ "$(echo "$line" | awk '{print $4}')" = - ] || bad="$bad $vf(mustMoveWith $(echo "$line" | awk '{print $4}'))"
    done
    [ -n "$vfs" ] && [ -z "$bad" ] && pass sriov-survey-vf-verdicts || fail sriov-survey-vf-verdicts "${bad:-no VFs}"
}

# check_refusal_group NAME REFUSAL TABLE BDF: a dismount refusal of BDF for a NotAssignable group (the JSON
# REFUSAL) lists every function that must move (notAssignable, one entry each) and, in BDF's IommuGroupShared
# reason, its mates; both must be the engine's predicted group (survey TABLE) and the kernel's group, bridges
# aside.
check_refusal_group() {
    local name=$1 refusal=$2 table=$3 bdf=$4 pred kern refused said mates
    pred=$(non_bridges "$(grep "^$bdf " "$table" | awk '{print $3}')" "")
    kern=$(non_bridges "$(kernel_group_members "$bdf")" "")
    [ -s "$refusal" ] || { fail "$name" "no refusal in $refusal"; return; }
    refused=$(awk '/"notAssignable": \[/ { f = 1 } f && /^ *"address": "/ { v = $0; sub(/^[^:]*: *"/, "", v); sub(/".*/, "", v); print v }
        f && /"forceHelps"/ { exit }' "$refusal" | sort -u | tr '\n' ',' | sed 's/,$//')
    # the refused device's own words, in the error message (its reasons come before its address in details)
    said=$(grep -m1 "\"message\": \"Dismount refused: $bdf " "$refusal" |
        sed -n 's/.*Shares its IOMMU group: \(.*\) must be assigned with it.*/\1/p' | sed 's/, /,/g')
    mates=$(non_bridges "$pred" "$bdf")
    if [ "$pred" != - ] && [ "$refused" = "$pred" ] && [ "$refused" = "$kern" ] && [ "$said" = "$mates" ]; then
        pass "$name"
    else fail "$name" "refusal lists '$refused', mates '$said'; predicted $pred (mates $mates), kernel $kern"; fi
}
