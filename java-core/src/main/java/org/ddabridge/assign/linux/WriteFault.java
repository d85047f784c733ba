package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.util.MutationGuard;

/**
 * A failure injected into the real sysfs writer ({@link SysfsDriverCore}), so the QEMU tests can see rollback
 * and repair recover from a write the kernel refuses, on the guest's own sysfs rather than the simulation.
 *
 * <p>{@code DDABRIDGE_FAIL_WRITE=NAME[:K][,NAME[:K]...]} makes the K-th write (default the first) of this process
 * to a sysfs attribute called NAME ({@code driver_override}, {@code unbind}, {@code bind}, {@code drivers_probe})
 * fail with EIO before anything is written, as a driver that rejects the value would. Like
 * {@link CrashHook#fromEnvironment} it is honoured only when the kernel command line carries the e2e guest
 * marker, so no environment on a real host can make its writes fail; in the guest a malformed value is an
 * {@link ErrorId#InvalidArgument} (a test that meant to inject a failure must not pass without one).
 */
final class WriteFault {
    static final String ENV = "DDABRIDGE_FAIL_WRITE";
    static final WriteFault NONE = new WriteFault("", Map.of());
    private static final Set<String> NAMES = Set.of("driver_override", "unbind", "bind", "drivers_probe");

    private final String spec;
    /** attribute name -> which write to it fails (1-based). */
    private final Map<String, Integer> failAt;
    private final Map<String, Integer> seen = new LinkedHashMap<>();

    private WriteFault(String spec, Map<String, Integer> failAt) {
        this.spec = spec;
        this.failAt = failAt;
    }

    static WriteFault fromEnvironment(Map<String, String> env) {
        String spec = env.get(ENV);
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        return parse(spec, MutationGuard.isE2eGuest());
    }

    /** Pure (unit-tested): the fault {@code spec} asks for, or {@link #NONE} outside the e2e guest. */
    static WriteFault parse(String spec, boolean e2eGuest) {
        if (!e2eGuest || spec == null || spec.isBlank()) {
            return NONE;
        }
        Map<String, Integer> at = new LinkedHashMap<>();
        for (String part : spec.trim().split(",")) {
            String[] nk = part.trim().split(":", -1);
            String name = nk[0];
            int k = 1;
            if (nk.length == 2) {
                try {
                    k = Integer.parseInt(nk[1]);
                } catch (NumberFormatException e) {
                    k = 0;
                }
            }
            if (!NAMES.contains(name) || nk.length > 2 || k < 1 || at.containsKey(name)) {
                throw new EngineException(ErrorId.InvalidArgument, ENV + "=" + spec + ": each entry must be NAME or "
                        + "NAME:K (K >= 1, each name once), NAME one of " + NAMES + ".", ENV);
            }
            at.put(name, k);
        }
        return new WriteFault(spec.trim(), Map.copyOf(at));
    }

    /** Called before each write; throws for the write the spec names. */
    void beforeWrite(Path file) throws IOException {
        if (failAt.isEmpty()) {
            return;
        }
        String name = file.getFileName().toString();
        Integer k = failAt.get(name);
        if (k == null) {
            return;
        }
        int n = seen.merge(name, 1, Integer::sum);
        if (n == k) {
            // On stderr too: a test whose operation survives the failure still sees that it was injected.
            System.err.println("ddabridge: " + ENV + "=" + spec + ": failing write " + n + " to " + file);
            System.err.flush();
            throw new IOException("Input/output error (injected by " + ENV + "=" + spec + ", write " + n + " to "
                    + name + ")");
        }
    }

    boolean active() {
        return !failAt.isEmpty();
    }
}
