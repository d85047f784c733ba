package org.ddabridge.check;

import java.util.List;

/**
 * One host-wide check.
 *
 * @param id          stable id: IommuPresent, IommuEnabled, InterruptRemapping, VfioAvailable, Nested, IommuMode
 * @param status      pass, warn, fail or unknown
 * @param message     the finding in one sentence
 * @param evidence    facts it rests on
 * @param remediation what to do when it is not a pass, or null
 * @param nextCommand the one command that carries the remediation out, when there is one, or null
 */
public record HostCheck(String id, CheckStatus status, String message, List<Evidence> evidence, String remediation,
        String nextCommand) {
    public HostCheck {
        evidence = List.copyOf(evidence);
    }

    /** A check whose remediation is advice only. */
    public HostCheck(String id, CheckStatus status, String message, List<Evidence> evidence, String remediation) {
        this(id, status, message, evidence, remediation, null);
    }

    /** This check with {@code command} as its next command. */
    public HostCheck withNextCommand(String command) {
        return new HostCheck(id, status, message, evidence, remediation, command);
    }
}
