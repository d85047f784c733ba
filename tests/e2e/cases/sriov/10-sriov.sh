# Ground truth: NVMe SR-IOV PF with 2 VFs.
# e2e-expect: pf-found pf-has-sriov-ecap sriov-totalvfs-2 sriov-numvfs-0-at-boot sriov-offset-stride
# e2e-expect: create-2-vfs vfs-linked-to-pf vfs-own-singleton-groups vfs-rejected-by-nvme vf-binds-vfio
# e2e-expect: vf-unbinds remove-vfs
# While the VFs exist, the engine's survey (one JVM) must see them as the kernel does:
# e2e-expect: sriov-survey-runs sriov-survey-lists-vfs sriov-survey-vf-groups-match-kernel sriov-survey-vf-verdicts
# e2e-timeout: 300
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
PF=
for b in $(pci_find 1b36:0010); do
    [ -r "$PCI/$b/sriov_totalvfs" ] && [ "$(cat "$PCI/$b/sriov_totalvfs")" -gt 0 ] && PF=$b
done
[ -n "$PF" ] && pass pf-found || { fail pf-found "no NVMe with sriov_totalvfs > 0"; finish; }
[ -n "$(ecap_find "$PF" 0x10)" ] && pass pf-has-sriov-ecap || fail pf-has-sriov-ecap "no SR-IOV ecap on $PF"
check_eq sriov-totalvfs-2 2 "$(cat "$PCI/$PF/sriov_totalvfs")"
check_eq sriov-numvfs-0-at-boot 0 "$(cat "$PCI/$PF/sriov_numvfs")"
check_eq sriov-offset-stride "1/1" "$(cat "$PCI/$PF/sriov_offset")/$(cat "$PCI/$PF/sriov_stride")"
sysfs_write "$PCI/$PF/sriov_numvfs" 2
if wait_for 10 test -e "$PCI/$PF/virtfn1" && [ "$(cat "$PCI/$PF/sriov_numvfs")" = 2 ]; then pass create-2-vfs
else fail create-2-vfs "sriov_numvfs=$(cat "$PCI/$PF/sriov_numvfs"), links: $(ls "$PCI/$PF" | grep virtfn | tr '\n' ' ')"; fi
bad=; vfs=
for l in "$PCI/$PF"/virtfn*; do
    [ -e "$l" ] || continue
    vf=$(basename "$(readlink "$l")"); vfs="$vfs $vf"
    [ "$(basename "$(readlink "$PCI/$vf/physfn")")" = "$PF" ] || bad="$bad $vf"
done
[ -n "$vfs" ] && [ -z "$bad" ] && pass vfs-linked-to-pf || fail vfs-linked-to-pf "vfs:$vfs bad physfn:$bad"
# The PF is a single-function endpoint (no ACS needed): each VF gets its own group.
G=$(pci_group "$PF"); bad=; seen_groups=" $G "
for vf in $vfs; do
    g=$(pci_group "$vf")
    if [ -z "$g" ] || [ "$(group_devices "$g")" != "$vf" ] || echo "$seen_groups" | grep -q " $g "; then
        bad="$bad $vf:group=${g}[$(group_devices "$g" | tr '\n' ' ')]"
    fi
    seen_groups="$seen_groups$g "
done
[ -n "$vfs" ] && [ -z "$bad" ] && pass vfs-own-singleton-groups || fail vfs-own-singleton-groups "PF group $G;$bad"
# QEMU's secondary controllers are offline: nvme probes them, gives up ("Device not ready;
# aborting initialisation, CSTS=0x2") and releases them, so the VFs end up driverless.
bad=
for vf in $vfs; do wait_for 10 test ! -e "$PCI/$vf/driver" || bad="$bad $vf=$(pci_driver "$vf")"; done
[ -z "$bad" ] && pass vfs-rejected-by-nvme || fail vfs-rejected-by-nvme "still bound:$bad"
set -- $vfs
VF=$1; VG=$(pci_group "$VF")
if bind_vfio "$VF" && wait_for 5 test -c "/dev/vfio/$VG"; then pass vf-binds-vfio
else fail vf-binds-vfio "$VF driver '$(pci_driver "$VF")', /dev/vfio: $(ls /dev/vfio | tr '\n' ' ')"; fi
unbind_vfio "$VF"
wait_for 5 test ! -e "/dev/vfio/$VG" && [ "$(cat "$PCI/$VF/driver_override")" = "(null)" ] &&
    pass vf-unbinds || fail vf-unbinds "driver '$(pci_driver "$VF")', override $(cat "$PCI/$VF/driver_override")"
wait_for 10 test ! -e "$PCI/$VF/driver"   # nvme re-probes and rejects it again
echo "INFO sriov: PF $PF group $G; VFs$vfs in groups$(for vf in $vfs; do printf ' %s' "$(pci_group $vf)"; done)"

# The survey while the VFs exist: each VF listed with its PF (the kernel's physfn), its live group number and
# driver (none), predicted groups = the kernel's groups for every function (VFs included), and each VF judged
# alone in its group and not NotAssignable (the kernel gives it a singleton group; vf-binds-vfio above).
SN="sriov-survey-runs sriov-survey-lists-vfs sriov-survey-vf-groups-match-kernel sriov-survey-vf-verdicts"
if [ ! -f /out/ddabridge.jar ]; then
    for n in $SN; do
        if [ "${E2E_REQUIRE_JAR:-0}" = 1 ]; then fail "$n" "jar not found"; else skip "$n" "jar not found (./build.sh)"; fi
    done
else
    ddab survey --json > /out/sriov-survey.json 2> /out/sriov-survey.err; rc=$?
    [ $rc = 0 ] && [ -e "$PCI/$PF/virtfn1" ] && pass sriov-survey-runs ||
        fail sriov-survey-runs "rc=$rc, VFs present: $(ls "$PCI/$PF" | grep -c virtfn) $(head -c 300 /out/sriov-survey.err)"
    check_sriov_survey /out/sriov-survey.json "$PF" $vfs; cp /tmp/sriov-table.txt /out/sriov-table.txt
    echo "INFO sriov survey: $(for vf in $vfs; do grep "^$vf " /tmp/sriov-table.txt | cut -c1-160; done | tr '\n' ';')"
fi
sysfs_write "$PCI/$PF/sriov_numvfs" 0
gone=1; for vf in $vfs; do wait_for 5 test ! -e "$PCI/$vf" || gone=0; done
[ $gone = 1 ] && [ ! -e "$PCI/$PF/virtfn0" ] && pass remove-vfs || fail remove-vfs "VFs still present"
finish
