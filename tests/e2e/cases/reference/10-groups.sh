# Ground truth: IOMMU groups of the reference tree (ACS root ports).
# e2e-expect: iommu-present every-device-has-group nvme-count nvme-separate-singleton-groups
# e2e-expect: e1000e-pair-shares-group e1000e-single-own-group ne2k-share-bridge-group
# e2e-expect: root-ports-acs-enabled ir-pci-msi-present
. /out/lib.sh

n=$(iommu_group_count)
if [ "$n" -gt 0 ] && [ -e /sys/firmware/acpi/tables/DMAR ] && ls /sys/class/iommu | grep -q dmar; then
    pass iommu-present
else
    fail iommu-present "groups=$n, DMAR table/dmar class missing?"
fi

missing=
for b in $(pci_all); do [ -n "$(pci_group "$b")" ] || missing="$missing $b"; done
[ -z "$missing" ] && pass every-device-has-group || fail every-device-has-group "no iommu_group:$missing"

nvmes=$(pci_find 1b36:0010)
check_eq nvme-count 2 "$(count $nvmes)"
set -- $nvmes
g1=$(pci_group "$1"); g2=$(pci_group "$2")
if [ -n "$g1" ] && [ -n "$g2" ] && [ "$g1" != "$g2" ] &&
   [ "$(group_devices "$g1")" = "$1" ] && [ "$(group_devices "$g2")" = "$2" ]; then
    pass nvme-separate-singleton-groups
else
    fail nvme-separate-singleton-groups "$1 in group $g1 [$(group_devices "$g1" | tr '\n' ' ')], $2 in group $g2 [$(group_devices "$g2" | tr '\n' ' ')]"
fi

# e1000e: the multifunction pair is the two functions that share bus:device
e1k=$(pci_find 8086:10d3)
pair=; single=
for b in $e1k; do
    slot=${b%.*}
    if [ "$(echo "$e1k" | grep -c "^$slot\.")" -eq 2 ]; then pair="$pair $b"; else single="$single $b"; fi
done
set -- $pair
gp=$(pci_group "$1")
if [ $# -eq 2 ] && [ "$gp" = "$(pci_group "$2")" ] &&
   [ "$(group_devices "$gp" | tr '\n' ' ')" = "$1 $2 " ]; then
    pass e1000e-pair-shares-group
else
    fail e1000e-pair-shares-group "pair:$pair group $gp = [$(group_devices "$gp" | tr '\n' ' ')]"
fi
set -- $single
gs=$(pci_group "$1")
if [ $# -eq 1 ] && [ "$(group_devices "$gs")" = "$1" ]; then
    pass e1000e-single-own-group
else
    fail e1000e-single-own-group "single:$single group $gs = [$(group_devices "$gs" | tr '\n' ' ')]"
fi

br=$(pci_find 1b36:000e)
ne=$(pci_find 10ec:8029)
gb=$(pci_group "$br")
want=$(printf '%s\n' $br $ne | sort | tr '\n' ' ')
got=$(group_devices "$gb" | tr '\n' ' ')
if [ "$(count $ne)" -eq 2 ] && [ -n "$gb" ] && [ "$got" = "$want" ]; then
    pass ne2k-share-bridge-group
else
    fail ne2k-share-bridge-group "bridge $br group $gb = [$got], want [$want]"
fi

# ACS on every root port, with SV|RR|CR|UF (0x1d) enabled by the kernel
bad=
for rp in $(pci_find 1b36:000c); do
    o=$(ecap_find "$rp" 0x0d)
    if [ -z "$o" ]; then bad="$bad $rp:no-acs"; continue; fi
    ctrl=$(cfg_read "$rp" $((o + 6)) 2)
    [ $((ctrl & 0x1d)) -eq $((0x1d)) ] || bad="$bad $rp:ctrl=$(printf 0x%04x "$ctrl")"
done
[ -z "$bad" ] && [ -n "$(pci_find 1b36:000c)" ] && pass root-ports-acs-enabled || fail root-ports-acs-enabled "$bad"

grep -q 'IR-PCI-MSI' /proc/interrupts && pass ir-pci-msi-present || fail ir-pci-msi-present "no IR-PCI-MSI in /proc/interrupts"
finish
