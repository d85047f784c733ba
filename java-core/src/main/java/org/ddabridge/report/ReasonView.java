package org.ddabridge.report;

import java.util.List;

/**
 * One reason of a function's verdict ({@code devices[].reasons[]}).
 *
 * @param severity {@code info}, {@code warning} or {@code error}
 * @param evidence each evidence item as {@code source: value}
 */
public record ReasonView(String code, String severity, String message, List<String> evidence, String remediation) {
}
