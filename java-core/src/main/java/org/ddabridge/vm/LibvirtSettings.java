package org.ddabridge.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ddabridge.driver.linux.Libvirt;

/**
 * Microsoft's four DDA VM settings on a libvirt domain ({@code vm-set}). Only one of them has a per-domain
 * libvirt equivalent: {@code -HighMemoryMappedIoSpace} is the root PCI controller's {@code <pcihole64>} in the
 * persistent definition (QEMU fixes its 64-bit PCI hole when the VM starts, so a running domain gets it at its
 * next start). For the other three the outcome says plainly what governs the behaviour instead and changes nothing.
 */
final class LibvirtSettings {
    private LibvirtSettings() {
    }

    static final String LOW_NOTE = "libvirt has no per-domain size for the 32-bit PCI window: QEMU places it below 4 GiB"
            + " after the guest's low RAM, so nothing was changed; a device whose 32-bit BARs do not fit needs a VM with"
            + " less RAM below 4 GiB (the survey's MmioRequirement reason gives the size).";
    static final String STOP_NOTE = "libvirt has no per-domain host-shutdown action: what running domains do when the"
            + " host shuts down is host-wide, the libvirt-guests service's ON_SHUTDOWN (shutdown or suspend, in"
            + " /etc/default/libvirt-guests); nothing was changed. A domain holding a VFIO device cannot be saved"
            + " (QEMU refuses to migrate a vfio-pci device's state), so ON_SHUTDOWN=shutdown is the setting that matches"
            + " DDA's TurnOff.";
    static final String SAVE_NOTE = STOP_NOTE.replace("so ON_SHUTDOWN=shutdown is the setting that matches DDA's TurnOff.",
            "so Save cannot be honoured while the device is assigned (ON_SHUTDOWN=suspend would fail for this domain).");
    static final String CACHE_NOTE = "KVM needs no setting: it maps an assigned device's memory uncached without"
            + " overriding the guest's page attributes, so the guest itself chooses write-combining where its driver asks.";

    static VmSettings.Result apply(LibvirtApi.Connection conn, String name, VmSettings s, boolean whatIf) {
        Libvirt.Domain d = conn.domain(name);
        boolean live = d.state().live();
        List<VmSettings.Outcome> out = new ArrayList<>();
        if (s.automaticStopAction() != null) {
            out.add(new VmSettings.Outcome("AutomaticStopAction", s.automaticStopAction().name(), VmSettings.Status.noEquivalent,
                    "", s.automaticStopAction() == VmSettings.StopAction.Save ? SAVE_NOTE : STOP_NOTE));
        }
        if (s.guestControlledCacheTypes() != null) {
            out.add(new VmSettings.Outcome("GuestControlledCacheTypes", s.guestControlledCacheTypes().toString(),
                    VmSettings.Status.notNeeded, "", CACHE_NOTE));
        }
        if (s.lowMemoryMappedIoSpace() != null) {
            out.add(new VmSettings.Outcome("LowMemoryMappedIoSpace", mb(s.lowMemoryMappedIoSpace()),
                    VmSettings.Status.noEquivalent, "", LOW_NOTE));
        }
        if (s.highMemoryMappedIoSpace() != null) {
            out.add(high(conn, name, d, live, s.highMemoryMappedIoSpace(), whatIf));
        }
        return new VmSettings.Result(name, d.state().name().toLowerCase(Locale.ROOT), out, whatIf);
    }

    private static VmSettings.Outcome high(LibvirtApi.Connection conn, String name, Libvirt.Domain d, boolean live, long bytes,
            boolean whatIf) {
        long kib = (bytes + 1023) / 1024;
        String as = "<pcihole64 unit='KiB'>" + kib + "</pcihole64>";
        if (!d.persistent()) {
            // a transient domain has only its running QEMU, whose hole cannot change
            throw new VmException(VmErrorId.SettingNotApplicable, "domain '" + name + "' is transient and running: QEMU"
                    + " cannot change its 64-bit PCI hole while it runs, and there is no persistent definition to carry "
                    + as + " (define the domain, or start it with that element)");
        }
        String config = conn.xml(name, true);
        HostdevXml.DomainInfo cfg = HostdevXml.parseDomain(config);
        if (!cfg.canTakePcihole64()) {
            throw new VmException(VmErrorId.SettingNotApplicable, "domain '" + name
                    + "' has no pci-root or pcie-root controller to carry " + as);
        }
        long liveKib = live ? effectiveKib(HostdevXml.parseDomain(conn.xml(name, false))) : kib;
        boolean same = cfg.pcihole64Kib().isPresent() && cfg.pcihole64Kib().getAsLong() == kib;
        if (!same && !whatIf) {
            conn.define(HostdevXml.withPcihole64(config, kib));
        }
        String value = mb(bytes);
        if (live && liveKib != kib) {
            return new VmSettings.Outcome("HighMemoryMappedIoSpace", value, VmSettings.Status.pendingRestart, as,
                    "written to the persistent definition; the running domain keeps its 64-bit PCI hole of "
                            + (liveKib / 1024) + " MiB until its next start (QEMU sets the hole when the VM starts)");
        }
        return new VmSettings.Outcome("HighMemoryMappedIoSpace", value,
                same ? VmSettings.Status.unchanged : VmSettings.Status.applied, as, same ? "the domain already has it" : "");
    }

    /** The 64-bit hole a domain document gives QEMU: its {@code <pcihole64>}, else QEMU's q35 default (0: unknown). */
    static long effectiveKib(HostdevXml.DomainInfo info) {
        if (info.pcihole64Kib().isPresent()) {
            return info.pcihole64Kib().getAsLong();
        }
        return "pcie-root".equals(info.pciRootModel()) ? LibvirtBackend.QEMU_Q35_HOLE64_KIB : 0;
    }

    /** Hyper-V's notation: whole MiB with the MB suffix. */
    static String mb(long bytes) {
        return ((bytes + (1L << 20) - 1) >> 20) + "MB";
    }
}
