# DdaBridge e2e guest helper library (busybox ash). Source it: . /out/lib.sh
# Runs only inside the e2e guest: every helper that writes to sysfs refuses unless the kernel
# command line carries the marker ddabridge_e2e_guest=1 (put there by boot.sh).
#
# Results:   pass NAME | fail NAME WHY... | skip NAME WHY... | check NAME CMD... | check_eq NAME WANT GOT
# PCI:       pci_find VEN:DEV | pci_driver BDF | pci_group BDF | group_devices G | pci_class BDF
# Config:    cfg_read BDF OFF BYTES | cap_find BDF CAPID | ecap_find BDF ECAPID
# VFIO:      bind_vfio BDF [WAIT_S] | unbind_vfio BDF | sysfs_write FILE VALUE
# NVMe:      nvme_ctrl BDF | nvme_namespaces BDF
# Host JDK:  jroot_run CMD... (in the /jroot chroot) | have_pwsh | pwsh_run ARGS...
# Misc:      wait_for SECONDS CMD... | in_list WORD LIST... | count WORDS...

E2E_MARKER=ddabridge_e2e_guest=1
[ -f /out/env.sh ] && . /out/env.sh

is_e2e_guest() { grep -qw "$E2E_MARKER" /proc/cmdline 2>/dev/null; }
e2e_guard() {
    is_e2e_guest && return 0
    echo "REFUSED: $E2E_MARKER not on the kernel command line; not writing to sysfs on this machine" >&2
    exit 3
}

# ---- results --------------------------------------------------------------------------------
E2E_FAILS=0
pass() { echo "PASS $1"; }
fail() { local n=$1; shift; echo "FAIL $n: $*"; E2E_FAILS=$((E2E_FAILS + 1)); }
skip() { local n=$1; shift; echo "SKIP $n: $*"; }
# check NAME CMD...   -> PASS when CMD succeeds
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "command failed: $*"; fi; }
# check_eq NAME WANT GOT
check_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want '$2', got '$3'"; fi; }
# finish -> exit status of the case (non-zero when anything failed)
finish() { [ "$E2E_FAILS" -eq 0 ]; exit $?; }

# ---- small utilities --------------------------------------------------------------------------
in_list() { local w=$1 x; shift; for x in "$@"; do [ "$x" = "$w" ] && return 0; done; return 1; }
count() { echo $#; }
# wait_for SECONDS CMD...  -> polls CMD every 0.1 s
wait_for() {
    local t=$1 n; shift
    n=$((t * 10))
    while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
    "$@"
}

# ---- PCI discovery ------------------------------------------------------------------------------
PCI=/sys/bus/pci/devices
# pci_find VEN:DEV -> full addresses (0000:bb:dd.f), sorted, one per line
pci_find() {
    local v=0x${1%%:*} d=0x${1#*:} p
    for p in $PCI/*; do
        [ "$(cat "$p/vendor")" = "$v" ] && [ "$(cat "$p/device")" = "$d" ] && echo "${p##*/}"
    done | sort
}
pci_all() { ls $PCI | sort; }
pci_class() { cat "$PCI/$1/class"; }
pci_driver() { [ -e "$PCI/$1/driver" ] && basename "$(readlink "$PCI/$1/driver")"; return 0; }
pci_group() { [ -e "$PCI/$1/iommu_group" ] && basename "$(readlink "$PCI/$1/iommu_group")"; return 0; }
group_devices() { ls "/sys/kernel/iommu_groups/$1/devices" 2>/dev/null | sort; }
iommu_group_count() { ls /sys/kernel/iommu_groups 2>/dev/null | wc -l; }

# ---- config space (read-only) ---------------------------------------------------------------------
# cfg_read BDF OFFSET BYTES(1|2|4) -> decimal value
cfg_read() {
    local h
    h=$(od -An -tx"$3" -j "$2" -N "$3" "$PCI/$1/config" | tr -d ' \n')
    [ -n "$h" ] && echo $((0x$h))
}
# cap_find BDF ID -> offset (decimal) of the standard capability ID, or nothing
cap_find() {
    local o guard
    [ $(( $(cfg_read "$1" 6 2) & 0x10 )) -ne 0 ] || return 0     # status: capability list
    o=$(( $(cfg_read "$1" 0x34 1) & 0xfc )); guard=48
    while [ "$o" -ne 0 ] && [ $guard -gt 0 ]; do
        [ "$(cfg_read "$1" "$o" 1)" -eq $(($2)) ] && { echo "$o"; return 0; }
        o=$(( $(cfg_read "$1" $((o + 1)) 1) & 0xfc )); guard=$((guard - 1))
    done
}
# ecap_find BDF ID -> offset (decimal) of the PCIe extended capability ID, or nothing
ecap_find() {
    local o=256 guard=64 h
    [ "$(stat -c %s "$PCI/$1/config")" -gt 256 ] || return 0
    while [ "$o" -ge 256 ] && [ $guard -gt 0 ]; do
        h=$(cfg_read "$1" "$o" 4) || return 0
        [ -n "$h" ] && [ "$h" -ne 0 ] && [ "$h" -ne 4294967295 ] || return 0
        [ $((h & 0xffff)) -eq $(($2)) ] && { echo "$o"; return 0; }
        o=$(( (h >> 20) & 0xffc )); guard=$((guard - 1))
    done
}

# ---- sysfs writes (guarded) -----------------------------------------------------------------------
sysfs_write() {
    e2e_guard
    case $1 in /sys/*) ;; *) echo "sysfs_write: refusing non-sysfs path $1" >&2; return 1 ;; esac
    printf '%s\n' "$2" > "$1"
}
# bind_vfio BDF [WAIT_S]: driver_override=vfio-pci, unbind from the current driver, drivers_probe;
# succeeds once vfio-pci is bound (waits up to WAIT_S, default 3 s).
bind_vfio() {
    e2e_guard
    sysfs_write "$PCI/$1/driver_override" vfio-pci || return 1
    [ -e "$PCI/$1/driver" ] && { sysfs_write "$PCI/$1/driver/unbind" "$1" || return 1; }
    sysfs_write /sys/bus/pci/drivers_probe "$1" 2>/dev/null
    wait_for "${2:-3}" _driver_is "$1" vfio-pci
}
# unbind_vfio BDF: clear driver_override, unbind from vfio-pci, drivers_probe (host driver returns).
unbind_vfio() {
    e2e_guard
    sysfs_write "$PCI/$1/driver_override" "" || return 1
    [ "$(pci_driver "$1")" = vfio-pci ] && { sysfs_write /sys/bus/pci/drivers/vfio-pci/unbind "$1" || return 1; }
    sysfs_write /sys/bus/pci/drivers_probe "$1" 2>/dev/null
    return 0
}
_driver_is() { [ "$(pci_driver "$1")" = "$2" ]; }

# ---- NVMe ---------------------------------------------------------------------------------------
# nvme_ctrl BDF -> controller name (nvme0) while bound to nvme
nvme_ctrl() { ls "$PCI/$1/nvme" 2>/dev/null | head -n1; }
# nvme_namespaces BDF -> block device names of the controller's namespaces (nvme0n1 ...),
# whether or not native multipath is in use (then the path node nvme0c0n1 maps to head nvme0n1).
nvme_namespaces() {
    local c p b
    c=$(nvme_ctrl "$1"); [ -n "$c" ] || return 0
    for p in "$PCI/$1/nvme/$c"/nvme*; do
        [ -e "$p" ] || continue
        b=${p##*/}
        case $b in
            nvme*c*n*) echo "$b" | sed 's/^nvme\([0-9]*\)c[0-9]*n\([0-9]*\)$/nvme\1n\2/' ;;
            nvme*n*) echo "$b" ;;
        esac
    done | sort -u
}

# ---- the /jroot chroot (host /usr + /etc read-only; /out, /proc, /sys, /dev bound) -----------------
# jroot_run CMD...  e.g. jroot_run /usr/bin/java -jar /out/ddabridge.jar survey --json
jroot_run() {
    chroot /jroot /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root \
        LANG=C.UTF-8 TMPDIR=/tmp "$@"
}
# ddab ARGS...: the engine jar in the chroot, with the launcher's start-up flags and the class-data
# sharing archive that guest/run-cases.sh builds once per jar (JVM start dominates under TCG).
DDAB_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off"
# DDABRIDGE_* variables of the caller (e.g. the crash hook) pass through into the chroot.
ddab() {
    local cds=""
    [ -f /out/ddabridge.jsa ] && cds="-XX:SharedArchiveFile=/out/ddabridge.jsa"
    jroot_run $(env | grep '^DDABRIDGE_[A-Z_]*=[^ ]*$') /usr/bin/java $DDAB_FLAGS $cds -jar /out/ddabridge.jar "$@"
}
# pwsh is the host's dotnet global tool, shared read-only at /root/.dotnet/tools when present.
# Startup is slow under TCG (~30-50 s).
have_pwsh() { [ -x /jroot/root/.dotnet/tools/pwsh ]; }
pwsh_run() {
    jroot_run DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
        /root/.dotnet/tools/pwsh -NoProfile -NonInteractive "$@"
}
