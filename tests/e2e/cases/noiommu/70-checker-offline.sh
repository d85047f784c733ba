# IOMMU off: the report still predicts groups from topology + ACS (the kernel has formed none), and the
# host check says why nothing can be assigned. Each NVMe/NIC sits behind its own ACS root port, so the
# prediction is a singleton group (the groups the kernel forms once intel_iommu=on, see reference).
# The headline answers "here and now": NotAssignable, naming the failing IommuEnabled check, while the
# device-only VFIO judgement (targets.vfio) stays Assignable.
# e2e-expect: checker-survey-runs checker-no-live-groups checker-predicts-singletons checker-iommu-disabled
# e2e-expect: checker-headline-blocked checker-device-only-vfio
# e2e-timeout: 240
# e2e-expect: hostcheck-iommu-present hostcheck-iommu-enabled hostcheck-interrupt-remapping hostcheck-vfio-available hostcheck-iommu-mode
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar checker-survey-runs checker-no-live-groups checker-predicts-singletons checker-iommu-disabled \
    checker-headline-blocked checker-device-only-vfio hostcheck-iommu-present hostcheck-iommu-enabled hostcheck-interrupt-remapping hostcheck-vfio-available hostcheck-iommu-mode
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass checker-survey-runs || fail checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
# Every function is listed with a null group (positive), and none with a number (negative).
nfun=$(pci_all | wc -w); nnull=$(grep -c '"iommuGroup": null' /out/c-survey.json)
if [ "$nnull" -ne "$nfun" ]; then fail checker-no-live-groups "$nnull null groups for $nfun functions"
elif grep -q '"iommuGroup": [0-9]' /out/c-survey.json; then fail checker-no-live-groups "a live group reported"
else pass checker-no-live-groups; fi
bad=""
for b in $(pci_find 1b36:0010) $(pci_find 8086:10d3); do
    grep -q "^$b [A-Za-z]* $b " /out/c-table.txt || bad="$bad $(grep "^$b " /out/c-table.txt)"
done
[ -z "$bad" ] && pass checker-predicts-singletons || fail checker-predicts-singletons "$bad"
grep -A2 '"id": "IommuEnabled"' /out/c-survey.json | grep -q '"status": "fail"' && pass checker-iommu-disabled ||
    fail checker-iommu-disabled "$(grep -A3 '"id": "IommuEnabled"' /out/c-survey.json | tr '\n' ' ')"
B=$(pci_find 1b36:0010 | head -n1)
line=$(grep "^$B " /out/c-table.txt)
echo "$line" | grep -q "^$B NotAssignable " && echo "$line" | grep -q HostNotReady &&
    grep -q 'host check IommuEnabled fails' /out/c-survey.json && pass checker-headline-blocked ||
    fail checker-headline-blocked "$line"
check_target_verdict checker-device-only-vfio "$B" vfio Assignable
# Every host check against the kernel's own state (expected values read from the guest, not typed here).
check_host_checks_vs_kernel hostcheck
finish
