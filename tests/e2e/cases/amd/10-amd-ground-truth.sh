# Ground truth of the AMD IOMMU guest, from the kernel alone (no engine): IVRS instead of DMAR, AMD-Vi
# units and groups, remapped interrupts, translated default domain, the same groups as on Intel.
# Saves the firmware's IVRS table (/out/amd-ivrs.bin) for tests/fixtures/acpi.
# e2e-expect: amd-ivrs-not-dmar amd-iommu-unit amd-dmesg-amdvi amd-groups-exist amd-every-device-has-group
# e2e-expect: amd-iommu-function-ungrouped
# e2e-expect: amd-nvme-singleton-groups amd-e1000e-pair-shares-group amd-ne2k-share-bridge-group
# e2e-expect: amd-ir-interrupts amd-default-domain-translated amd-ivrs-saved
. /out/lib.sh

if [ -e /sys/firmware/acpi/tables/IVRS ] && [ ! -e /sys/firmware/acpi/tables/DMAR ]; then pass amd-ivrs-not-dmar
else fail amd-ivrs-not-dmar "tables: $(ls /sys/firmware/acpi/tables | tr '\n' ' ')"; fi
# The AMD driver registers its units as ivhd<N> in /sys/class/iommu (Intel: dmar<N>).
ls /sys/class/iommu 2>/dev/null | grep -q '^ivhd' && pass amd-iommu-unit ||
    fail amd-iommu-unit "/sys/class/iommu: $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
dmesg | grep -q 'AMD-Vi' && pass amd-dmesg-amdvi || fail amd-dmesg-amdvi "no AMD-Vi line in dmesg"
n=$(iommu_group_count)
[ "$n" -gt 0 ] && pass amd-groups-exist || fail amd-groups-exist "no IOMMU groups"
# The AMD IOMMU is itself a PCI function (class 0806, QEMU: 00:01.0, 1022:0008); the kernel puts every
# function in a group except that one.
iommus=; missing=
for b in $(pci_all); do
    case $(pci_class "$b") in 0x0806*) iommus="$iommus $b"; continue ;; esac
    [ -n "$(pci_group "$b")" ] || missing="$missing $b"
done
[ -z "$missing" ] && pass amd-every-device-has-group || fail amd-every-device-has-group "no iommu_group:$missing"
ungrouped=
for b in $iommus; do [ -z "$(pci_group "$b")" ] && ungrouped="$ungrouped $b"; done
[ -n "$iommus" ] && [ "$ungrouped" = "$iommus" ] && pass amd-iommu-function-ungrouped ||
    fail amd-iommu-function-ungrouped "IOMMU functions:${iommus:- none}; without a group:${ungrouped:- none}"

set -- $(pci_find 1b36:0010)
g1=$(pci_group "$1"); g2=$(pci_group "$2")
if [ $# = 2 ] && [ -n "$g1" ] && [ "$g1" != "$g2" ] && [ "$(group_devices "$g1")" = "$1" ] &&
   [ "$(group_devices "$g2")" = "$2" ]; then pass amd-nvme-singleton-groups
else fail amd-nvme-singleton-groups "nvme: $*; groups $g1 [$(group_devices "$g1" | tr '\n' ' ')] $g2 [$(group_devices "$g2" | tr '\n' ' ')]"; fi

# the multifunction e1000e pair: the two functions sharing bus:device
pair=$(pci_find 8086:10d3 | sed 's/\.[0-7]$//' | sort | uniq -d)
set -- $(pci_find 8086:10d3 | grep "^$pair\.")
if [ $# = 2 ] && [ "$(pci_group "$1")" = "$(pci_group "$2")" ] &&
   [ "$(group_devices "$(pci_group "$1")" | tr '\n' ' ')" = "$1 $2 " ]; then pass amd-e1000e-pair-shares-group
else fail amd-e1000e-pair-shares-group "pair $*: group $(pci_group "$1") [$(group_devices "$(pci_group "$1")" | tr '\n' ' ')]"; fi

set -- $(pci_find 10ec:8029)
br=$(pci_find 1b36:000e | head -n1)
gb=$(pci_group "$br")
if [ $# = 2 ] && [ -n "$gb" ] && [ "$(pci_group "$1")" = "$gb" ] && [ "$(pci_group "$2")" = "$gb" ] &&
   [ "$(group_devices "$gb" | wc -l)" = 3 ]; then pass amd-ne2k-share-bridge-group
else fail amd-ne2k-share-bridge-group "bridge $br group $gb [$(group_devices "$gb" | tr '\n' ' ')], ne2k $*"; fi

# Remapped interrupts show as IR-IO-APIC / IR-PCI-MSI chips in /proc/interrupts.
grep -q 'IR-' /proc/interrupts && pass amd-ir-interrupts ||
    fail amd-ir-interrupts "no IR- line in /proc/interrupts"
dmesg | grep -q 'Default domain type: Translated' && pass amd-default-domain-translated ||
    fail amd-default-domain-translated "$(dmesg | grep -m1 'Default domain type')"

# Measured: through the translated AMD IOMMU of QEMU 7.2 the NVMe controllers time out on their first
# admin command and the nvme driver gives up on them (driverless); reported, not asserted.
for b in $(pci_find 1b36:0010); do echo "INFO nvme $b driver: '$(pci_driver "$b")'"; done
echo "INFO nvme timeouts in dmesg: $(dmesg | grep -c 'nvme.*timeout')"

cat /sys/firmware/acpi/tables/IVRS > /out/amd-ivrs.bin 2>/dev/null
sz=$(wc -c < /out/amd-ivrs.bin)
sig=$(dd if=/out/amd-ivrs.bin bs=4 count=1 2>/dev/null)
[ "$sig" = IVRS ] && [ "$sz" -gt 48 ] && pass amd-ivrs-saved || fail amd-ivrs-saved "signature '$sig', $sz bytes"
# the kernel's own words, for the README and the fixture's provenance note
{ dmesg | grep -E 'AMD-Vi|iommu|IOMMU'; grep 'IR-' /proc/interrupts; } > /out/amd-kernel-lines.txt
finish
