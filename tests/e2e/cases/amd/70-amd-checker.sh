# The engine on the AMD IOMMU guest: a host image capture (for tests/fixtures/hosts), predicted groups =
# the kernel's groups, host checks that agree with the kernel's own state, and VFIO viability of the
# NVMe group (vfio-pci bound, /dev/vfio/N, the engine's VFIO_GROUP_GET_STATUS) before and after.
# e2e-expect: amd-capture-runs amd-checker-survey-runs amd-checker-groups-match-kernel
# e2e-expect: amd-check-iommu-present amd-check-iommu-enabled amd-check-interrupt-remapping
# e2e-expect: amd-checker-nvme-assignable amd-vfio-nvme-dev-node amd-vfio-nvme-viable amd-movewith-nvme
# e2e-expect: amd-movewith-e1000e-pair amd-movewith-ne2k
# e2e-timeout: 600
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar amd-capture-runs amd-checker-survey-runs amd-checker-groups-match-kernel amd-check-iommu-present \
    amd-check-iommu-enabled amd-check-interrupt-remapping amd-checker-nvme-assignable amd-vfio-nvme-dev-node \
    amd-vfio-nvme-viable amd-movewith-nvme amd-movewith-e1000e-pair amd-movewith-ne2k

# Two JVMs in all (each takes minutes under TCG on a loaded host): this survey, and one serve process
# for the capture and every VFIO_GROUP_GET_STATUS question below.
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass amd-checker-survey-runs || fail amd-checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
check_groups_match_kernel amd-checker-groups-match-kernel /out/c-table.txt

# host_check ID -> the status the engine gave that host check
host_check() {
    awk -v id="$1" '$0 ~ "\"id\": \"" id "\"" { f = 1; next }
        f && /"status": "/ { sub(/.*"status": "/, ""); sub(/".*/, ""); print; exit }' /out/c-survey.json
}
# The kernel's truth, read independently of the engine.
k_present=fail; [ -e /sys/firmware/acpi/tables/IVRS ] && k_present=pass
k_enabled=fail; [ "$(iommu_group_count)" -gt 0 ] && k_enabled=pass
k_ir=fail; grep -q 'IR-' /proc/interrupts && k_ir=pass
check_eq amd-check-iommu-present "$k_present" "$(host_check IommuPresent)"
check_eq amd-check-iommu-enabled "$k_enabled" "$(host_check IommuEnabled)"
check_eq amd-check-interrupt-remapping "$k_ir" "$(host_check InterruptRemapping)"

set -- $(pci_find 1b36:0010); NVME0=$1
pair=$(pci_find 8086:10d3 | sed 's/\.[0-7]$//' | sort | uniq -d); E0=$pair.0
NE0=$(pci_find 10ec:8029 | head -n1)
grep -q "^$NVME0 Assignable " /out/c-table.txt && pass amd-checker-nvme-assignable ||
    fail amd-checker-nvme-assignable "$(grep "^$NVME0 " /out/c-table.txt)"

serve_start
serve_req '{"id":1,"command":"capture","args":{"output":"/out/amd-host.tar.gz"}}' > /out/amd-capture.json
grep -q '"ok":true' /out/amd-capture.json && [ -s /out/amd-host.tar.gz ] && pass amd-capture-runs ||
    fail amd-capture-runs "$(head -c 300 /out/amd-capture.json) $(tail -c 300 /tmp/serve.err)"

# VFIO on AMD: the NVMe alone on vfio-pci gives /dev/vfio/<group>, and the group is viable.
G=$(pci_group "$NVME0")
if bind_vfio "$NVME0" && wait_for 5 test -c "/dev/vfio/$G"; then pass amd-vfio-nvme-dev-node
else fail amd-vfio-nvme-dev-node "$NVME0 driver '$(pci_driver "$NVME0")', /dev/vfio: $(ls /dev/vfio | tr '\n' ' ')"; fi
check_eq amd-vfio-nvme-viable true "$(group_viable "$G")"
restore_driver "$NVME0" nvme
check_move_with amd-movewith-nvme /out/c-table.txt "$NVME0"
check_move_with amd-movewith-e1000e-pair /out/c-table.txt "$E0"
check_move_with amd-movewith-ne2k /out/c-table.txt "$NE0"
serve_stop
cp /out/c-table.txt /out/checker-table.txt
finish
