package org.ddabridge.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
/**
 * Parses a survey document (the {@code survey --json} envelope, or its bare {@code result}) into a
 * {@link HostView}. Only the public JSON shape is read, so a survey saved by an older or newer engine, or on
 * another machine, renders the same way; fields the survey lacks are left empty rather than guessed.
 * Per-target verdicts ({@code targets: {hyperv: …, vfio: …}}, each a verdict name or an object with a
 * {@code verdict}) are read when present.
 */
public final class SurveyParser {
    private static final Pattern PORT_TYPE = Pattern.compile("\\bpcie=(\\w+)");
    /** Hostnames that name no machine (an initramfs guest reports "(none)"). */
    private static final Set<String> NO_NAME = Set.of("", "(none)", "localhost", "localhost.localdomain");

    private SurveyParser() {
    }

    /**
     * @param fallbackName the host's name when the document names none (the input's file name)
     * @param input        what to name in errors
     */
    public static HostView parse(JsonObject doc, String fallbackName, String input) {
        JsonObject survey = doc;
        if (doc.has("schemaVersion") && doc.has("ok")) {
            if (!doc.get("ok").getAsBoolean()) {
                throw invalid(input, "it is an error envelope, not a survey");
            }
            survey = object(doc, "result");
        }
        if (survey == null || object(survey, "host") == null || !(survey.get("devices") instanceof JsonArray)) {
            throw invalid(input, "it has no 'host' object and 'devices' list (write it with 'survey --json')");
        }
        JsonObject host = object(survey, "host");
        List<CheckView> checks = new ArrayList<>();
        for (JsonObject c : objects(host, "checks")) {
            checks.add(new CheckView(str(c, "id"), nz(str(c, "status")), str(c, "message"), evidence(c),
                    str(c, "remediation")));
        }
        Set<String> targets = new LinkedHashSet<>();
        List<FunctionView> functions = new ArrayList<>();
        for (JsonObject d : objects(survey, "devices")) {
            if (str(d, "address") == null) {
                throw invalid(input, "a device has no 'address'");
            }
            FunctionView f = function(d);
            targets.addAll(f.targetVerdicts().keySet());
            functions.add(f);
        }
        String name = firstNamed(str(doc, "computerName"), str(survey, "computerName"), str(host, "hostname"));
        return new HostView(name == null ? fallbackName : name, nz(str(host, "platform")), str(host, "kernel"),
                str(host, "source"), (int) num(host, "iommuGroupCount", 0), checks, functions, List.copyOf(targets));
    }

    private static FunctionView function(JsonObject d) {
        List<ReasonView> reasons = new ArrayList<>();
        String portType = null;
        for (JsonObject r : objects(d, "reasons")) {
            List<String> ev = evidence(r);
            reasons.add(new ReasonView(str(r, "code"), nz(str(r, "severity")), str(r, "message"), ev,
                    str(r, "remediation")));
            for (String e : ev) {
                Matcher m = PORT_TYPE.matcher(e);
                if (portType == null && m.find()) {
                    portType = m.group(1);
                } else if (portType == null && e.contains("no PCIe capability")) {
                    portType = "None"; // a conventional PCI bridge: drawn as a bridge, not guessed from the tree
                }
            }
        }
        JsonObject mmio = object(d, "mmio");
        Integer group = d.get("iommuGroup") != null && d.get("iommuGroup").isJsonPrimitive()
                ? d.get("iommuGroup").getAsInt() : null;
        return new FunctionView(str(d, "address"), str(d, "parent"), str(d, "locationPath"), str(d, "instanceId"),
                nz(str(d, "vendorId")), nz(str(d, "deviceId")), str(d, "classCode"), str(d, "className"),
                str(d, "vendorName"), str(d, "deviceName"), str(d, "driver"), group, strings(d, "predictedIommuGroup"),
                strings(d, "mustMoveWith"), verdict(d.get("verdict")), targetVerdicts(d), reasons,
                strings(d, "resetMethods"), portType, mmio == null ? -1 : num(mmio, "belowFourGiB", -1),
                mmio == null ? -1 : num(mmio, "aboveFourGiB", -1));
    }

    /** {@code targets: {hyperv: "Assignable"}} or {@code {hyperv: {verdict: "Assignable", …}}}. */
    private static Map<String, String> targetVerdicts(JsonObject d) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonObject targets = object(d, "targets");
        if (targets != null) {
            for (Map.Entry<String, JsonElement> e : targets.entrySet()) {
                JsonElement v = e.getValue();
                String verdict = v.isJsonObject() ? verdict(v.getAsJsonObject().get("verdict")) : verdict(v);
                if (!verdict.equals("Unknown")) {
                    out.put(e.getKey(), verdict);
                }
            }
        }
        return out;
    }

    private static String verdict(JsonElement e) {
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "Unknown";
    }

    private static List<String> evidence(JsonObject o) {
        List<String> out = new ArrayList<>();
        for (JsonObject e : objects(o, "evidence")) {
            String source = str(e, "source");
            String value = str(e, "value");
            out.add(source == null ? nz(value) : source + ": " + nz(value));
        }
        return out;
    }

    private static String firstNamed(String... names) {
        for (String n : names) {
            if (n != null && !NO_NAME.contains(n.trim())) {
                return n.trim();
            }
        }
        return null;
    }

    static EngineException invalid(String input, String why) {
        return new EngineException(ErrorId.SurveyInvalid, "'" + input + "' is not a survey: " + why + ".", input);
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static List<JsonObject> objects(JsonObject o, String key) {
        List<JsonObject> out = new ArrayList<>();
        if (o.get(key) instanceof JsonArray a) {
            for (JsonElement e : a) {
                if (e.isJsonObject()) {
                    out.add(e.getAsJsonObject());
                }
            }
        }
        return out;
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        if (o.get(key) instanceof JsonArray a) {
            for (JsonElement e : a) {
                if (e.isJsonPrimitive()) {
                    out.add(e.getAsString());
                }
            }
        }
        return out;
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static long num(JsonObject o, String key, long absent) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : absent;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
