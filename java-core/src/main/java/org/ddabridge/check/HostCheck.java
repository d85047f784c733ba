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
 */
public record HostCheck(String id, CheckStatus status, String message, List<Evidence> evidence, String remediation) {
    public HostCheck {
        evidence = List.copyOf(evidence);
    }
}
