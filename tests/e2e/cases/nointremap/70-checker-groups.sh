# Predicted IOMMU groups equal the kernel's groups in this topology too. Without interrupt remapping (and
# allow_unsafe_interrupts=N) vfio_iommu_type1 refuses every group: the headline is NotAssignable and names
# the failing InterruptRemapping check; targets.vfio (the device alone) stays Assignable.
# e2e-expect: checker-survey-runs checker-groups-match-kernel checker-intremap-fails checker-headline-blocked
# e2e-expect: checker-device-only-vfio
# e2e-timeout: 240
# e2e-expect: hostcheck-iommu-present hostcheck-iommu-enabled hostcheck-interrupt-remapping hostcheck-vfio-available hostcheck-iommu-mode
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar checker-survey-runs checker-groups-match-kernel checker-intremap-fails checker-headline-blocked \
    checker-device-only-vfio hostcheck-iommu-present hostcheck-iommu-enabled hostcheck-interrupt-remapping hostcheck-vfio-available hostcheck-iommu-mode
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass checker-survey-runs || fail checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
check_groups_match_kernel checker-groups-match-kernel /out/c-table.txt
grep -A2 '"id": "InterruptRemapping"' /out/c-survey.json | grep -q '"status": "fail"' && pass checker-intremap-fails ||
    fail checker-intremap-fails "$(grep -A3 '"id": "InterruptRemapping"' /out/c-survey.json | tr '\n' ' ')"
B=$(pci_find 1b36:0010 | head -n1)
line=$(grep "^$B " /out/c-table.txt)
echo "$line" | grep -q "^$B NotAssignable " && echo "$line" | grep -q HostNotReady &&
    grep -q 'host check InterruptRemapping fails' /out/c-survey.json && pass checker-headline-blocked ||
    fail checker-headline-blocked "$line"
check_target_verdict checker-device-only-vfio "$B" vfio Assignable
# Every host check against the kernel's own state (expected values read from the guest, not typed here).
check_host_checks_vs_kernel hostcheck
finish
