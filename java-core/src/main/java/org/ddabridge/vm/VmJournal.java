package org.ddabridge.vm;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.PciAddress;

/**
 * The journal of the last VM operation, {@code <stateDir>/vm-state.json}, written like the assignment journal:
 * each save goes to a temporary file, is forced to disk and renamed atomically over the old one, so a crash leaves
 * the old or the new state. Steps are saved {@code pending} before they run and {@code done} after, so
 * {@code repair} knows what a killed {@code vm-add} may have done.
 */
public final class VmJournal implements VmOps.StepLog {
    public static final String FILE = "vm-state.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private final Path dir;
    private Operation op;

    public VmJournal(Path stateDir) {
        this.dir = stateDir;
    }

    /** One operation: its VM, its steps and how it ended. */
    public static final class Operation {
        public String kind;
        /** running, done, rolledBack, rollbackFailed, repaired. */
        public String status;
        public String vmType;
        public String vmSocket;
        public String vmUri;
        public String vmName;
        public String started;
        public String finished;
        public String failure;
        public List<Step> steps = new ArrayList<>();

        public boolean needsRepair() {
            return "running".equals(status) || "rollbackFailed".equals(status);
        }

        public VmRef vm() {
            return "qmp".equals(vmType) ? new VmRef.Qmp(Path.of(vmSocket)) : new VmRef.Domain(vmUri, vmName);
        }
    }

    /** One journaled step (a {@link VmStep} and its state: pending, done, failed, undone, undoFailed). */
    public static final class Step {
        public String action;
        public String host;
        public String detail;
        public long value;
        public long previous;
        public String state;
        public String error;

        VmStep toStep() {
            return new VmStep(VmStep.Action.valueOf(action), host == null ? null : VmException.address(host), detail, value, previous);
        }

        boolean is(VmStep s) {
            return action.equals(s.action().name()) && java.util.Objects.equals(host, s.host() == null ? null : s.host().toString())
                    && java.util.Objects.equals(detail, s.detail());
        }
    }

    /** The stored operation, or null when there is none. */
    public Operation load() {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), Operation.class);
        } catch (IOException | JsonParseException e) {
            throw new VmException(VmErrorId.IoFailure, "cannot read the VM journal " + f + ": " + e.getMessage(), null, e);
        }
    }

    /** Starts journaling a new operation (saved at once, status running). */
    public void begin(String kind, VmRef vm) {
        op = new Operation();
        op.kind = kind;
        op.status = "running";
        op.started = Instant.now().toString();
        if (vm instanceof VmRef.Qmp q) {
            op.vmType = "qmp";
            op.vmSocket = q.socket().toString();
        } else {
            VmRef.Domain d = (VmRef.Domain) vm;
            op.vmType = "libvirt";
            op.vmUri = d.uri();
            op.vmName = d.name();
        }
        save();
    }

    /** Continues an operation loaded from disk (repair). */
    public void resume(Operation loaded) {
        op = loaded;
    }

    public void finish(String status, String failure) {
        op.status = status;
        op.failure = failure;
        op.finished = Instant.now().toString();
        save();
    }

    private Step find(VmStep s) {
        for (Step j : op.steps) {
            if (j.is(s)) {
                return j;
            }
        }
        Step j = new Step();
        j.action = s.action().name();
        j.host = s.host() == null ? null : s.host().toString();
        j.detail = s.detail();
        j.value = s.value();
        j.previous = s.previous();
        op.steps.add(j);
        return j;
    }

    private void mark(VmStep s, String state, String error) {
        Step j = find(s);
        j.state = state;
        j.error = error;
        save();
    }

    @Override
    public void pending(VmStep s) {
        mark(s, "pending", null);
    }

    @Override
    public void done(VmStep s) {
        mark(s, "done", null);
    }

    @Override
    public void failed(VmStep s, String error) {
        mark(s, "failed", error);
    }

    @Override
    public void undone(VmStep s) {
        mark(s, "undone", null);
    }

    @Override
    public void undoFailed(VmStep s, String error) {
        mark(s, "undoFailed", error);
    }

    /** Steps that may have taken effect (pending: killed before it was marked; done; undo failed). */
    public static List<VmStep> mayHaveRun(Operation o) {
        List<VmStep> out = new ArrayList<>();
        for (Step s : o.steps) {
            if ("pending".equals(s.state) || "done".equals(s.state) || "failed".equals(s.state) || "undoFailed".equals(s.state)) {
                out.add(s.toStep());
            }
        }
        return out;
    }

    private void save() {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            byte[] data = GSON.toJson(op).getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new VmException(VmErrorId.IoFailure, "cannot write the VM journal in " + dir + ": " + e.getMessage(), null, e);
        }
    }
}
