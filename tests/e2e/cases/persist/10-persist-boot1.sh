# Boot 1 of 3: dismount the NVMe (persisted by default) and the e1000e pair (--transient) through one
# serve process; the list, the udev rule and the initramfs-tools files land on the persistent disk.
# e2e-boot: 1
# e2e-timeout: 240
# e2e-expect: persist-dismount-nvme persist-files-written persist-transient-pair persist-transient-not-listed
# e2e-expect: persist-pool-boot1
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar persist-dismount-nvme persist-files-written persist-transient-pair persist-transient-not-listed \
    persist-pool-boot1
B=$(pci_find 1b36:0010 | head -n1)
set -- $(pci_find 8086:10d3); N0=$1; N1=$2
P=/jroot/persist/etc
serve_start
serve_req "{\"id\":1,\"command\":\"dismount\",\"args\":{\"address\":\"$B\"}}" > /out/p1-dismount.json
grep -q '"ok":true' /out/p1-dismount.json && [ "$(pci_driver "$B")" = vfio-pci ] && pass persist-dismount-nvme ||
    fail persist-dismount-nvme "driver $(pci_driver "$B"): $(head -c 600 /out/p1-dismount.json)"
ids="$(sed 's/^0x//' $PCI/$B/vendor):$(sed 's/^0x//' $PCI/$B/device)"
if grep -q "^$B $ids" $P/ddabridge/vfio-pci.conf && grep -q "KERNEL==\"$B\"" $P/udev/rules.d/40-ddabridge-vfio.rules &&
   [ -x $P/initramfs-tools/scripts/init-top/ddabridge-vfio ] && [ -x $P/initramfs-tools/hooks/ddabridge-vfio ]; then
    pass persist-files-written
else fail persist-files-written "$(ls -lR $P 2>&1 | tr '\n' ' ' | head -c 600)"; fi
serve_req "{\"id\":2,\"command\":\"dismount\",\"args\":{\"address\":\"$N0\",\"transient\":true}}" > /out/p1-pair.json
grep -q '"ok":true' /out/p1-pair.json && [ "$(pci_driver "$N0")/$(pci_driver "$N1")" = vfio-pci/vfio-pci ] &&
    pass persist-transient-pair || fail persist-transient-pair "$(head -c 600 /out/p1-pair.json)"
! grep -q "^$N0\|^$N1" $P/ddabridge/vfio-pci.conf && pass persist-transient-not-listed ||
    fail persist-transient-not-listed "$(cat $P/ddabridge/vfio-pci.conf)"
serve_req '{"id":3,"command":"pool","args":{}}' > /out/p1-pool.json
grep -q "\"persisted\":\[{\"address\":\"$B\",\"driver\":\"vfio-pci\",\"source\":\"ddabridge\"" /out/p1-pool.json &&
    grep -q '"state":"applied"' /out/p1-pool.json && pass persist-pool-boot1 ||
    fail persist-pool-boot1 "$(head -c 800 /out/p1-pool.json)"
serve_stop
sync
finish
