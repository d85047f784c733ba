package org.ddabridge.assign.linux;

import java.util.Map;

import org.ddabridge.util.MutationGuard;
/**
 * Called at the two crash points of every forward step: right after its intent is journaled
 * ({@link Phase#JOURNALED}) and right after it took effect but before it is marked done
 * ({@link Phase#APPLIED}). Unit tests throw from here to simulate a crash; the QEMU tests use
 * {@link #fromEnvironment}.
 */
@FunctionalInterface
public interface CrashHook {
    /** Where in a step. */
    enum Phase { JOURNALED, APPLIED }

    CrashHook NONE = (step, phase) -> { };

    void at(int step, Phase phase);

    /**
     * {@code DDABRIDGE_CRASH_AFTER_STEP=N} halts the JVM ({@code Runtime.halt(137)}, as kill -9 would) after
     * step N was applied; {@code N:journaled} halts after its intent was journaled. Honoured only when the
     * kernel command line has the e2e guest marker, so it can never fire on a real host.
     */
    static CrashHook fromEnvironment(Map<String, String> env) {
        String spec = env.get("DDABRIDGE_CRASH_AFTER_STEP");
        if (spec == null || spec.isBlank() || !MutationGuard.isE2eGuest()) {
            return NONE;
        }
        String[] parts = spec.trim().split(":");
        int n;
        try {
            n = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            return NONE;
        }
        Phase phase = parts.length > 1 && parts[1].equalsIgnoreCase("journaled") ? Phase.JOURNALED : Phase.APPLIED;
        return (step, p) -> {
            if (step == n && p == phase) {
                System.err.println("ddabridge: DDABRIDGE_CRASH_AFTER_STEP=" + spec + ": halting at step " + step + " "
                        + p);
                System.err.flush();
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
