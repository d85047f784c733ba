package org.ddabridge.survey;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import org.ddabridge.check.Checker;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.MmioRequirement;
import org.ddabridge.check.Reason;
import org.ddabridge.check.Target;
import org.ddabridge.check.TargetVerdict;
import org.ddabridge.model.Finding;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.Json;
import org.ddabridge.util.RecordAdapterFactory;
/**
 * The {@code survey} result. Serialises (through the shared Gson) as
 * {@code {"host":{…facts…, "checks":[…]}, "target":"vfio", "devices":[{…device fields…, "verdict", "reasons",
 * "targets":{"hyperv":{verdict, reasons}, "vfio":{…}}, "predictedIommuGroup", "mustMoveWith", "mmio"}],
 * "summary":{headline verdict: count}, "findings":[{source, message}]}}: the device fields stay
 * flat, exactly as {@code devices} prints them. The typed parts are kept for text output.
 *
 * <p>The JSON is written by {@link Adapter} one device at a time while it streams out, never held whole: a
 * 65,536-function survey is ~160 MB of JSON, and its tree would be several times that (see tests/bench).
 */
@JsonAdapter(SurveyReport.Adapter.class)
public final class SurveyReport {
    private static final Type SUMMARY = new TypeToken<Map<String, Integer>>() { }.getType();
    private static final Type FINDINGS = new TypeToken<List<Finding>>() { }.getType();

    private final Target target;
    /** Null until counted: the JSON writer counts while it writes the devices (see {@link #summary()}). */
    private volatile Map<String, Integer> summary;
    private final List<Finding> findings;
    private final HostFacts hostFacts;
    private final List<HostCheck> checks;
    private final List<DeviceReport> reports;
    private final HostUse hostUse;

    public SurveyReport(HostFacts hostFacts, List<HostCheck> checks, List<DeviceReport> reports,
            Map<String, Integer> summary, HostUse hostUse) {
        this(hostFacts, checks, reports, summary, hostUse, Target.VFIO, List.of());
    }

    /**
     * @param summary  the count per headline verdict, or null to count it from {@code reports} when asked (or
     *                 while the JSON writer writes them: the checker judges its reports as they are read, and
     *                 counting first judged every device twice)
     * @param target   the target of the headline verdicts (and of the summary)
     * @param findings what the read of the host stepped over (damaged dump functions)
     */
    public SurveyReport(HostFacts hostFacts, List<HostCheck> checks, List<DeviceReport> reports,
            Map<String, Integer> summary, HostUse hostUse, Target target, List<Finding> findings) {
        this.target = target;
        this.findings = List.copyOf(findings);
        this.hostUse = hostUse;
        this.hostFacts = hostFacts;
        this.checks = List.copyOf(checks);
        // The checker's reports stay as they are (judged when read, never all held); any other list is copied.
        this.reports = reports instanceof Checker.Reports ? reports : List.copyOf(reports);
        this.summary = summary;
    }

    /** Writes {@code {"host", "target", "devices", "summary", "findings"}} in that order, a device at a time. */
    static final class Adapter implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            if (type.getRawType() != SurveyReport.class) {
                return null;
            }
            DeviceWriter devices = new DeviceWriter(gson);
            return (TypeAdapter<T>) new TypeAdapter<SurveyReport>() {
                @Override
                public void write(JsonWriter out, SurveyReport r) throws IOException {
                    if (r == null) {
                        out.nullValue();
                        return;
                    }
                    out.beginObject();
                    JsonObject host = gson.toJsonTree(r.hostFacts).getAsJsonObject();
                    host.add("checks", gson.toJsonTree(r.checks));
                    out.name("host");
                    gson.toJson(host, out);
                    out.name("target");
                    gson.toJson(r.target, Target.class, out);
                    out.name("devices");
                    out.beginArray();
                    DeviceWriter.Renderings seen = devices.renderings(out);
                    Map<String, Integer> counted = Checker.Result.emptySummary();
                    for (DeviceReport d : r.reports) {
                        // Streamed field by field, nothing of a device kept but the renderings of what repeats.
                        devices.write(out, d, seen);
                        counted.merge(d.verdict().name(), 1, Integer::sum);
                    }
                    out.endArray();
                    out.name("summary");
                    if (r.summary == null) {
                        r.summary = counted; // the same reports, judged once: what summary() would count
                    }
                    gson.toJson(r.summary, SUMMARY, out);
                    out.name("findings");
                    gson.toJson(r.findings, FINDINGS, out);
                    out.endObject();
                }

                @Override
                public SurveyReport read(JsonReader in) {
                    throw new UnsupportedOperationException("a survey is written, never read back as this type");
                }
            };
        }
    }

    /**
     * One device's JSON: its record's fields flat (through Gson's own adapters for each field, so exactly as
     * {@code devices} prints a device), then the report's. Written straight to the stream: building a tree per
     * device and writing that cost as much as the rest of a warm survey.
     *
     * <p>With the compact configuration (serve, and whatever else writes JSON Lines) into text, what repeats is written from
     * its first rendering: a reason equal to one already written (most reasons are worded alike for many
     * devices, and the headline repeats the target's), and an IOMMU group's member list, which every member
     * carries. Indented output has no fixed rendering of a part (its indent depends on the depth) and is written
     * plainly.
     */
    static final class DeviceWriter {
        /** A bound on the reasons remembered at once (the cache starts over when full). */
        private static final int MAX_REMEMBERED = 4096;
        private static final RecordComponent[] FIELDS = PciDevice.class.getRecordComponents();
        /** The components' fields, read directly (an accessor called by reflection spins a class per accessor). */
        private static final java.lang.reflect.Field[] VALUES = RecordAdapterFactory.componentFields(PciDevice.class);

        private final Gson gson;
        private final boolean compact;
        private final TypeAdapter<?>[] fieldAdapters;
        private final TypeAdapter<Reason> reason;
        private final TypeAdapter<MmioRequirement> mmio;

        DeviceWriter(Gson gson) {
            this.gson = gson;
            this.compact = gson == Json.compact();
            this.fieldAdapters = new TypeAdapter<?>[FIELDS.length];
            for (int i = 0; i < FIELDS.length; i++) {
                fieldAdapters[i] = gson.getAdapter(TypeToken.get(FIELDS[i].getGenericType()));
            }
            this.reason = gson.getAdapter(Reason.class);
            this.mmio = gson.getAdapter(MmioRequirement.class);
        }

        /** What one document's writing remembers (null for indented output). */
        static final class Renderings {
            final Map<Reason, String> reasons = new HashMap<>();
            List<String> lastGroup;
            String lastGroupJson;
            /** The reused text buffer a reason is rendered into before it is remembered. */
            final java.io.StringWriter reasonText = new java.io.StringWriter(1024);
        }

        /**
         * What writing into {@code out} may remember: null unless compact, and unless {@code out} writes text (a
         * tree writer, as {@code toJsonTree} uses, takes no raw JSON).
         */
        Renderings renderings(JsonWriter out) {
            return compact && out.getClass() == JsonWriter.class ? new Renderings() : null;
        }

        /** One reason's compact JSON text, as the streaming writer writes it (sized for a reason at once). */
        private String render(Reason x, java.io.StringWriter text) throws IOException {
            text.getBuffer().setLength(0);
            JsonWriter w = gson.newJsonWriter(text);
            reason.write(w, x);
            w.flush();
            return text.toString();
        }

        void write(JsonWriter out, DeviceReport r, Renderings seen) throws IOException {
            out.beginObject();
            PciDevice d = r.device();
            for (int i = 0; i < FIELDS.length; i++) {
                out.name(FIELDS[i].getName());
                writeField(out, fieldAdapters[i], RecordAdapterFactory.valueOf(VALUES[i], d));
            }
            out.name("verdict").value(r.verdict().name());
            out.name("reasons");
            reasons(out, r.reasons(), seen);
            out.name("targets");
            out.beginObject();
            for (Target t : Target.values()) {
                TargetVerdict v = r.target(t);
                out.name(t.id());
                out.beginObject();
                out.name("verdict").value(v.verdict().name());
                out.name("reasons");
                reasons(out, v.reasons(), seen);
                out.endObject();
            }
            out.endObject();
            out.name("predictedIommuGroup");
            List<String> group = r.predictedIommuGroup();
            String groupJson = null;
            if (seen != null) {
                if (group != null && group == seen.lastGroup) {
                    groupJson = seen.lastGroupJson;
                } else {
                    groupJson = plainArray(group);
                    if (groupJson != null) {
                        seen.lastGroup = group;
                        seen.lastGroupJson = groupJson;
                    }
                }
            }
            strings(out, group, groupJson);
            out.name("mustMoveWith");
            strings(out, r.mustMoveWith(), seen == null ? null : plainArray(r.mustMoveWith()));
            out.name("mmio");
            if (r.mmio() == null) {
                out.nullValue();
            } else {
                mmio.write(out, r.mmio());
            }
            out.endObject();
        }

        private void reasons(JsonWriter out, List<Reason> list, Renderings seen) throws IOException {
            out.beginArray();
            for (Reason x : list) {
                if (seen == null) {
                    reason.write(out, x);
                    continue;
                }
                String raw = seen.reasons.get(x);
                if (raw == null) {
                    raw = render(x, seen.reasonText);
                    if (seen.reasons.size() >= MAX_REMEMBERED) {
                        seen.reasons.clear();
                    }
                    seen.reasons.put(x, raw);
                }
                out.jsonValue(raw);
            }
            out.endArray();
        }

        /** {@code list} as a JSON array of strings: its ready rendering {@code raw} when there is one. */
        private static void strings(JsonWriter out, List<String> list, String raw) throws IOException {
            if (raw != null) {
                out.jsonValue(raw);
                return;
            }
            if (list == null) {
                out.nullValue();
                return;
            }
            out.beginArray();
            for (String s : list) {
                out.value(s);
            }
            out.endArray();
        }

        /**
         * The compact JSON array of {@code list} when no element needs escaping (addresses never do), else null
         * (then Gson writes it, escapes and all).
         */
        static String plainArray(List<String> list) {
            if (list == null) {
                return null;
            }
            StringBuilder b = new StringBuilder(2 + list.size() * 15);
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                String s = list.get(i);
                if (s == null) {
                    return null;
                }
                for (int k = 0; k < s.length(); k++) {
                    char c = s.charAt(k);
                    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                        return null;
                    }
                }
                if (i > 0) {
                    b.append(',');
                }
                b.append('"').append(s).append('"');
            }
            return b.append(']').toString();
        }

        @SuppressWarnings("unchecked")
        private static void writeField(JsonWriter out, TypeAdapter<?> adapter, Object value) throws IOException {
            ((TypeAdapter<Object>) adapter).write(out, value);
        }
    }

    public HostFacts hostFacts() {
        return hostFacts;
    }

    public List<HostCheck> checks() {
        return checks;
    }

    public List<DeviceReport> reports() {
        return reports;
    }

    /** The host-use facts the survey judged (unknown for dumps and Windows). */
    public HostUse hostUse() {
        return hostUse;
    }

    /** The report of one function, or null when it was not reported. */
    public DeviceReport report(String address) {
        // Found by its device, so a lazily judged list judges only that report's chunk.
        for (int i = 0; i < reports.size(); i++) {
            if (Checker.Reports.deviceOf(reports, i).address().equals(address)) {
                return reports.get(i);
            }
        }
        return null;
    }

    /** The headline's target. */
    public Target target() {
        return target;
    }

    /** What the read of the host stepped over (damaged functions of a dump), empty when clean. */
    public List<Finding> findings() {
        return findings;
    }

    public Map<String, Integer> summary() {
        Map<String, Integer> m = summary;
        if (m == null) {
            m = new Checker.Result(checks, reports, target).summary();
            summary = m;
        }
        return m;
    }

    /** The JSON form (what the envelope carries). */
    public JsonObject toJson() {
        return Json.compact().toJsonTree(this).getAsJsonObject();
    }
}
