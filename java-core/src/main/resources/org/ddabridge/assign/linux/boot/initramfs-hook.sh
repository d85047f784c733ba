#!/bin/sh
# DdaBridge: puts the persisted vfio-pci assignments into the initramfs (initramfs-tools hook), so they
# hold even when the host driver of a function is in the initramfs: the list, the udev rule and vfio-pci.
# The init-top script of the same name applies the list before udev starts.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in
prereqs) prereqs; exit 0 ;;
esac
. /usr/share/initramfs-tools/hook-functions

[ -r /etc/ddabridge/vfio-pci.conf ] || exit 0
copy_file config /etc/ddabridge/vfio-pci.conf /etc/ddabridge/vfio-pci.conf
copy_file rule /etc/udev/rules.d/40-ddabridge-vfio.rules /etc/udev/rules.d/40-ddabridge-vfio.rules
manual_add_modules vfio-pci
exit 0
