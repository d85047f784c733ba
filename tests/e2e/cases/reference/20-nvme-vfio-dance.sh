# Ground truth: the sysfs dance moves an NVMe from nvme to vfio-pci and back.
# e2e-expect: nvme-has-namespace bind-vfio-pci vfio-group-node-appears vfio-group-node-opens
# e2e-expect: nvme-blockdev-gone other-nvme-untouched unbind-restores-nvme nvme-blockdev-back
# e2e-expect: driver-override-cleared vfio-group-node-gone
. /out/lib.sh
set -- $(pci_find 1b36:0010)
B=$1; OTHER=$2
G=$(pci_group "$B")
NS=$(nvme_namespaces "$B" | head -n1)
ONS=$(nvme_namespaces "$OTHER" | head -n1)
[ -n "$NS" ] && [ -b "/dev/$NS" ] && pass nvme-has-namespace || fail nvme-has-namespace "$B: namespace '$NS' has no block device"

if bind_vfio "$B"; then pass bind-vfio-pci; else fail bind-vfio-pci "$B driver is '$(pci_driver "$B")'"; fi
wait_for 5 test -c "/dev/vfio/$G" && pass vfio-group-node-appears || fail vfio-group-node-appears "/dev/vfio/$G missing: $(ls /dev/vfio | tr '\n' ' ')"
( exec 3<>"/dev/vfio/$G" ) 2>/dev/null && pass vfio-group-node-opens || fail vfio-group-node-opens "open /dev/vfio/$G failed"
if wait_for 5 test ! -e "/dev/$NS" && [ -z "$(nvme_ctrl "$B")" ]; then
    pass nvme-blockdev-gone
else
    fail nvme-blockdev-gone "/dev/$NS still present"
fi
[ "$(pci_driver "$OTHER")" = nvme ] && [ -b "/dev/$ONS" ] && pass other-nvme-untouched ||
    fail other-nvme-untouched "$OTHER driver '$(pci_driver "$OTHER")', /dev/$ONS"

unbind_vfio "$B"
if wait_for 10 _driver_is "$B" nvme; then pass unbind-restores-nvme; else fail unbind-restores-nvme "$B driver is '$(pci_driver "$B")'"; fi
_ns_back() { n=$(nvme_namespaces "$B" | head -n1); [ -n "$n" ] && [ -b "/dev/$n" ]; }
if wait_for 15 _ns_back; then
    pass nvme-blockdev-back
else
    fail nvme-blockdev-back "no namespace block device for $B (had $NS)"
fi
check_eq driver-override-cleared "(null)" "$(cat "$PCI/$B/driver_override")"
wait_for 5 test ! -e "/dev/vfio/$G" && pass vfio-group-node-gone || fail vfio-group-node-gone "/dev/vfio/$G still there"
finish
