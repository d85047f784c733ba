#!/bin/bash
# Shared host-side helpers for the DdaBridge e2e harness. Sourced, not executed.
# Host side never touches sysfs or PCI devices: everything PCI-related happens in the guest.

E2E_DIR=${E2E_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
REPO_ROOT=${REPO_ROOT:-$(cd "$E2E_DIR/../.." && pwd)}
E2E_CACHE=${DDABRIDGE_E2E_CACHE:-${HOME:-/root}/.cache/ddabridge-e2e}
E2E_MARKER=ddabridge_e2e_guest=1

e2e_log()  { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
e2e_die()  { e2e_log "ERROR: $*"; exit 2; }

# e2e_need_pkgs pkg ... -> apt-get installs the Debian packages that are not installed yet
# (root, non-interactive, 'apt-get update' first). Fast no-op when everything is present.
e2e_pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
e2e_need_pkgs() {
    local missing=() pkg
    for pkg in "$@"; do e2e_pkg_installed "$pkg" || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    e2e_log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >&2 || e2e_die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2 \
        || e2e_die "apt-get install ${missing[*]} failed"
}

# QEMU (TCG), a static busybox for the initramfs, cpio, kmod (depmod/modprobe -d), xz (the second-level
# guest's uncompressed kernel). libvirt for the vm cases: the guest runs the host's libvirtd and virsh from the
# shared /usr and /etc (libvirt-daemon-system creates the libvirt-qemu user the QEMU driver insists on), and the
# engine loads libvirt0 through JNA.
e2e_host_tools() {
    e2e_need_pkgs qemu-system-x86 busybox-static cpio kmod xz-utils \
        libvirt0 libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt-daemon-system
}
