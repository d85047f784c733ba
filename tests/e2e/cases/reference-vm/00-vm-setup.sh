# Starts the second-level VMs every later vm case uses (they outlive this case: own sessions):
# a plain QEMU with QMP and two empty pcie-root-ports, and libvirtd with a running domain of the same shape.
# Both second-level kernels boot in the background while the next cases wait for them.
# e2e-timeout: 600
# e2e-expect: qmp-vm-started libvirtd-up libvirt-domain-running
. /out/lib.sh; . /out/vm-lib.sh
: > /out/vm-times.txt
tv=$(vm_now); jroot_run /usr/bin/qemu-system-x86_64 --version > /dev/null 2>&1
vm_info "qemu --version in the guest: $(elapsed2 $tv $(vm_now)) s (program start alone)"
t0=$(vm_now)
if l2_qmp_start > /out/l2-qmp-start.out 2>&1 && test -S /jroot$L2_QMP_SOCK; then
    pass qmp-vm-started
else
    fail qmp-vm-started "$(tr '\n' ' ' < /out/l2-qmp-start.out | cut -c1-300)"
fi
t1=$(vm_now)
vm_info "qmp vm: qemu started in $(elapsed2 $t0 $t1) s"
if libvirtd_start; then
    pass libvirtd-up
else
    fail libvirtd-up "no /run/libvirt/libvirt-sock; $(tail -n 5 /jroot/tmp/libvirtd.out /out/libvirtd.log 2>/dev/null | tr '\n' ' ' | cut -c1-400)"
fi
t2=$(vm_now)
vm_info "libvirtd: socket up in $(elapsed2 $t1 $t2) s"
if libvirt_domain_start > /out/l2-libvirt-start.out 2>&1 && virsh domstate $L2_DOMAIN 2>/dev/null | grep -q running; then
    pass libvirt-domain-running
else
    fail libvirt-domain-running "$(tr '\n' ' ' < /out/l2-libvirt-start.out | cut -c1-400) $(tail -n 5 /out/libvirtd.log 2>/dev/null | tr '\n' ' ' | cut -c1-300)"
fi
t3=$(vm_now)
vm_info "libvirt domain: define + start in $(elapsed2 $t2 $t3) s"
finish
