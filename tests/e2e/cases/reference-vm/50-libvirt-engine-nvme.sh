# Engine, libvirt: dismount the NVMe, vm-add to the domain (live and persistent XML show the hostdev, managed='no';
# QEMU's query-pci shows 1b36:0010), mount refused naming the domain, vm-remove removes it from both XMLs and from
# query-pci; the device stays on vfio-pci; then mount works.
# e2e-timeout: 500
# e2e-expect: libvirt-engine-dismount libvirt-engine-vm-add libvirt-engine-live-xml libvirt-engine-config-xml
# e2e-expect: libvirt-engine-query-pci-shows libvirt-engine-l2-kernel-sees libvirt-engine-mount-refused libvirt-engine-vm-list
# e2e-expect: libvirt-engine-vm-remove
# e2e-expect: libvirt-engine-xml-gone libvirt-engine-still-vfio libvirt-engine-mount-after
. /out/lib.sh; . /out/assign-lib.sh; . /out/vm-lib.sh
need_jar libvirt-engine-dismount libvirt-engine-vm-add libvirt-engine-live-xml libvirt-engine-config-xml \
    libvirt-engine-query-pci-shows libvirt-engine-l2-kernel-sees libvirt-engine-mount-refused libvirt-engine-vm-list libvirt-engine-vm-remove \
    libvirt-engine-xml-gone libvirt-engine-still-vfio libvirt-engine-mount-after
set -- $(pci_find 1b36:0010); B=$1
D=$L2_DOMAIN
bus=$(echo "$B" | cut -d: -f2); slot=$(echo "$B" | cut -d: -f3 | cut -d. -f1); fn=${B##*.}
_src() { grep -q "<address domain='0x0000' bus='0x$bus' slot='0x$slot' function='0x$fn'/>" "$1"; }
l2_ready $L2_DOMAIN_LOG 300 || echo "INFO libvirt vm not booted"
DB dismount "$B" --json --state-dir $DB_SD > /out/le-dismount.json 2>&1 && [ "$(pci_driver "$B")" = vfio-pci ] &&
    pass libvirt-engine-dismount || fail libvirt-engine-dismount "$(head -c 300 /out/le-dismount.json)"
n0=$(l2_lines $L2_DOMAIN_LOG)
t0=$(vm_now)
DB vm-add "$B" --vm $D --json --state-dir $DB_SD > /out/le-add.json 2>&1; rc=$?
vm_info "engine vm-add (libvirt) $(elapsed2 $t0 $(vm_now)) s"
[ $rc = 0 ] && pass libvirt-engine-vm-add || fail libvirt-engine-vm-add "rc=$rc $(head -c 400 /out/le-add.json | tr '\n' ' ')"
virsh dumpxml $D > /out/le-live.xml 2>&1
grep -q "managed='no'" /out/le-live.xml && _src /out/le-live.xml && pass libvirt-engine-live-xml || fail libvirt-engine-live-xml "$(grep -A5 '<hostdev' /out/le-live.xml | tr '\n' ' ')"
virsh dumpxml $D --inactive > /out/le-config.xml 2>&1
grep -q "managed='no'" /out/le-config.xml && _src /out/le-config.xml && pass libvirt-engine-config-xml || fail libvirt-engine-config-xml "$(grep -A5 '<hostdev' /out/le-config.xml | tr '\n' ' ')"
_in_l2() { virsh qemu-monitor-command $D '{"execute":"query-pci"}' | pci_flat > /out/le-pci.txt; grep -q ' 1b36:0010 ' /out/le-pci.txt; }
wait_for 60 _in_l2 && pass libvirt-engine-query-pci-shows || fail libvirt-engine-query-pci-shows "$(tr '\n' ';' < /out/le-pci.txt)"
l2_sees $L2_DOMAIN_LOG $n0 0x1b36:0x0010 && pass libvirt-engine-l2-kernel-sees ||
    fail libvirt-engine-l2-kernel-sees "no 'L2: pci' line with 0x1b36:0x0010 after the add: $(tail -n 2 /jroot$L2_DOMAIN_LOG | tr '\n' ' ' | cut -c1-300)"
DB mount "$B" --json --state-dir $DB_SD > /out/le-mount-refused.json 2>&1; rc=$?
[ $rc = 6 ] && json_has /out/le-mount-refused.json '"DeviceHeldByVm"' && json_has /out/le-mount-refused.json "$D" &&
    pass libvirt-engine-mount-refused || fail libvirt-engine-mount-refused "rc=$rc $(head -c 400 /out/le-mount-refused.json | tr '\n' ' ')"
DB vm-list --vm $D --json > /out/le-list.json 2>&1
json_has /out/le-list.json "\"$B\"" && pass libvirt-engine-vm-list || fail libvirt-engine-vm-list "$(head -c 400 /out/le-list.json | tr '\n' ' ')"
t0=$(vm_now)
DB vm-remove "$B" --vm $D --timeout 150 --json --state-dir $DB_SD > /out/le-remove.json 2>&1; rc=$?
vm_info "engine vm-remove (libvirt) $(elapsed2 $t0 $(vm_now)) s"
[ $rc = 0 ] && pass libvirt-engine-vm-remove || fail libvirt-engine-vm-remove "rc=$rc $(head -c 400 /out/le-remove.json | tr '\n' ' ')"
virsh dumpxml $D > /out/le-live2.xml 2>&1; virsh dumpxml $D --inactive > /out/le-config2.xml 2>&1
virsh qemu-monitor-command $D '{"execute":"query-pci"}' | pci_flat > /out/le-pci2.txt
! grep -q '<hostdev' /out/le-live2.xml && ! grep -q '<hostdev' /out/le-config2.xml && ! grep -q ' 1b36:0010 ' /out/le-pci2.txt &&
    pass libvirt-engine-xml-gone || fail libvirt-engine-xml-gone "live $(grep -c '<hostdev' /out/le-live2.xml), config $(grep -c '<hostdev' /out/le-config2.xml), pci $(grep -c 1b36:0010 /out/le-pci2.txt)"
check_eq libvirt-engine-still-vfio vfio-pci "$(pci_driver "$B")"
DB mount "$B" --json --state-dir $DB_SD > /out/le-mount.json 2>&1; rc=$?
[ $rc = 0 ] && wait_for 10 _driver_is "$B" nvme && pass libvirt-engine-mount-after || fail libvirt-engine-mount-after "rc=$rc $(head -c 300 /out/le-mount.json | tr '\n' ' ')"
finish
