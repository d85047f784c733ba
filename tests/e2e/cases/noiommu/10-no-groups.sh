# Ground truth: intel_iommu=off -> no groups; vfio-pci cannot claim a device.
# e2e-expect: dmar-table-present iommu-groups-empty no-iommu-group-links acs-ctrl-not-enabled
# e2e-expect: vfio-pci-cannot-bind no-vfio-group-node nvme-rebinds
. /out/lib.sh
[ -e /sys/firmware/acpi/tables/DMAR ] && pass dmar-table-present || fail dmar-table-present "no DMAR table"
check_eq iommu-groups-empty 0 "$(iommu_group_count)"
links=
for b in $(pci_all); do [ -e "$PCI/$b/iommu_group" ] && links="$links $b"; done
[ -z "$links" ] && pass no-iommu-group-links || fail no-iommu-group-links "iommu_group on$links"
rp=$(pci_find 1b36:000c | head -n1); o=$(ecap_find "$rp" 0x0d)
if [ -n "$o" ] && [ "$(cfg_read "$rp" $((o + 6)) 2)" -eq 0 ]; then pass acs-ctrl-not-enabled
else fail acs-ctrl-not-enabled "$rp ACS at '$o' ctrl=$( [ -n "$o" ] && cfg_read "$rp" $((o + 6)) 2)"; fi
B=$(pci_find 1b36:0010 | head -n1)
bind_vfio "$B" 1 >/dev/null 2>&1
drv=$(pci_driver "$B")
# Positive evidence first: vfio-pci is registered and the kernel itself refused the probe (not a missing
# module or a failed write); then the negative: it did not bind.
if [ ! -d /sys/bus/pci/drivers/vfio-pci ]; then fail vfio-pci-cannot-bind "vfio-pci is not registered"
elif ! dmesg | grep -q "vfio-pci: probe of $B failed"; then
    fail vfio-pci-cannot-bind "no probe failure of $B in dmesg: $(dmesg | grep -i vfio | tail -n3 | tr '\n' ' ')"
elif [ "$drv" = vfio-pci ]; then fail vfio-pci-cannot-bind "$B bound to vfio-pci without an IOMMU"
else pass vfio-pci-cannot-bind; fi
[ -z "$(ls /dev/vfio | grep -v '^vfio$')" ] && pass no-vfio-group-node || fail no-vfio-group-node "/dev/vfio: $(ls /dev/vfio | tr '\n' ' ')"
unbind_vfio "$B"
wait_for 10 _driver_is "$B" nvme && pass nvme-rebinds || fail nvme-rebinds "$B driver '$(pci_driver "$B")'"
finish
