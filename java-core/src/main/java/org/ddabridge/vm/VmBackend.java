package org.ddabridge.vm;

import java.time.Duration;
import java.util.List;

/** A VM the engine can give host functions to: a QEMU through QMP ({@link QmpBackend}) or a libvirt domain ({@link LibvirtBackend}). */
public interface VmBackend extends AutoCloseable {
    /** The VM. */
    VmRef ref();

    /** Its state in a word ({@code running}, {@code prelaunch}, {@code shutoff}, ...). */
    String state();

    /** Host functions the VM has now (live, and for libvirt also in the persistent definition). */
    List<PciBdf> attached();

    /**
     * The steps that give the VM these functions (one IOMMU group); {@code mmio64Kib} is the 64-bit MMIO the
     * group needs (0: unknown or none). Throws {@code AlreadyAttached}, {@code NoFreeHotplugSlot}, ...
     */
    List<VmStep> planAttach(List<PciBdf> group, long mmio64Kib);

    /** Runs one planned step. */
    void run(VmStep step);

    /** Undoes one step that ran (best effort for live removals, which need the guest's consent). */
    void undo(VmStep step);

    /** Takes these functions away and waits up to {@code limit} for the VM to let go of them. */
    Detached detach(List<PciBdf> group, Duration limit);

    /**
     * The outcome of a removal.
     *
     * @param removed functions the VM no longer has
     * @param pending functions whose removal the VM has not completed yet (its guest has not answered)
     */
    record Detached(List<PciBdf> removed, List<PciBdf> pending) {
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
