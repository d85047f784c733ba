package org.ddabridge.vm;

import java.time.Duration;
import java.util.List;

import org.ddabridge.model.PciAddress;

/** A VM the engine can give host functions to: a QEMU through QMP ({@link QmpBackend}) or a libvirt domain ({@link LibvirtBackend}). */
public interface VmBackend extends AutoCloseable {
    /** The VM. */
    VmRef ref();

    /** Its state in a word ({@code running}, {@code prelaunch}, {@code shutoff}, ...). */
    String state();

    /** Host functions the VM has now (live, and for libvirt also in the persistent definition). */
    List<PciAddress> attached();

    /**
     * The steps that give the VM these functions (one IOMMU group); {@code mmio64Kib} is the 64-bit MMIO the
     * group needs (0: unknown or none). Throws {@code AlreadyAttached}, {@code NoFreeHotplugSlot}, ...
     */
    List<VmStep> planAttach(List<PciAddress> group, long mmio64Kib);

    /**
     * What the user should know before these functions go in (e.g. a running domain whose 64-bit PCI hole is smaller
     * than {@code mmio64Kib} until its next start); may refuse with a {@link VmException}. Nothing by default.
     */
    default List<String> attachWarnings(List<PciAddress> group, long mmio64Kib) {
        return List.of();
    }

    /** Applies Microsoft's DDA VM settings ({@code vm-set}); a QEMU without libvirt fixes them at its start. */
    default VmSettings.Result applySettings(VmSettings settings, boolean whatIf) {
        throw new VmException(VmErrorId.SettingNotApplicable, ref().display() + " is a QEMU without libvirt: its 64-bit PCI"
                + " hole is fixed when it starts (-global q35-pcihost.pci-hole64-size=SIZE); nothing can be set on it now");
    }

    /** The VM's UUID when the backend knows one (libvirt), else null. */
    default String uuid() {
        return null;
    }

    /** The 64-bit PCI hole the VM has now in KiB (libvirt: its {@code <pcihole64>} or QEMU's q35 default), else null. */
    default Long pciHole64Kib() {
        return null;
    }

    /** Runs one planned step. */
    void run(VmStep step);

    /** Undoes one step that ran (best effort for live removals, which need the guest's consent). */
    void undo(VmStep step);

    /** Takes these functions away and waits up to {@code limit} for the VM to let go of them. */
    Detached detach(List<PciAddress> group, Duration limit);

    /**
     * The outcome of a removal.
     *
     * @param removed functions the VM no longer has
     * @param pending functions whose removal the VM has not completed yet (its guest has not answered)
     */
    record Detached(List<PciAddress> removed, List<PciAddress> pending) {
        public Detached {
            removed = List.copyOf(removed);
            pending = List.copyOf(pending);
        }
    }

    /** Opens the backend for a reference. */
    static VmBackend open(VmRef ref) {
        if (ref instanceof VmRef.Qmp q) {
            return QmpBackend.open(q);
        }
        return LibvirtBackend.open((VmRef.Domain) ref);
    }

    @Override
    void close();
}
