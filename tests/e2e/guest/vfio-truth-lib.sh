# The engine's VFIO verdict against the kernel and QEMU, for every function of a topology (one generic case:
# no device lists; it walks the engine's own survey). Source after lib.sh, assign-lib.sh and checker-lib.sh:
#   . /out/vfio-truth-lib.sh; vfio_truth [SURVEY-JSON]
# Without SURVEY-JSON it takes a fresh `survey --json` (one JVM); a case that already took one in this boot
# passes /out/c-survey.json.
#
# For each function the survey's headline (target vfio: this is Linux) says one of:
#   assignable (Assignable / AssignableWithWarnings): its whole IOMMU group (bridges excepted, they stay) is
#       bound to vfio-pci; VFIO_GROUP_GET_STATUS must say viable, asked by a python3 ioctl here, not by the
#       engine; then ONE paused QEMU (-S, 64 MiB, no kernel or disk, one empty pcie-root-port per candidate)
#       must accept `device_add vfio-pci,host=...` over QMP (the device realized).
#   NotAssignable with a kernel rule: the kernel or QEMU must refuse.
#       BridgeOrPort: vfio-pci must refuse to bind (it takes type-0 headers only); SriovVfsEnabled: the same
#       (vfio-pci refuses a physical function whose VFs exist), IommuGroupNone too (no group, no bind);
#       HostNotReady while the device alone would do (targets.vfio assignable): the group goes through the
#       same steps as a candidate, and one of them must fail (vfio-pci cannot bind without a group, the group
#       is not viable, or QEMU refuses, e.g. VFIO_SET_IOMMU without interrupt remapping).
#   NotAssignable for the host's sake (HostBridge, IommuGroupHostCritical, HostStorage, HostNetwork,
#       HostBootDisplay): the kernel would not refuse; DdaBridge refuses to take a device the host needs. Listed
#       as INFO, not exercised (taking the guest's own chipset away is not a test of the kernel).
# The guest's own 9p shares and disks (virtio functions whose virtio device is driven by 9pnet_virtio or
# virtio_blk) are never touched: they are listed as INFO and left out (the guest runs from them).
# Results (the same names in every topology): vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts
# vfio-truth-refused vfio-truth-restored. VT_MIN_CANDIDATES (default 1) is how many assignable functions the
# topology must have (0 where a host check blocks everything); with none, viable/qemu-accepts pass only then.

VT_PY=/tmp/vfio_truth.py        # inside /jroot
VT_SOCK=/tmp/vt-qmp.sock
mkdir -p /jroot/tmp
cat > /jroot$VT_PY <<'PYEOF'
import fcntl, json, os, socket, struct, sys, time

def table(path):
    # one line per function: ADDR HEADLINE TARGET VFIO-ONLY GROUP HDR HARNESS CODES
    r = json.load(open(path))
    r = r.get("result", r)
    for d in r["devices"]:
        a = d["address"]
        base = "/sys/bus/pci/devices/" + a
        harness = "-"
        try:
            for e in os.listdir(base):
                if e.startswith("virtio") and os.path.islink(base + "/" + e + "/driver"):
                    drv = os.path.basename(os.readlink(base + "/" + e + "/driver"))
                    if drv in ("9pnet_virtio", "virtio_blk"):
                        harness = drv
        except FileNotFoundError:
            harness = "absent"
        try:
            hdr = open(base + "/config", "rb").read(16)[14] & 0x7f
        except (FileNotFoundError, IndexError):
            hdr = -1
        g = d.get("iommuGroup")
        codes = ",".join(x["code"] for x in d.get("reasons", [])) or "-"
        print(a, d["verdict"], d.get("target") or r.get("target") or "-",
              d.get("targets", {}).get("vfio", {}).get("verdict", "-"),
              "-" if g is None else g, hdr, harness, codes)

# VFIO_GROUP_GET_STATUS = _IO(VFIO_TYPE ';', VFIO_BASE 100 + 3); struct vfio_group_status {argsz, flags};
# flags bit 0 = VFIO_GROUP_FLAGS_VIABLE (linux/vfio.h, the kernel's UAPI).
def status(groups):
    for g in groups:
        try:
            fd = os.open("/dev/vfio/" + g, os.O_RDWR)
        except OSError as e:
            print(g, "open-failed", e.strerror.replace(" ", "_")); continue
        try:
            buf = fcntl.ioctl(fd, 0x3b67, struct.pack("II", 8, 0))
            print(g, "viable" if struct.unpack("II", buf)[1] & 1 else "not-viable")
        except OSError as e:
            print(g, "ioctl-failed", e.strerror.replace(" ", "_"))
        finally:
            os.close(fd)

def qmp_adds(sock, pairs):
    # pairs: ADDR=PORT; prints "ADDR accepted" or "ADDR refused <QMP error description>"
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(120)
    for _ in range(300):
        try:
            s.connect(sock); break
        except OSError:
            time.sleep(0.2)
    f = s.makefile("rw")
    def cmd(c, a=None):
        m = {"execute": c}
        if a is not None:
            m["arguments"] = a
        f.write(json.dumps(m) + "\n"); f.flush()
        while True:
            line = f.readline()
            if not line:
                sys.exit("qmp: connection closed")
            r = json.loads(line)
            if "return" in r or "error" in r:
                return r
    f.readline()
    cmd("qmp_capabilities")
    for i, p in enumerate(pairs):
        a, port = p.split("=")
        r = cmd("device_add", {"driver": "vfio-pci", "host": a, "bus": port, "id": "vt%d" % i})
        if "error" in r:
            print(a, "refused", r["error"].get("desc", "").replace("\n", " ")); continue
        q = cmd("qom-get", {"path": "/machine/peripheral/vt%d" % i, "property": "realized"})
        print(a, "accepted" if q.get("return") is True else "not-realized " + json.dumps(q))
    cmd("quit")

if sys.argv[1] == "table":
    table(sys.argv[2])
elif sys.argv[1] == "status":
    status(sys.argv[2:])
elif sys.argv[1] == "qmp":
    qmp_adds(sys.argv[2], sys.argv[3:])
PYEOF

_vt_py() { jroot_run /usr/bin/python3 $VT_PY "$@"; }

# vt_bind_group G: every non-bridge member of live group G onto vfio-pci (original drivers saved in
# /tmp/vt-orig); fails when one does not bind.
vt_bind_group() {
    local d ok=0
    for d in $(group_devices "$1"); do
        case $(pci_class "$d") in 0x0604*|0x0609*) continue ;; esac
        grep -q "^$d " /tmp/vt-orig || echo "$d $(pci_driver "$d")" >> /tmp/vt-orig
        bind_vfio "$d" || ok=1
    done
    return $ok
}
# vt_restore: everything vfio_truth moved goes back to its original driver (or none)
vt_restore() {
    local d drv
    while read -r d drv; do restore_driver "$d" "$drv"; done < /tmp/vt-orig
    : > /tmp/vt-orig
}
# vt_qemu_run ADDR...: one paused QEMU with a free root port per address; prints the python helper's lines.
vt_qemu_run() {
    local n=0 a ports="" pairs=""
    for a in "$@"; do
        n=$((n + 1))
        ports="$ports -device pcie-root-port,id=vtp$n,chassis=$n,bus=pcie.0,addr=$(printf '0x%x' $((n + 1)))"
        pairs="$pairs $a=vtp$n"
    done
    rm -f /jroot$VT_SOCK /jroot/tmp/vt-qemu.pid
    # shellcheck disable=SC2086 # word splitting of the port list is intended
    jroot_run /usr/bin/qemu-system-x86_64 -machine q35 -accel tcg -m 64 -nodefaults -no-user-config \
        -display none -S -qmp unix:$VT_SOCK,server=on,wait=off $ports -daemonize -pidfile /tmp/vt-qemu.pid \
        > /out/vt-qemu.out 2>&1 || { for a in "$@"; do echo "$a refused qemu-did-not-start"; done; return; }
    # shellcheck disable=SC2086
    _vt_py qmp $VT_SOCK $pairs 2>> /out/vt-qemu.out
    local pid; pid=$(cat /jroot/tmp/vt-qemu.pid 2>/dev/null)
    [ -n "$pid" ] && { wait_for 20 sh -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null; }
}

vfio_truth() {
    local json=$1 t0; t0=$(cut -d' ' -f1 /proc/uptime)
    if [ -z "$json" ]; then
        json=/out/vt-survey.json
        ddab survey --json > $json 2> /out/vt-survey.err || { fail vfio-truth-survey "survey: $(head -c 300 /out/vt-survey.err)"; }
    fi
    drivers_snapshot > /tmp/vt-before.txt
    : > /tmp/vt-orig
    _vt_py table "$json" > /out/vt-table.txt 2> /out/vt-table.err
    # the survey covers every function the kernel lists, and judges for vfio (the headline target on Linux)
    local missing="" a
    for a in $(pci_all); do grep -q "^$a " /out/vt-table.txt || missing="$missing $a"; done
    if [ ! -s /out/vt-table.txt ] || [ -n "$missing" ] || awk '$3 != "vfio"' /out/vt-table.txt | grep -q .; then
        fail vfio-truth-survey "functions missing:${missing:- none}; $(awk '$3 != "vfio"' /out/vt-table.txt | head -3) $(head -c 200 /out/vt-table.err)"
    else
        pass vfio-truth-survey
    fi

    local addr verdict target alone group hdr harness codes
    local cand="" blocked="" refuse_bind="" policy="" unexplained=""
    while read -r addr verdict target alone group hdr harness codes; do
        if [ "$harness" != - ]; then
            echo "INFO vfio-truth: $addr left alone: the guest's own $harness device ($verdict)"; continue
        fi
        case $verdict in
            Assignable|AssignableWithWarnings) cand="$cand $addr" ;;
            NotAssignable)
                case ",$codes," in
                    *,BridgeOrPort,*|*,SriovVfsEnabled,*|*,IommuGroupNone,*) refuse_bind="$refuse_bind $addr" ;;
                    *,HostNotReady,*)
                        if [ "$alone" != NotAssignable ]; then blocked="$blocked $addr"
                        else echo "INFO vfio-truth: $addr NotAssignable for the device alone too: $codes"
                            policy="$policy $addr"; fi ;;
                    *,HostBridge,*|*,IommuGroupHostCritical,*|*,HostStorage,*|*,HostNetwork,*|*,HostBootDisplay,*)
                        policy="$policy $addr"
                        echo "INFO vfio-truth: $addr NotAssignable to protect the host, not a kernel rule: $codes" ;;
                    *) unexplained="$unexplained $addr($codes)" ;;
                esac ;;
            *) unexplained="$unexplained $addr(verdict=$verdict)" ;;
        esac
    done < /out/vt-table.txt
    echo "INFO vfio-truth: assignable:${cand:- none}; host-blocked:${blocked:- none}; bridges:${refuse_bind:- none}"

    # 1. assignable: whole group on vfio-pci, viable by the kernel's own answer
    local bad_bind="" groups="" g ncand=0
    for a in $cand; do
        ncand=$((ncand + 1))
        g=$(pci_group "$a")
        [ -n "$g" ] || { bad_bind="$bad_bind $a(no-group)"; continue; }
        in_list "$g" $groups && continue
        groups="$groups $g"
        vt_bind_group "$g" || bad_bind="$bad_bind $a(group-$g-bind:$(for d in $(group_devices "$g"); do printf '%s=%s,' "$d" "$(pci_driver "$d")"; done))"
    done
    local st=""; [ -n "$groups" ] && st=$(_vt_py status $groups)
    echo "INFO vfio-truth: VFIO_GROUP_GET_STATUS: $(echo "$st" | tr '\n' ';')"
    local notviable; notviable=$(echo "$st" | awk 'NF && $2 != "viable"' | tr '\n' ';')
    if [ "$ncand" -lt "${VT_MIN_CANDIDATES:-1}" ]; then
        fail vfio-truth-viable "$ncand assignable functions, want at least ${VT_MIN_CANDIDATES:-1}"
    elif [ "${VT_MIN_CANDIDATES:-1}" = 0 ] && [ "$ncand" -gt 0 ]; then
        fail vfio-truth-viable "the host cannot assign anything, yet assignable:$cand"
    elif [ -n "$bad_bind" ] || [ -n "$notviable" ]; then
        fail vfio-truth-viable "bind:${bad_bind:- ok} status:${notviable:- ok}"
    else
        pass vfio-truth-viable
    fi
    # 2. QEMU accepts each candidate (one paused QEMU for all of them)
    if [ "$ncand" -gt 0 ]; then
        vt_qemu_run $cand > /out/vt-qemu-adds.txt
        echo "INFO vfio-truth: QEMU: $(tr '\n' ';' < /out/vt-qemu-adds.txt)"
        local qbad=""
        for a in $cand; do grep -q "^$a accepted" /out/vt-qemu-adds.txt || qbad="$qbad $(grep "^$a " /out/vt-qemu-adds.txt || echo "$a no-answer")"; done
        [ -z "$qbad" ] && pass vfio-truth-qemu-accepts || fail vfio-truth-qemu-accepts "$qbad $(tail -c 300 /out/vt-qemu.out)"
    elif [ "${VT_MIN_CANDIDATES:-1}" = 0 ]; then
        pass vfio-truth-qemu-accepts     # nothing assignable, as the topology's blocked host check says
    else
        fail vfio-truth-qemu-accepts "no assignable function"
    fi
    vt_restore

    # 3. NotAssignable: the kernel or QEMU refuses
    local rbad="" nref=0
    for a in $refuse_bind; do
        nref=$((nref + 1))
        grep -q "^$a " /tmp/vt-orig || echo "$a $(pci_driver "$a")" >> /tmp/vt-orig
        if bind_vfio "$a" 1; then rbad="$rbad $a(vfio-pci took it)"; else
            echo "INFO vfio-truth: $a refused by the kernel: vfio-pci did not bind (driver '$(pci_driver "$a")')"; fi
        vt_restore
    done
    local hb_groups="" stage
    for a in $blocked; do
        nref=$((nref + 1))
        g=$(pci_group "$a")
        if [ -z "$g" ]; then
            # no group: vfio-pci must not get the device
            grep -q "^$a " /tmp/vt-orig || echo "$a $(pci_driver "$a")" >> /tmp/vt-orig
            if bind_vfio "$a" 2; then rbad="$rbad $a(vfio-pci bound without a group)"; else
                echo "INFO vfio-truth: $a refused by the kernel: no IOMMU group, vfio-pci did not bind (driver '$(pci_driver "$a")')"; fi
            vt_restore
            continue
        fi
        vt_bind_group "$g" || { echo "INFO vfio-truth: $a refused by the kernel: group $g did not bind"; continue; }
        in_list "$g" $hb_groups || hb_groups="$hb_groups $g"
    done
    if [ -n "$hb_groups" ]; then
        st=$(_vt_py status $hb_groups)
        echo "INFO vfio-truth: host-blocked groups, VFIO_GROUP_GET_STATUS: $(echo "$st" | tr '\n' ';')"
        local qa=""
        for a in $blocked; do g=$(pci_group "$a"); [ -n "$g" ] && echo "$st" | grep -q "^$g viable" && qa="$qa $a"; done
        if [ -n "$qa" ]; then
            vt_qemu_run $qa > /out/vt-qemu-blocked.txt
            echo "INFO vfio-truth: QEMU (host-blocked): $(tr '\n' ';' < /out/vt-qemu-blocked.txt)"
            for a in $qa; do grep -q "^$a accepted" /out/vt-qemu-blocked.txt && rbad="$rbad $a(QEMU accepted it)"; done
        fi
    fi
    vt_restore
    [ "$nref" -gt 0 ] && echo "INFO vfio-truth: $nref refusal(s) checked; host-protection verdicts:${policy:- none}"
    if [ -n "$unexplained" ] || [ -n "$rbad" ] || [ "$nref" = 0 ]; then
        fail vfio-truth-refused "not refused:${rbad:- none}; NotAssignable without a kernel or host reason:${unexplained:- none}; checked $nref"
    else
        pass vfio-truth-refused
    fi
    drivers_snapshot > /tmp/vt-after.txt
    cmp -s /tmp/vt-before.txt /tmp/vt-after.txt && pass vfio-truth-restored ||
        fail vfio-truth-restored "$(diff /tmp/vt-before.txt /tmp/vt-after.txt | grep '^[-+]0' | tr '\n' ' ')"
    echo "INFO vfio-truth: $(awk -v t="$t0" -v u="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN{printf "%.1f", u-t}') s"
}
