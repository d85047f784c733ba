#!/bin/sh
# DdaBridge: persisted vfio-pci assignments (written by 'ddabridge dismount', removed by 'ddabridge mount').
# initramfs-tools init-top script: runs before udev starts in the initramfs, so the functions listed in
# /etc/ddabridge/vfio-pci.conf (copied in by the hook of the same name) get driver_override=vfio-pci
# before any host driver (nvme, e1000e, amdgpu...) is loaded and can claim them. A function whose vendor
# and device ids no longer match the recorded ones is left alone.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in
prereqs) prereqs; exit 0 ;;
esac

conf=${DDABRIDGE_VFIO_CONF:-/etc/ddabridge/vfio-pci.conf}
[ -r "$conf" ] || exit 0
taken=
while read -r addr ids rest; do
    case "$addr" in
    '' | '#'*) continue ;;
    esac
    dev=/sys/bus/pci/devices/$addr
    [ -w "$dev/driver_override" ] || continue
    if [ -n "$ids" ]; then
        read -r v < "$dev/vendor"; read -r d < "$dev/device"
        [ "$v:$d" = "0x${ids%%:*}:0x${ids#*:}" ] || continue
    fi
    echo vfio-pci > "$dev/driver_override"
    if [ -e "$dev/driver" ]; then
        # a built-in host driver was faster: take the function back from it
        drv=$(readlink "$dev/driver")
        [ "${drv##*/}" = vfio-pci ] || echo "$addr" > "$dev/driver/unbind"
    fi
    taken="$taken $addr"
done < "$conf"
[ -n "$taken" ] || exit 0
modprobe vfio-pci 2> /dev/null
for addr in $taken; do
    [ -e "/sys/bus/pci/devices/$addr/driver" ] || echo "$addr" > /sys/bus/pci/drivers_probe
done
exit 0
