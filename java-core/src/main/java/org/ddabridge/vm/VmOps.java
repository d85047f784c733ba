package org.ddabridge.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.PciAddress;

/**
 * Attach and detach of one IOMMU group, engine-independent: plan, then each step journaled before and after it
 * runs ({@link StepLog}), and on a failure the steps that ran are undone in reverse order before the failure is
 * rethrown. {@code whatIf} plans and changes nothing.
 */
public final class VmOps {
    private VmOps() {
    }

    /** Where the engine journals steps (its state file); {@link #NONE} for tests and what-if. */
    public interface StepLog {
        void pending(VmStep step);

        void done(VmStep step);

        void failed(VmStep step, String error);

        void undone(VmStep step);

        void undoFailed(VmStep step, String error);
    }

    /** A log that records nothing. */
    public static final StepLog NONE = new StepLog() {
        @Override
        public void pending(VmStep step) {
        }

        @Override
        public void done(VmStep step) {
        }

        @Override
        public void failed(VmStep step, String error) {
        }

        @Override
        public void undone(VmStep step) {
        }

        @Override
        public void undoFailed(VmStep step, String error) {
        }
    };

    /**
     * What an attach did.
     *
     * @param vm      the VM
     * @param steps   the planned steps (all of them ran unless {@code whatIf})
     * @param whatIf  nothing was changed
     */
    public record Attached(VmRef vm, List<VmStep> steps, boolean whatIf) {
        public Attached {
            steps = List.copyOf(steps);
        }
    }

    /** Gives {@code group} to the VM behind {@code backend}. */
    public static Attached attach(VmBackend backend, List<PciAddress> group, long mmio64Kib, boolean whatIf, StepLog log) {
        List<VmStep> plan = backend.planAttach(group, mmio64Kib);
        if (whatIf) {
            return new Attached(backend.ref(), plan, true);
        }
        List<VmStep> ran = new ArrayList<>();
        for (VmStep s : plan) {
            log.pending(s);
            try {
                backend.run(s);
            } catch (RuntimeException e) {
                log.failed(s, e.getMessage());
                rollback(backend, ran, log);
                throw e;
            }
            log.done(s);
            ran.add(s);
        }
        return new Attached(backend.ref(), plan, false);
    }

    /** Undoes steps that ran, newest first; failures are logged and do not stop the others. */
    public static void rollback(VmBackend backend, List<VmStep> ran, StepLog log) {
        for (int i = ran.size() - 1; i >= 0; i--) {
            VmStep s = ran.get(i);
            try {
                backend.undo(s);
                log.undone(s);
            } catch (RuntimeException e) {
                log.undoFailed(s, e.getMessage());
            }
        }
    }

    /** Takes {@code group} from the VM; {@code whatIf} only reports which of its functions the VM has. */
    public static VmBackend.Detached detach(VmBackend backend, List<PciAddress> group, Duration limit, boolean whatIf) {
        if (whatIf) {
            List<PciAddress> have = backend.attached();
            return new VmBackend.Detached(group.stream().filter(have::contains).sorted().toList(), List.of());
        }
        return backend.detach(group, limit);
    }
}
