# Helpers for the vm cases (busybox ash): second-level VMs inside the e2e guest that receive VFIO devices.
# Source after lib.sh: . /out/vm-lib.sh
#
#   l2_qmp_start          plain QEMU (no libvirt), QMP on $L2_QMP_SOCK, two empty pcie-root-ports rp1/rp2,
#                         the same kernel booted with a tiny initramfs (/out/l2/*; boot.sh stages them)
#   libvirtd_start        libvirt's monolithic daemon in /jroot (state on tmpfs, a writable /etc/libvirt copy)
#   libvirt_domain_start  defines and starts domain $L2_DOMAIN (same kernel, two pcie-root-port controllers)
#   l2_ready LOG [S]      waits until the second-level kernel's init printed its marker into LOG
#   l2_lines LOG, l2_sees LOG FROM ID [S]   the second-level kernel enumerated a hot-plugged function ID
#   qmp SOCK CMD [ARGS-JSON] [--wait EVENT SECS]   one QMP command (python3 of the host, in /jroot)
#   virsh ARGS...         virsh -c qemu:///system in /jroot
#   vfio_holders G        pids with /dev/vfio/G open ("pid comm" per line)
# Everything started here runs in its own session (QEMU -daemonize, setsid), so it outlives the case that
# started it; later cases of the same boot use it. Times go to /out/vm-times.txt as INFO lines.

L2_QMP_SOCK=/tmp/l2-qmp.sock          # paths inside /jroot
L2_QMP_LOG=/out/l2-qmp.log          # serial consoles on the out share: readable from the host meanwhile
L2_DOMAIN=vmtest
L2_DOMAIN_LOG=/out/l2-libvirt.log
L2_APPEND="console=ttyS0 panic=-1 loglevel=4 mitigations=off no_timer_check tsc=reliable cryptomgr.notests=1"
L2_MEM=160

vm_now() { cut -d' ' -f1 /proc/uptime; }
vm_info() { echo "INFO $*"; echo "INFO $*" >> /out/vm-times.txt; }
elapsed2() { awk "BEGIN{printf \"%.1f\", $2-$1}"; }

# The second-level kernel (66 MB uncompressed) and initramfs, copied once from the out share into the chroot's
# tmpfs: both VMs load them, and the out share (9p without a page cache) would be read twice.
l2_files() {
    [ -s /jroot/tmp/l2/vmlinux ] && return 0
    mkdir -p /jroot/tmp/l2 && cp /out/l2/vmlinux /out/l2/initrd.img /jroot/tmp/l2/
}

l2_qmp_start() {
    rm -f /jroot$L2_QMP_SOCK /jroot$L2_QMP_LOG
    l2_files || return 1
    jroot_run /usr/bin/qemu-system-x86_64 -machine q35 -accel tcg -m $L2_MEM -smp 1 -nodefaults -display none \
        -no-user-config -kernel /tmp/l2/vmlinux -initrd /tmp/l2/initrd.img -append "$L2_APPEND" \
        -serial file:$L2_QMP_LOG -qmp unix:$L2_QMP_SOCK,server=on,wait=off \
        -device pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x4 \
        -device pcie-root-port,id=rp2,chassis=2,bus=pcie.0,addr=0x5 \
        -daemonize -pidfile /tmp/l2-qmp.pid
}

l2_ready() {  # l2_ready LOG-IN-JROOT [SECONDS]: polls every 2 s against the guest's uptime (not a loop count)
    local end
    end=$(awk -v u="$(vm_now)" -v s="${2:-900}" 'BEGIN{printf "%d", u+s}')
    while ! grep -q 'L2: init up' "/jroot$1" 2>/dev/null; do
        [ "$(cut -d. -f1 /proc/uptime)" -ge "$end" ] && return 1
        sleep 2
    done
}

l2_lines() { wc -l < "/jroot$1" 2>/dev/null || echo 0; }  # l2_lines LOG: where a later l2_sees starts looking
# l2_sees LOG FROM-LINE ID [SECONDS]: the second-level kernel listed a function with ID (0x1b36:0x0010) on a
# bus other than 00 (a hot-plugged root port's) in a line after FROM-LINE of its console log; polls every 2 s.
l2_sees() {
    local end
    end=$(awk -v u="$(vm_now)" -v s="${4:-120}" 'BEGIN{printf "%d", u+s}')
    while ! tail -n +$(($2 + 1)) "/jroot$1" 2>/dev/null | grep '^L2: pci' | grep -q " [0-9a-f]*:0[1-9a-f]:[0-9a-f.]*=$3"; do
        [ "$(cut -d. -f1 /proc/uptime)" -ge "$end" ] && return 1
        sleep 2
    done
}

libvirtd_start() {
    local J=/jroot d
    for d in var/lib/libvirt/qemu var/log/libvirt/qemu var/cache/libvirt run/libvirt; do mkdir -p "$J/$d"; done
    [ -e $J/var/run ] || ln -s ../run $J/var/run
    # defining a domain writes /etc/libvirt/qemu/<name>.xml: a writable copy over the read-only share
    if ! grep -q " $J/etc/libvirt " /proc/mounts; then
        mkdir -p /tmp/etc-libvirt && cp -a $J/etc/libvirt/. /tmp/etc-libvirt/ && mount --bind /tmp/etc-libvirt $J/etc/libvirt
    fi
    # no cgroup fs, no virtlogd, no namespaces/security driver in the guest; QEMU runs as root
    cat > $J/etc/libvirt/qemu.conf <<'EOF'
stdio_handler = "file"
namespaces = [ ]
cgroup_controllers = [ ]
security_driver = "none"
user = "root"
group = "root"
EOF
    ( cd / && setsid chroot /jroot /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 \
        LIBVIRT_LOG_OUTPUTS=3:file:/out/libvirtd.log /usr/sbin/libvirtd > /jroot/tmp/libvirtd.out 2>&1 < /dev/null & )
    wait_for 120 test -S $J/run/libvirt/libvirt-sock
}

virsh() { jroot_run /usr/bin/virsh -c qemu:///system "$@"; }

libvirt_domain_start() {
    cat > /jroot/tmp/$L2_DOMAIN.xml <<EOF
<domain type='qemu'>
  <name>$L2_DOMAIN</name>
  <memory unit='MiB'>$L2_MEM</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>/tmp/l2/vmlinux</kernel>
    <initrd>/tmp/l2/initrd.img</initrd>
    <cmdline>$L2_APPEND</cmdline>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' index='1' model='pcie-root-port'/>
    <controller type='pci' index='2' model='pcie-root-port'/>
    <controller type='usb' model='none'/>
    <serial type='file'><source path='$L2_DOMAIN_LOG'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
    rm -f /jroot$L2_DOMAIN_LOG
    l2_files || return 1
    virsh define /tmp/$L2_DOMAIN.xml && virsh start $L2_DOMAIN
}

vfio_holders() {  # vfio_holders GROUP -> "pid comm" of every process with /dev/vfio/GROUP open
    local p f
    for p in /proc/[0-9]*; do
        for f in "$p"/fd/*; do
            # a process in the /jroot chroot shows as /jroot/dev/vfio/N from out here
            case "$(readlink "$f" 2>/dev/null)" in
                /dev/vfio/$1|*/dev/vfio/$1) echo "${p#/proc/} $(cat "$p/comm" 2>/dev/null)"; break ;;
            esac
        done
    done
}

# qmp SOCK CMD [ARGS-JSON] [--wait EVENT SECS [ID,ID...]]: prints the return value as JSON; exit 1 on a QMP
# error (printed to stderr); with --wait, then waits until EVENT came for every listed device id (default: ARGS'
# id): prints "EVENT NAME" or "NOEVENT NAME ids-missing" (exit 2).
# pci_flat: query-pci JSON on stdin (QMP's return value, or virsh qemu-monitor-command's whole reply) ->
#   one line per function "BUS SLOT FN VVVV:DDDD QDEV-ID"
mkdir -p /jroot/tmp
cat > /jroot/tmp/qmp.py <<'PYEOF'
import json, socket, sys, time
def flat(devs, out):
    for d in devs:
        i = d.get("id", {})
        out.append("%d %d %d %04x:%04x %s" % (d["bus"], d["slot"], d["function"], i.get("vendor", 0), i.get("device", 0), d.get("qdev_id", "") or "-"))
        flat(d.get("pci_bridge", {}).get("devices", []), out)
if sys.argv[1] == "--flat":
    r = json.load(sys.stdin)
    r = r.get("return", r) if isinstance(r, dict) else r
    out = []
    for b in r:
        flat(b.get("devices", []), out)
    print("\n".join(out)); sys.exit(0)
sock, cmd = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
args = json.loads(rest.pop(0)) if rest and not rest[0].startswith("--") else None
wait = rest[1:] if rest and rest[0] == "--wait" else None
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)
s.connect(sock)
f = s.makefile("rw")
def msg():
    line = f.readline()
    if not line:
        sys.exit("qmp: connection closed")
    return json.loads(line)
events = []
def run(c, a=None):
    m = {"execute": c, "id": c}
    if a is not None:
        m["arguments"] = a
    f.write(json.dumps(m) + "\n"); f.flush()
    while True:
        r = msg()
        if "event" in r:
            events.append(r); continue
        if r.get("id") == c:
            return r
msg()
run("qmp_capabilities")
r = run(cmd, args)
if "error" in r:
    print(json.dumps(r["error"]), file=sys.stderr); sys.exit(1)
print(json.dumps(r["return"]))
if wait:
    name, limit = wait[0], float(wait[1])
    want = set(wait[2].split(",")) if len(wait) > 2 else {(args or {}).get("id")}
    end = time.time() + limit
    def missing():
        got = {e.get("data", {}).get("device") for e in events if e.get("event") == name}
        return want - got
    while missing():
        left = end - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            events.append(msg())
        except socket.timeout:
            break
    if missing():
        print("NOEVENT %s %s" % (name, ",".join(sorted(missing())))); sys.exit(2)
    print("EVENT " + name)
PYEOF
qmp() { jroot_run /usr/bin/python3 /tmp/qmp.py "$@"; }
pci_flat() { jroot_run /usr/bin/python3 /tmp/qmp.py --flat; }
