package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
/**
 * The assignment state: the pool (what each held function was before) and the journal of the last
 * operation, in one small JSON file {@code <stateDir>/state.json}. Every save is durable before it
 * returns: write a temporary file, {@code FileChannel.force}, rename it atomically over the old one,
 * then {@code force} the directory, so a crash leaves either the old or the new file, never half of one.
 * The file carries a checksum and must pass a schema check ({@link JournalCodec}); every save writes a
 * second copy ({@value #MIRROR}) the same way, so a journal damaged afterwards can be rebuilt by
 * {@code repair} ({@link JournalRecovery}).
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

    /** The second copy every save writes too, for {@code repair} after the first is damaged. */
    public static final String MIRROR = "state.mirror.json";
    /** Prefix of a damaged journal moved aside (kept, never deleted). */
    public static final String CORRUPT_PREFIX = FILE + ".corrupt-";
    /** Suffix a kept copy gets once {@code repair} has rebuilt the journal from it. */
    public static final String REPAIRED_SUFFIX = ".repaired";
    /** A journal is a few KiB; anything far larger is not one. */
    static final long MAX_BYTES = 16 << 20;

    /**
     * The stored state, or an empty one when there is none yet. A damaged journal (bad JSON, checksum
     * mismatch, a field of the wrong type or outside the schema, see {@link JournalCodec}) is moved aside and
     * reported as {@link ErrorId#JournalCorrupt}; so is one moved aside earlier and not yet repaired, so no
     * command ever runs on a journal that forgot what it held.
     */
    public State load() {
        List<Path> kept = keptCopies();
        if (!kept.isEmpty()) {
            throw corrupt(kept.get(0), "it was found damaged earlier and moved aside");
        }
        Path f = file();
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return new State();
        }
        try {
            return JournalCodec.decode(readBounded(f));
        } catch (JournalCodec.Corrupt e) {
            throw corrupt(moveAside(), e.getMessage());
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot read the assignment journal " + f + ": "
                    + e.getMessage(), f.toString());
        }
    }

    /** The journal file, or null when there is none; a damaged one is moved aside first (see {@link #load}). */
    static byte[] readBounded(Path f) throws IOException, JournalCodec.Corrupt {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new JournalCodec.Corrupt(f.getFileName() + " is not a regular file");
        }
        if (a.size() > MAX_BYTES) {
            throw new JournalCodec.Corrupt(f.getFileName() + " is " + a.size() + " bytes, far more than a journal");
        }
        return Files.readAllBytes(f);
    }

    /** Damaged journals moved aside and not yet repaired, oldest first. */
    List<Path> keptCopies() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, CORRUPT_PREFIX + "*")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().endsWith(REPAIRED_SUFFIX)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot list the state directory " + dir + ": "
                    + e.getMessage(), dir.toString());
        }
        out.sort(null);
        return out;
    }

    /** Renames the journal to {@code state.json.corrupt-<time>} (atomic; a racing loader may have done it). */
    Path moveAside() {
        Path kept = dir.resolve(CORRUPT_PREFIX + Instant.now().toString().replace(':', '-'));
        try {
            Files.move(file(), kept, StandardCopyOption.ATOMIC_MOVE);
            syncDir(dir);
            return kept;
        } catch (IOException e) {
            List<Path> others = keptCopies();
            if (!others.isEmpty()) {
                return others.get(others.size() - 1);
            }
            throw new EngineException(ErrorId.IoFailure, "The assignment journal " + file() + " is damaged and cannot "
                    + "be moved aside: " + e.getMessage(), file().toString());
        }
    }

    /** Marks a kept copy as used by repair (renamed, still kept). */
    void markRepaired(Path kept) {
        try {
            Files.move(kept, kept.resolveSibling(kept.getFileName() + REPAIRED_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot mark " + kept + " as repaired: " + e.getMessage(),
                    kept.toString());
        }
    }

    private EngineException corrupt(Path kept, String problem) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "JournalCorrupt");
        details.put("problem", problem);
        details.put("kept", kept.toString());
        details.put("remediation", "Run 'ddabridge repair' (Repair-DdaHost): it rebuilds the journal from the "
                + "second copy, the kept file and the devices' actual drivers, and says what it could not restore.");
        return new EngineException(ErrorId.JournalCorrupt, "The assignment journal in " + dir + " is damaged ("
                + problem + "); it is kept as " + kept + ". Run 'repair'.", kept.toString(), details);
    }

    /** Writes the state durably (see the class comment), then its second copy the same way. */
    public void save(State state) {
        byte[] data = JournalCodec.encode(state);
        try {
            Files.createDirectories(dir);
            writeAtomically(FILE, data, true);
            // The copy's rename is not synced on its own: the next save's directory sync carries it.
            writeAtomically(MIRROR, data, false);
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot write the assignment journal in " + dir + ": "
                    + e.getMessage(), dir.toString(), Map.of("reason", "JournalWriteFailed"));
        }
    }

    private void writeAtomically(String name, byte[] data, boolean syncDirectory) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (syncDirectory) {
            syncDir(dir);
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
