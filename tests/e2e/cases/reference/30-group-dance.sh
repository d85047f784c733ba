# Ground truth: a whole multi-function group (the e1000e pair) moves to vfio-pci and back.
# e2e-expect: pair-bound-vfio pair-group-node-appears pair-restored-e1000e pair-netdevs-back
. /out/lib.sh
e1k=$(pci_find 8086:10d3)
pair=
for b in $e1k; do [ "$(echo "$e1k" | grep -c "^${b%.*}\.")" -eq 2 ] && pair="$pair $b"; done
set -- $pair
G=$(pci_group "$1")
ok=1
for b in $(group_devices "$G"); do bind_vfio "$b" || ok=0; done
[ $ok = 1 ] && pass pair-bound-vfio || fail pair-bound-vfio "drivers: $(for b in $pair; do printf '%s=%s ' $b "$(pci_driver $b)"; done)"
wait_for 5 test -c "/dev/vfio/$G" && pass pair-group-node-appears || fail pair-group-node-appears "/dev/vfio/$G missing"
for b in $(group_devices "$G"); do unbind_vfio "$b"; done
ok=1
for b in $pair; do wait_for 10 _driver_is "$b" e1000e || ok=0; done
[ $ok = 1 ] && pass pair-restored-e1000e || fail pair-restored-e1000e "drivers: $(for b in $pair; do printf '%s=%s ' $b "$(pci_driver $b)"; done)"
ok=1
for b in $pair; do wait_for 5 test -d "$PCI/$b/net" || ok=0; done
[ $ok = 1 ] && pass pair-netdevs-back || fail pair-netdevs-back "net/ missing under one of$pair"
finish
