package org.ddabridge.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.report.HostView;
import org.ddabridge.report.HtmlReport;
import org.ddabridge.report.ReportInputs;

/**
 * {@code report}: writes the HTML report of this machine, of a host image ({@code root}), or of a fleet
 * ({@code input}: host images and saved surveys). The file is written next to its final name and moved into
 * place, so a reader never sees half a report.
 */
final class ReportRequest {
    private ReportRequest() {
    }

    static Object run(Args args, Progress progress) {
        args.allow(Set.of("root", "input", "output"));
        Path output = Path.of(args.required("output"));
        List<String> inputs = new ArrayList<>();
        if (args.string("root") != null) {
            inputs.add(args.string("root"));
        }
        inputs.addAll(args.strings("input"));
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new EngineException(ErrorId.InvalidArgument,
                    "The folder of the report '" + output + "' does not exist.", output.toString());
        }
        progress.report("report", 0, "surveying " + (inputs.isEmpty() ? "this host" : inputs.size() + " input(s)"));
        List<HostView> hosts = ReportInputs.read(inputs);
        progress.report("report", 80, "rendering");
        String version = "ddabridge " + (Engine.class.getPackage().getImplementationVersion() == null ? "dev"
                : Engine.class.getPackage().getImplementationVersion());
        String html = HtmlReport.render(hosts, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), version);
        Path tmp = dir.resolve("." + output.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failure to write is what the caller needs to hear about
            }
            throw new EngineException(ErrorId.IoFailure, "Cannot write the report '" + output + "': " + e,
                    output.toString());
        }
        progress.report("report", 100, "written");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("output", output.toString());
        result.put("bytes", html.getBytes(StandardCharsets.UTF_8).length);
        List<Map<String, Object>> list = new ArrayList<>();
        for (HostView h : hosts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("readiness", h.readiness());
            m.put("functions", h.functions().size());
            Map<String, Long> summary = new LinkedHashMap<>();
            for (String v : List.of("Assignable", "AssignableWithWarnings", "NotAssignable")) {
                summary.put(v, h.count(v, null));
            }
            m.put("summary", summary);
            list.add(m);
        }
        result.put("hosts", list);
        return result;
    }
}
