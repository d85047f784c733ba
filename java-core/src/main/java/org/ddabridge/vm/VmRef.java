package org.ddabridge.vm;

import java.nio.file.Path;

/**
 * Which VM a request means: {@code qmp:/path/to.sock} (a QEMU without libvirt, through its QMP socket) or a libvirt
 * domain name ({@code libvirt:NAME} or plain {@code NAME}) on a connection URI ({@code qemu:///system} by default).
 */
public sealed interface VmRef permits VmRef.Qmp, VmRef.Domain {
    /** A QEMU's QMP socket. */
    record Qmp(Path socket) implements VmRef {
        @Override
        public String display() {
            return "qmp:" + socket;
        }
    }

    /** A libvirt domain. */
    record Domain(String uri, String name) implements VmRef {
        @Override
        public String display() {
            return name;
        }
    }

    /** How results and messages name the VM: {@code qmp:/run/vm.sock} or the domain name. */
    String display();

    /** Parses {@code --vm}; {@code uri} (may be null: {@code qemu:///system}) applies to libvirt names only. */
    static VmRef parse(String vm, String uri) {
        String v = vm == null ? "" : vm.trim();
        if (v.startsWith("qmp:")) {
            String p = v.substring(4);
            if (p.isEmpty() || !p.startsWith("/")) {
                throw new VmException(VmErrorId.InvalidVmReference, "--vm qmp: needs an absolute socket path, got '" + vm + "'");
            }
            return new Qmp(Path.of(p));
        }
        if (v.startsWith("libvirt:")) {
            v = v.substring(8);
        }
        if (v.isEmpty() || v.contains("/") || v.chars().anyMatch(Character::isISOControl)) {
            throw new VmException(VmErrorId.InvalidVmReference,
                    "--vm wants a libvirt domain name or qmp:/path/to.sock, got '" + vm + "'");
        }
        return new Domain(uri == null || uri.isBlank() ? LibvirtApi.DEFAULT_URI : uri, v);
    }
}
