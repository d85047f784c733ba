package org.ddabridge.survey;

import java.io.IOException;
import java.lang.reflect.Type;
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

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.Target;
import org.ddabridge.check.TargetVerdict;
import org.ddabridge.model.Finding;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostUse;
import org.ddabridge.util.Json;
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
    private final Map<String, Integer> summary;
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
        this.reports = List.copyOf(reports);
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
                    for (DeviceReport d : r.reports) {
                        // One small tree per device (its record's fields flat, then the report's), written
                        // and dropped before the next.
                        gson.toJson(deviceJson(gson, d), out);
                    }
                    out.endArray();
                    out.name("summary");
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

    /** A device's fields, flat, followed by the report's. */
    private static JsonObject deviceJson(Gson gson, DeviceReport r) {
        JsonObject o = gson.toJsonTree(r.device()).getAsJsonObject();
        o.addProperty("verdict", r.verdict().name());
        o.add("reasons", gson.toJsonTree(r.reasons()));
        JsonObject targets = new JsonObject();
        for (Target t : Target.values()) {
            TargetVerdict v = r.target(t);
            JsonObject tv = new JsonObject();
            tv.addProperty("verdict", v.verdict().name());
            tv.add("reasons", gson.toJsonTree(v.reasons()));
            targets.add(t.id(), tv);
        }
        o.add("targets", targets);
        o.add("predictedIommuGroup", gson.toJsonTree(r.predictedIommuGroup()));
        o.add("mustMoveWith", gson.toJsonTree(r.mustMoveWith()));
        o.add("mmio", r.mmio() == null ? com.google.gson.JsonNull.INSTANCE : gson.toJsonTree(r.mmio()));
        return o;
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
        for (DeviceReport r : reports) {
            if (r.device().address().equals(address)) {
                return r;
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
        return summary;
    }

    /** The JSON form (what the envelope carries). */
    public JsonObject toJson() {
        return Json.compact().toJsonTree(this).getAsJsonObject();
    }
}
