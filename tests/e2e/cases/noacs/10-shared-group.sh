# Ground truth: root ports without ACS merge everything below them into one IOMMU group.
# e2e-expect: iommu-present nvme-count nvme-share-one-group ports-in-shared-group root-ports-no-acs acs-port-isolated
. /out/lib.sh
[ "$(iommu_group_count)" -gt 0 ] && pass iommu-present || fail iommu-present "no IOMMU groups"
nvmes=$(pci_find 1b36:0010)
check_eq nvme-count 2 "$(count $nvmes)"
set -- $nvmes
G=$(pci_group "$1")
[ -n "$G" ] && [ "$G" = "$(pci_group "$2")" ] && pass nvme-share-one-group ||
    fail nvme-share-one-group "$1 group $(pci_group "$1"), $2 group $(pci_group "$2")"
members=$(group_devices "$G" | tr '\n' ' ')
[ "$members" = "0000:00:02.0 0000:00:02.1 $1 $2 " ] && pass ports-in-shared-group ||
    fail ports-in-shared-group "group $G = [$members]"
bad=
for rp in 0000:00:02.0 0000:00:02.1; do [ -z "$(ecap_find $rp 0x0d)" ] || bad="$bad $rp"; done
[ -z "$bad" ] && pass root-ports-no-acs || fail root-ports-no-acs "ACS ecap present on$bad"
# the third port keeps ACS, so the e1000e below it stays alone
e=$(pci_find 8086:10d3)
[ -n "$(ecap_find 0000:00:03.0 0x0d)" ] && [ "$(group_devices "$(pci_group "$e")")" = "$e" ] &&
    pass acs-port-isolated || fail acs-port-isolated "e1000e $e group [$(group_devices "$(pci_group "$e")" | tr '\n' ' ')]"
finish
