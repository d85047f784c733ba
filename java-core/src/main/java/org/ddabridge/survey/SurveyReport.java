package org.ddabridge.survey;

import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.Target;
import org.ddabridge.check.TargetVerdict;
import org.ddabridge.model.Finding;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostUse;
import org.ddabridge.util.IoPool;
import org.ddabridge.util.Json;
/**
 * The {@code survey} result. Serialises (through the shared Gson) as
 * {@code {"host":{…facts…, "checks":[…]}, "target":"vfio", "devices":[{…device fields…, "verdict", "reasons",
 * "targets":{"hyperv":{verdict, reasons}, "vfio":{…}}, "predictedIommuGroup", "mustMoveWith", "mmio"}],
 * "summary":{headline verdict: count}, "findings":[{source, message}]}}: the device fields stay
 * flat, exactly as {@code devices} prints them. The typed parts are kept (transient) for text output.
 */
public final class SurveyReport {
    private final JsonObject host;
    private final Target target;
    private final List<JsonObject> devices;
    private final Map<String, Integer> summary;
    private final List<Finding> findings;
    private final transient HostFacts hostFacts;
    private final transient List<HostCheck> checks;
    private final transient List<DeviceReport> reports;
    private final transient HostUse hostUse;

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
        Gson gson = Json.compact();
        this.target = target;
        this.findings = List.copyOf(findings);
        this.hostUse = hostUse;
        this.hostFacts = hostFacts;
        this.checks = List.copyOf(checks);
        this.reports = List.copyOf(reports);
        this.summary = summary;
        this.host = gson.toJsonTree(hostFacts).getAsJsonObject();
        this.host.add("checks", gson.toJsonTree(checks));
        this.devices = org.ddabridge.util.IoPool.map(this.reports, r -> deviceJson(gson, r));
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
