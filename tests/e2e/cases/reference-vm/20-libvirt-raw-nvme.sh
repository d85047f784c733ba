# Raw virsh (no engine): the NVMe, on vfio-pci, attached to the libvirt domain as <hostdev managed='no'>
# live and persistent: both XMLs show it, QEMU's query-pci shows 1b36:0010, the domain's QEMU (-name
# guest=vmtest) holds /dev/vfio/<group>. Detach removes it from both XMLs and from query-pci; the device
# stays on vfio-pci (libvirt does not rebind managed='no' devices).
# e2e-timeout: 1100
# e2e-expect: libvirt-raw-l2-booted libvirt-raw-attach libvirt-raw-live-xml libvirt-raw-config-xml libvirt-raw-query-pci-shows
# e2e-expect: libvirt-raw-holder-named libvirt-raw-detach libvirt-raw-live-xml-gone libvirt-raw-config-xml-gone
# e2e-expect: libvirt-raw-gone-from-query-pci libvirt-raw-still-vfio libvirt-raw-nvme-back
. /out/lib.sh; . /out/vm-lib.sh
set -- $(pci_find 1b36:0010); B=$1; G=$(pci_group "$B")
D=$L2_DOMAIN
bus=$(echo "$B" | cut -d: -f2); slot=$(echo "$B" | cut -d: -f3 | cut -d. -f1); fn=${B##*.}
cat > /jroot/tmp/hostdev.xml <<XEOF
<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x$bus' slot='0x$slot' function='0x$fn'/></source></hostdev>
XEOF
bind_vfio "$B" || fail libvirt-raw-attach "cannot bind $B to vfio-pci"
t0=$(vm_now)
if l2_ready $L2_DOMAIN_LOG 1000; then pass libvirt-raw-l2-booted; else fail libvirt-raw-l2-booted "no marker: $(tail -c 300 /jroot$L2_DOMAIN_LOG | tr '\n' ' ')"; fi
vm_info "libvirt vm: second-level kernel up at guest uptime $(vm_now) (waited $(elapsed2 $t0 $(vm_now)) s here); $(grep -a 'L2: init up' /jroot$L2_DOMAIN_LOG)"
t1=$(vm_now)
virsh attach-device $D /tmp/hostdev.xml --live --config > /out/l-attach.out 2>&1
rc=$?; t2=$(vm_now)
[ $rc = 0 ] && grep -q 'attached successfully' /out/l-attach.out && pass libvirt-raw-attach || fail libvirt-raw-attach "rc=$rc $(cat /out/l-attach.out)"
vm_info "libvirt vm: attach-device --live --config in $(elapsed2 $t1 $t2) s (incl. virsh start)"
_src() { grep -q "<address domain='0x0000' bus='0x$bus' slot='0x$slot' function='0x$fn'/>" "$1"; }
virsh dumpxml $D > /out/l-live.xml 2>&1
grep -q "<hostdev mode='subsystem' type='pci' managed='no'>" /out/l-live.xml && _src /out/l-live.xml && pass libvirt-raw-live-xml ||
    fail libvirt-raw-live-xml "$(grep -A6 '<hostdev' /out/l-live.xml | tr '\n' ' ')"
virsh dumpxml $D --inactive > /out/l-config.xml 2>&1
grep -q "<hostdev mode='subsystem' type='pci' managed='no'>" /out/l-config.xml && _src /out/l-config.xml && pass libvirt-raw-config-xml ||
    fail libvirt-raw-config-xml "$(grep -A6 '<hostdev' /out/l-config.xml | tr '\n' ' ')"
_in_l2() { virsh qemu-monitor-command $D '{"execute":"query-pci"}' | pci_flat > /out/l-pci.txt; grep -q ' 1b36:0010 ' /out/l-pci.txt; }
wait_for 60 _in_l2 && pass libvirt-raw-query-pci-shows || fail libvirt-raw-query-pci-shows "$(tr '\n' ';' < /out/l-pci.txt)"
echo "INFO query-pci: $(grep 1b36:0010 /out/l-pci.txt)"
vfio_holders "$G" > /out/l-holders.txt
hp=$(cut -d' ' -f1 /out/l-holders.txt | head -n1)
[ -n "$hp" ] && tr '\0' ' ' < /proc/$hp/cmdline | grep -q -- "-name guest=$D," && pass libvirt-raw-holder-named ||
    fail libvirt-raw-holder-named "holders: $(cat /out/l-holders.txt); cmdline: $(tr '\0' ' ' < /proc/$hp/cmdline 2>/dev/null | cut -c1-200)"
t3=$(vm_now)
virsh detach-device $D /tmp/hostdev.xml --live --config > /out/l-detach.out 2>&1
rc=$?; t4=$(vm_now)
[ $rc = 0 ] && pass libvirt-raw-detach || fail libvirt-raw-detach "rc=$rc $(cat /out/l-detach.out)"
vm_info "libvirt vm: detach-device returned in $(elapsed2 $t3 $t4) s: $(tr '\n' ' ' < /out/l-detach.out)"
_live_gone() { virsh dumpxml $D > /out/l-live2.xml 2>&1; ! grep -q '<hostdev' /out/l-live2.xml; }
wait_for 60 _live_gone && pass libvirt-raw-live-xml-gone || fail libvirt-raw-live-xml-gone "still in the live XML"
vm_info "libvirt vm: live XML without the hostdev $(elapsed2 $t3 $(vm_now)) s after detach-device started"
virsh dumpxml $D --inactive > /out/l-config2.xml 2>&1
grep -q '<hostdev' /out/l-config2.xml && fail libvirt-raw-config-xml-gone "still in the persistent XML" || pass libvirt-raw-config-xml-gone
virsh qemu-monitor-command $D '{"execute":"query-pci"}' | pci_flat > /out/l-pci2.txt
grep -q ' 1b36:0010 ' /out/l-pci2.txt && fail libvirt-raw-gone-from-query-pci "$(tr '\n' ';' < /out/l-pci2.txt)" || pass libvirt-raw-gone-from-query-pci
check_eq libvirt-raw-still-vfio vfio-pci "$(pci_driver "$B")"
unbind_vfio "$B"
wait_for 10 _driver_is "$B" nvme && pass libvirt-raw-nvme-back || fail libvirt-raw-nvme-back "driver $(pci_driver "$B")"
finish
