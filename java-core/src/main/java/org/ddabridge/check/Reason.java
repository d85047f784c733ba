package org.ddabridge.check;

import java.util.List;
import java.util.Objects;

/**
 * Why a device got its verdict.
 *
 * @param code        stable reason code (see {@link ReasonCode})
 * @param severity    info, warning or error
 * @param message     one sentence for people
 * @param evidence    the facts it rests on
 * @param remediation what to do about it, or null
 * @param nextCommand the command to run next, when one exists (e.g. {@code ddabridge dismount 0000:01:00.0}), or
 *                    null; set only by the rule that raises the reason, so the advice and the code agree
 */
public record Reason(String code, Severity severity, String message, List<Evidence> evidence, String remediation,
        String nextCommand) {
    public Reason {
        evidence = List.copyOf(evidence);
    }

    /** A reason without a next command (most have only advice, or nothing to do). */
    public Reason(String code, Severity severity, String message, List<Evidence> evidence, String remediation) {
        this(code, severity, message, evidence, remediation, null);
    }

    /** This reason with {@code command} as its next command. */
    public Reason withNextCommand(String command) {
        return new Reason(code, severity, message, evidence, remediation, command);
    }

    public static Reason info(String code, String message, List<Evidence> evidence) {
        return new Reason(code, Severity.INFO, message, evidence, null);
    }

    /**
     * Written out: a record's generated equals links through method handles on first use, spinning some twenty
     * classes in a cold start that no class-data sharing archive keeps (the generated hashCode, consistent with
     * this, is left as it is).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Reason r && Objects.equals(code, r.code) && severity == r.severity
                && Objects.equals(message, r.message) && Objects.equals(evidence, r.evidence)
                && Objects.equals(remediation, r.remediation) && Objects.equals(nextCommand, r.nextCommand);
    }
}
