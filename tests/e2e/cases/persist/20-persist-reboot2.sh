# Boot 2 of 3: guest/init ran DdaBridge's generated init-top script (from the persistent disk) before
# loading nvme and e1000e. The NVMe must be on vfio-pci without nvme ever having bound it (kernel log,
# no /dev/nvme*), the transient pair back on e1000e; pool and survey agree; then mount gives the NVMe back
# and removes the persistence.
# e2e-boot: 2
# e2e-timeout: 240
# e2e-expect: reboot-nvme-on-vfio reboot-nvme-never-host-bound reboot-pair-back-on-e1000e reboot-pool-matches
# e2e-expect: reboot-survey-bootpersistence reboot-mount-nvme reboot-unpersisted
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar reboot-nvme-on-vfio reboot-nvme-never-host-bound reboot-pair-back-on-e1000e reboot-pool-matches \
    reboot-survey-bootpersistence reboot-mount-nvme reboot-unpersisted
B=$(pci_find 1b36:0010 | head -n1)
set -- $(pci_find 8086:10d3); N0=$1; N1=$2
P=/jroot/persist/etc
check_eq reboot-nvme-on-vfio vfio-pci "$(pci_driver "$B")"
dmesg > /tmp/r2-dmesg.txt
if [ -d /sys/bus/pci/drivers/nvme ] && ! grep -q "nvme.*pci function $B" /tmp/r2-dmesg.txt &&
   [ -z "$(ls /dev/nvme* 2>/dev/null)" ]; then
    pass reboot-nvme-never-host-bound
else fail reboot-nvme-never-host-bound "nvme driver $(ls -d /sys/bus/pci/drivers/nvme 2>&1); $(grep 'pci function' /tmp/r2-dmesg.txt); $(ls /dev/nvme* 2>&1)"; fi
echo "INFO boot hook: $(grep -a 'boot-time hook' /out/console.log 2>/dev/null | tr -d '\r' | head -n1)"
check_eq reboot-pair-back-on-e1000e e1000e/e1000e "$(pci_driver "$N0")/$(pci_driver "$N1")"
serve_start
serve_req '{"id":1,"command":"pool","args":{}}' > /out/p2-pool.json
if grep -q "\"persisted\":\[{\"address\":\"$B\",\"driver\":\"vfio-pci\",\"source\":\"ddabridge\"" /out/p2-pool.json &&
   grep -q '"state":"applied"' /out/p2-pool.json && grep -q '"state":"released (transient' /out/p2-pool.json; then
    pass reboot-pool-matches
else fail reboot-pool-matches "$(head -c 1200 /out/p2-pool.json)"; fi
serve_req '{"id":2,"command":"survey","args":{}}' > /out/p2-survey.json
grep -q '"id":"BootPersistence","status":"pass","message":"Every persisted assignment (1) is in effect."' /out/p2-survey.json &&
    pass reboot-survey-bootpersistence || fail reboot-survey-bootpersistence "$(grep -o '"id":"BootPersistence"[^}]*' /out/p2-survey.json)"
serve_req "{\"id\":3,\"command\":\"mount\",\"args\":{\"address\":\"$B\"}}" > /out/p2-mount.json
_ns() { [ -n "$(ls /dev/nvme*n1 2>/dev/null)" ]; }
grep -q '"ok":true' /out/p2-mount.json && [ "$(pci_driver "$B")" = nvme ] && wait_for 15 _ns && pass reboot-mount-nvme ||
    fail reboot-mount-nvme "driver $(pci_driver "$B"): $(head -c 600 /out/p2-mount.json)"
serve_req '{"id":4,"command":"pool","args":{}}' > /out/p2-pool-after.json
[ ! -e $P/ddabridge/vfio-pci.conf ] && [ ! -e $P/udev/rules.d/40-ddabridge-vfio.rules ] &&
    grep -q '"persisted":\[\]' /out/p2-pool-after.json && pass reboot-unpersisted ||
    fail reboot-unpersisted "$(ls -lR $P | tr '\n' ' ' | head -c 400)"
serve_stop
sync
finish
