package org.ddabridge.report;

import java.util.List;

/**
 * One host check as the survey JSON carries it ({@code host.checks[]}).
 *
 * @param status {@code pass}, {@code warn}, {@code fail} or {@code unknown} (lower case, as in the JSON)
 */
public record CheckView(String id, String status, String message, List<String> evidence, String remediation) {
}
