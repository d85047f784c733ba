# Ground truth: VT-d without interrupt remapping: groups exist, MSIs are not remapped.
# e2e-expect: iommu-present msi-in-use no-ir-pci-msi dmesg-has-dmar dmesg-no-irq-remapping unsafe-interrupts-off vfio-bind-still-works
. /out/lib.sh
[ "$(iommu_group_count)" -gt 0 ] && pass iommu-present || fail iommu-present "no IOMMU groups"
grep -q 'PCI-MSI' /proc/interrupts && pass msi-in-use || fail msi-in-use "no PCI-MSI lines in /proc/interrupts"
grep -q 'IR-PCI-MSI' /proc/interrupts && fail no-ir-pci-msi "$(grep -m1 IR-PCI-MSI /proc/interrupts)" || pass no-ir-pci-msi
# The negative grep below means something only when the kernel log is readable and talks about DMAR.
dmesg | grep -q 'DMAR' && pass dmesg-has-dmar || fail dmesg-has-dmar "no DMAR lines in dmesg ($(dmesg | wc -l) lines)"
dmesg | grep -q 'Enabled IRQ remapping' && fail dmesg-no-irq-remapping "$(dmesg | grep -m1 'Enabled IRQ remapping')" || pass dmesg-no-irq-remapping
check_eq unsafe-interrupts-off N "$(cat /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts)"
# binding works (the refusal comes later, at VFIO_SET_IOMMU); restore afterwards
B=$(pci_find 1b36:0010 | head -n1); G=$(pci_group "$B")
if bind_vfio "$B" && wait_for 5 test -c "/dev/vfio/$G"; then pass vfio-bind-still-works
else fail vfio-bind-still-works "$B driver '$(pci_driver "$B")', /dev/vfio: $(ls /dev/vfio | tr '\n' ' ')"; fi
unbind_vfio "$B"; wait_for 10 _driver_is "$B" nvme
finish
