# The compatibility report against the kernel's truth: predicted IOMMU groups equal the kernel's groups,
# and mustMoveWith is exactly what VFIO_GROUP_GET_STATUS needs to call a group viable (and the predicted group);
# the host checks and the ACS reasons agree with what the kernel itself enabled.
# e2e-expect: checker-survey-runs checker-groups-match-kernel
# e2e-expect: movewith-nvme0 movewith-nvme1 movewith-e1000e-pair movewith-e1000e-single movewith-ne2k
# e2e-expect: checker-nvme-assignable checker-ne2k-vfio-with-warnings checker-ne2k-hyperv-refused
# e2e-expect: hostcheck-iommu-present hostcheck-iommu-enabled hostcheck-interrupt-remapping hostcheck-vfio-available hostcheck-iommu-mode checker-acs-matches-kernel
# e2e-timeout: 360
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar checker-survey-runs checker-groups-match-kernel movewith-nvme0 movewith-nvme1 movewith-e1000e-pair \
    movewith-e1000e-single movewith-ne2k checker-nvme-assignable checker-ne2k-vfio-with-warnings \
    checker-ne2k-hyperv-refused hostcheck-iommu-present hostcheck-iommu-enabled hostcheck-interrupt-remapping hostcheck-vfio-available hostcheck-iommu-mode checker-acs-matches-kernel
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass checker-survey-runs || fail checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
check_groups_match_kernel checker-groups-match-kernel /out/c-table.txt

set -- $(pci_find 1b36:0010); NVME0=$1; NVME1=$2
set -- $(pci_find 8086:10d3); E0=$1; E1=$2; E2=$3
set -- $(pci_find 10ec:8029); NE0=$1
grep -q "^$NVME0 Assignable " /out/c-table.txt && pass checker-nvme-assignable ||
    fail checker-nvme-assignable "$(grep "^$NVME0 " /out/c-table.txt)"
# VFIO (the headline here) takes the ne2k with its bus mate; Hyper-V's rules refuse it (behind a PCIe-to-PCI bridge).
grep "^$NE0 AssignableWithWarnings " /out/c-table.txt | grep -q BehindPciBridge && pass checker-ne2k-vfio-with-warnings ||
    fail checker-ne2k-vfio-with-warnings "$(grep "^$NE0 " /out/c-table.txt)"
check_target_verdict checker-ne2k-hyperv-refused "$NE0" hyperv NotAssignable
check_host_checks_vs_kernel hostcheck
# the endpoints right below a root port (the ne2k sit behind the PCIe-to-PCI bridge)
check_acs_vs_kernel checker-acs-matches-kernel /out/c-table.txt "$NVME0" "$NVME1" "$E0" "$E1" "$E2"


serve_start
check_move_with movewith-nvme0 /out/c-table.txt "$NVME0"
check_move_with movewith-nvme1 /out/c-table.txt "$NVME1"
check_move_with movewith-e1000e-pair /out/c-table.txt "$E0"
check_move_with movewith-e1000e-single /out/c-table.txt "$E2"
check_move_with movewith-ne2k /out/c-table.txt "$NE0"
serve_stop
cp /out/c-table.txt /out/checker-table.txt
finish
