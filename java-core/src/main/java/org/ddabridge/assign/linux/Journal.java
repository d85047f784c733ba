package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonParseException;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.util.Json;
/**
 * The assignment state: the pool (what each held function was before) and the journal of the last
 * operation, in one small JSON file {@code <stateDir>/state.json}. Every save is durable before it
 * returns: write a temporary file, {@code FileChannel.force}, rename it atomically over the old one,
 * then {@code force} the directory, so a crash leaves either the old or the new file, never half of one.
 */
public final class Journal {
    /** The file name under the state directory. */
    public static final String FILE = "state.json";
    private final Path dir;

    public Journal(Path stateDir) {
        this.dir = stateDir;
    }

    public Path dir() {
        return dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** The whole state. */
    public static final class State {
        public int version = 1;
        /** Held functions by address. */
        public Map<String, PoolEntry> pool = new TreeMap<>();
        /** The last (or the running) operation; null before the first one. */
        public Operation operation;
    }

    /** What a held function was before it was dismounted. */
    public static final class PoolEntry {
        public String address;
        public String originalDriver;
        public String originalOverride;
        public Integer group;
        public String since;
        public String operation;
        /** True when the assignment is persisted for the next boots; false for a transient one; null: older state. */
        public Boolean persistent;
    }

    /** One dismount, mount or repair: its devices' before/after states and every step. */
    public static final class Operation {
        public String id;
        public String kind;
        /** running, done, rolledBack, rollbackFailed, repaired. */
        public String status;
        public String started;
        public String finished;
        public List<DeviceState> devices = new ArrayList<>();
        public List<Step> steps = new ArrayList<>();
        public String failure;

        /** The one test for "this operation did not finish": it was interrupted or its rollback failed. */
        public boolean needsRepair() {
            return "running".equals(status) || "rollbackFailed".equals(status);
        }
    }

    /** True when the state's last operation must be repaired before anything else runs. */
    public static boolean needsRepair(State state) {
        return state.operation != null && state.operation.needsRepair();
    }

    /** A function's driver state before and (intended) after the operation. */
    public static final class DeviceState {
        public String address;
        public Integer group;
        public String beforeDriver;
        public String beforeOverride;
        public String afterDriver;
        public String afterOverride;
        /** Whether the function was in the persisted list before; null when the operation leaves the list alone. */
        public Boolean beforePersisted;
        /** Whether it is meant to be in the list after; null when the operation leaves the list alone. */
        public Boolean afterPersisted;

        /** This state with the persisted list's before and after (both null: not touched). */
        public DeviceState persisted(Boolean before, Boolean after) {
            beforePersisted = before;
            afterPersisted = after;
            return this;
        }

        public static DeviceState of(String address, Integer group, String beforeDriver, String beforeOverride,
                String afterDriver, String afterOverride) {
            DeviceState ds = new DeviceState();
            ds.address = address;
            ds.group = group;
            ds.beforeDriver = beforeDriver;
            ds.beforeOverride = beforeOverride;
            ds.afterDriver = afterDriver;
            ds.afterOverride = afterOverride;
            return ds;
        }
    }

    /** One journaled step: {@code pending} is written (and synced) before it runs, {@code done} after. */
    public static final class Step {
        public int index;
        public String action;
        public String address;
        public String value;
        /** pending, done, failed, undone (rollback/repair actions are steps of their own). */
        public String state;
        public String at;
        public String error;
    }

    /** The stored state, or an empty one when there is none yet. */
    public State load() {
        Path f = file();
        if (!Files.exists(f)) {
            return new State();
        }
        try {
            State s = Json.compact().fromJson(Files.readString(f, StandardCharsets.UTF_8), State.class);
            if (s == null) {
                return new State();
            }
            if (s.pool == null) {
                s.pool = new TreeMap<>();
            }
            return s;
        } catch (IOException | JsonParseException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot read the assignment journal " + f + ": "
                    + e.getMessage(), f.toString());
        }
    }

    /** Writes the state durably (see the class comment). */
    public void save(State state) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            byte[] data = Json.pretty().toJson(state).getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
            syncDir(dir);
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot write the assignment journal in " + dir + ": "
                    + e.getMessage(), dir.toString());
        }
    }

    /** fsync of the directory so the rename itself survives a power loss (Linux allows opening dirs). */
    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every OS/filesystem can sync a directory; the file itself is already synced.
        }
    }
}
