package org.ddabridge.check;

import java.util.List;

/**
 * Why a device got its verdict.
 *
 * @param code        stable reason code (see {@link ReasonCode})
 * @param severity    info, warning or error
 * @param message     one sentence for people
 * @param evidence    the facts it rests on
 * @param remediation what to do about it, or null
 */
public record Reason(String code, Severity severity, String message, List<Evidence> evidence, String remediation) {
    public Reason {
        evidence = List.copyOf(evidence);
    }

    public static Reason info(String code, String message, List<Evidence> evidence) {
        return new Reason(code, Severity.INFO, message, evidence, null);
    }
}
