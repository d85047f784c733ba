# Boot 3 of 3: after mount removed the persistence, the NVMe is nvme's again from the start of the boot.
# e2e-boot: 3
# No JVM in this boot (pool was checked in boot 2 after the mount's files were gone): shell checks only.
# e2e-timeout: 60
# e2e-expect: reboot3-nvme-on-nvme reboot3-nvme-probed reboot3-nothing-persisted
. /out/lib.sh; . /out/assign-lib.sh
need_jar reboot3-nvme-on-nvme reboot3-nvme-probed reboot3-nothing-persisted
B=$(pci_find 1b36:0010 | head -n1)
check_eq reboot3-nvme-on-nvme nvme "$(pci_driver "$B")"
dmesg | grep -q "nvme.*pci function $B" && [ -n "$(ls /dev/nvme* 2>/dev/null)" ] && pass reboot3-nvme-probed ||
    fail reboot3-nvme-probed "$(dmesg | grep nvme | tail -n 3)"
echo "INFO boot hook: $(grep -a 'boot-time hook' /out/console.log 2>/dev/null | tr -d '\r' | head -n1)"
P=/jroot/persist/etc
grep -aq 'boot-time hook: nothing persisted' /out/console.log && [ ! -e $P/ddabridge/vfio-pci.conf ] &&
    [ ! -e $P/initramfs-tools/scripts/init-top/ddabridge-vfio ] && pass reboot3-nothing-persisted ||
    fail reboot3-nothing-persisted "$(ls -lR $P | tr '\n' ' ' | head -c 400)"
finish
