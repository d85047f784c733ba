package org.ddabridge.report;

import java.util.List;

/**
 * One host of a report: the survey's host facts, checks and functions.
 *
 * @param name     what the report calls the host: the remoting computer name, else the hostname, else the
 *                 input's file name
 * @param platform {@code linux}, {@code windows} or {@code dump}
 * @param source   where the survey came from (an image path, {@code live}, {@code dump:FILE})
 * @param targets  the per-target verdict names the survey carries ({@code hyperv}, {@code vfio}); empty when it
 *                 has only the headline verdict
 */
public record HostView(
        String name,
        String platform,
        String kernel,
        String source,
        int iommuGroupCount,
        List<CheckView> checks,
        List<FunctionView> functions,
        List<String> targets) {

    /** Number of functions with {@code verdict} for {@code target} (null: the headline verdict). */
    public long count(String verdict, String target) {
        return functions.stream().filter(f -> f.verdictFor(target).equals(verdict)).count();
    }

    /** {@code fail} when a check failed, else {@code warn} when one warned, else {@code unknown}/{@code pass}. */
    public String readiness() {
        for (String s : List.of("fail", "warn", "unknown")) {
            if (checks.stream().anyMatch(c -> c.status().equals(s))) {
                return s;
            }
        }
        return "pass";
    }
}
