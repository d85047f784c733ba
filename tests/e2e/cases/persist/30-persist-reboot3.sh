# Boot 3 of 3: after mount removed the persistence, the NVMe is nvme's again from the start of the boot.
# e2e-boot: 3
# e2e-timeout: 200
# e2e-expect: reboot3-nvme-on-nvme reboot3-nvme-probed reboot3-pool-empty
. /out/lib.sh; . /out/assign-lib.sh
need_jar reboot3-nvme-on-nvme reboot3-nvme-probed reboot3-pool-empty
B=$(pci_find 1b36:0010 | head -n1)
check_eq reboot3-nvme-on-nvme nvme "$(pci_driver "$B")"
dmesg | grep -q "nvme.*pci function $B" && [ -n "$(ls /dev/nvme* 2>/dev/null)" ] && pass reboot3-nvme-probed ||
    fail reboot3-nvme-probed "$(dmesg | grep nvme | tail -n 3)"
echo "INFO boot hook: $(grep -a 'boot-time hook' /out/console.log 2>/dev/null | tr -d '\r' | head -n1)"
DB pool --json > /out/p3-pool.json 2>&1
grep -q '"persisted": \[\]' /out/p3-pool.json && pass reboot3-pool-empty || fail reboot3-pool-empty "$(head -c 800 /out/p3-pool.json)"
finish
