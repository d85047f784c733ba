package org.ddabridge.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.platform.Platforms;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.survey.Survey;

/**
 * Reads the report's inputs into {@link HostView}s: each input is a host image (directory, {@code .tar.gz}, or a
 * recorded Windows host {@code .windows.json}), surveyed here, or a saved {@code survey --json} document. Without
 * inputs the report is of this machine. Host names come from the survey, else from the input's file name; a name
 * seen twice gets a {@code #2} suffix so every host stays addressable in the fleet report.
 */
public final class ReportInputs {
    /** A saved survey of the 4,224-function benchmark host is 10 MB; anything beyond this is not a survey. */
    static final long MAX_SURVEY_BYTES = 64L << 20;

    private ReportInputs() {
    }

    public static List<HostView> read(List<String> inputs) {
        List<HostView> hosts = new ArrayList<>();
        if (inputs.isEmpty()) {
            hosts.add(surveyed(Platforms.forThisMachine(), "this host", "live"));
        }
        for (String input : inputs) {
            hosts.add(readOne(input));
        }
        return uniqueNames(hosts);
    }

    static HostView readOne(String input) {
        Path p = Path.of(input);
        if (!Files.exists(p)) {
            throw new EngineException(ErrorId.HostImageNotFound,
                    "Report input '" + input + "' does not exist (give host images or saved 'survey --json' files).",
                    input);
        }
        String fallback = baseName(p);
        if (Files.isRegularFile(p) && isSurveyJson(p)) {
            return SurveyParser.parse(readJson(p, input).getAsJsonObject(), fallback, input);
        }
        return surveyed(Platforms.forRoot(input), fallback, input);
    }

    /** Surveys a host; the image's path is its source (not the temporary folder an archive was unpacked to). */
    private static HostView surveyed(PlatformBackend backend, String fallback, String input) {
        HostView h = SurveyParser.parse(Survey.ofHost(backend, d -> d).toJson(), fallback, input);
        return new HostView(h.name(), h.platform(), h.kernel(), input, h.iommuGroupCount(), h.checks(),
                h.functions(), h.targets());
    }

    /** A {@code .json} file that is not a recorded Windows host, or any file whose first character is '{'. */
    static boolean isSurveyJson(Path p) {
        String name = p.getFileName().toString();
        if (Platforms.isWindowsFixture(p.toString())) {
            return false;
        }
        if (name.endsWith(".json")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(p)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c == '{';
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonElement readJson(Path p, String input) {
        try {
            if (Files.size(p) > MAX_SURVEY_BYTES) {
                throw new EngineException(ErrorId.HostImageTooLarge, "Report input '" + input + "' is over "
                        + (MAX_SURVEY_BYTES >> 20) + " MiB; a survey is far smaller.", input);
            }
            String text = Files.readString(p, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1); // PowerShell 5's Out-File writes a BOM
            }
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw SurveyParser.invalid(input, "it is not a JSON object");
            }
            return e;
        } catch (JsonParseException e) {
            throw SurveyParser.invalid(input, "it is not valid JSON (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot read report input '" + input + "': " + e, input);
        }
    }

    static String baseName(Path p) {
        String n = p.toAbsolutePath().normalize().getFileName() == null ? p.toString()
                : p.toAbsolutePath().normalize().getFileName().toString();
        for (String ext : List.of(".survey.json", ".windows.json", ".tar.gz", ".tgz", ".json")) {
            if (n.endsWith(ext) && n.length() > ext.length()) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    private static List<HostView> uniqueNames(List<HostView> hosts) {
        Map<String, Integer> seen = new HashMap<>();
        List<HostView> out = new ArrayList<>();
        for (HostView h : hosts) {
            int n = seen.merge(h.name(), 1, Integer::sum);
            out.add(n == 1 ? h : new HostView(h.name() + " #" + n, h.platform(), h.kernel(), h.source(),
                    h.iommuGroupCount(), h.checks(), h.functions(), h.targets()));
        }
        return out;
    }
}
