package org.ddabridge.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.survey.DeviceSelector;
/**
 * {@code groups}: IOMMU groups with their members, the group the checker predicts from the PCI topology,
 * and whether VFIO would accept the group now ({@code viable}: every member is on vfio-pci or pci-stub, has
 * no driver, or is a PCIe port/bridge, which VFIO tolerates).
 *
 * <p>Arguments: {@code root}, {@code group} (numbers), {@code address}/{@code locationPath}/{@code instanceId}
 * (the groups holding those functions). Without live groups (IOMMU off, or an image without them) the
 * predicted groups are listed, with {@code group} null and {@code source} "predicted".
 */
final class GroupsCommand {
    private static final Set<String> VFIO_DRIVERS = Set.of("vfio-pci", "pci-stub");

    private GroupsCommand() {
    }

    static Object run(Args args, Progress progress) {
        args.allow(Set.of("root", "group", "address", "locationPath", "instanceId"));
        DeviceSelector selector = DeviceSelector.from(args);
        Set<String> wantedAddresses = new LinkedHashSet<>();
        if (selector.namesDevices()) {
            // Resolve the names first, so a wrong one is a DeviceNotFound error like everywhere else.
            selector.select(Engine.backend(args).snapshot().devices()).forEach(d -> wantedAddresses.add(d.address()));
        }
        Set<Integer> wantedGroups = new LinkedHashSet<>();
        for (String g : args.strings("group")) {
            try {
                wantedGroups.add(Integer.parseInt(g.trim()));
            } catch (NumberFormatException e) {
                throw new EngineException(ErrorId.InvalidArgument, "'" + g + "' is not an IOMMU group number.", g);
            }
        }
        JsonObject survey = SurveyJson.of(args, all -> all);
        Map<String, JsonObject> byAddress = new LinkedHashMap<>();
        for (JsonElement e : SurveyJson.devices(survey)) {
            JsonObject d = e.getAsJsonObject();
            byAddress.put(SurveyJson.str(d, "address"), d);
        }

        // Live groups by number; functions without one are grouped by their predicted group.
        Map<Integer, List<JsonObject>> live = new TreeMap<>();
        Map<String, List<JsonObject>> predictedOnly = new LinkedHashMap<>();
        for (JsonObject d : byAddress.values()) {
            JsonElement g = d.get("iommuGroup");
            if (g != null && !g.isJsonNull()) {
                live.computeIfAbsent(g.getAsInt(), k -> new ArrayList<>()).add(d);
            } else {
                List<String> predicted = predicted(d);
                String key = predicted.isEmpty() ? SurveyJson.str(d, "address") : predicted.get(0);
                predictedOnly.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
            }
        }

        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Integer, List<JsonObject>> e : live.entrySet()) {
            if (!wantedGroups.isEmpty() && !wantedGroups.contains(e.getKey())) {
                continue;
            }
            Map<String, Object> g = describe(e.getKey(), "live", e.getValue());
            if (wanted(g, wantedAddresses)) {
                out.add(g);
            }
        }
        if (wantedGroups.isEmpty()) {
            for (List<JsonObject> members : predictedOnly.values()) {
                Map<String, Object> g = describe(null, "predicted", members);
                if (wanted(g, wantedAddresses)) {
                    out.add(g);
                }
            }
        }
        if (!wantedGroups.isEmpty() && out.isEmpty()) {
            throw new EngineException(ErrorId.DeviceNotFound, "No IOMMU group " + wantedGroups + " on this host.",
                    String.valueOf(wantedGroups.iterator().next()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static boolean wanted(Map<String, Object> g, Set<String> addresses) {
        if (addresses.isEmpty()) {
            return true;
        }
        List<Map<String, Object>> members = (List<Map<String, Object>>) g.get("members");
        return members.stream().anyMatch(m -> addresses.contains((String) m.get("address")));
    }

    private static List<String> predicted(JsonObject d) {
        List<String> out = new ArrayList<>();
        JsonElement p = d.get("predictedIommuGroup");
        if (p != null && p.isJsonArray()) {
            p.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
        }
        return out;
    }

    static boolean isBridge(JsonObject d) {
        String cc = SurveyJson.str(d, "classCode");
        return cc != null && (cc.startsWith("0604") || cc.startsWith("0609") || cc.startsWith("0600"));
    }

    private static Map<String, Object> describe(Integer number, String source, List<JsonObject> devices) {
        List<Map<String, Object>> members = new ArrayList<>();
        Set<String> memberAddresses = new LinkedHashSet<>();
        Set<String> predicted = new LinkedHashSet<>();
        List<String> blockers = new ArrayList<>();
        boolean allAssignable = true;
        boolean anyEndpoint = false;
        for (JsonObject d : devices) {
            String a = SurveyJson.str(d, "address");
            String driver = SurveyJson.str(d, "driver");
            boolean bridge = isBridge(d);
            memberAddresses.add(a);
            predicted.addAll(predicted(d));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", a);
            m.put("locationPath", SurveyJson.str(d, "locationPath"));
            m.put("instanceId", SurveyJson.str(d, "instanceId"));
            m.put("className", SurveyJson.str(d, "className"));
            m.put("deviceName", SurveyJson.str(d, "deviceName"));
            m.put("driver", driver);
            m.put("isBridge", bridge);
            m.put("verdict", SurveyJson.str(d, "verdict"));
            members.add(m);
            if (!bridge) {
                anyEndpoint = true;
                allAssignable &= "Assignable".equals(SurveyJson.str(d, "verdict"));
                if (driver != null && !VFIO_DRIVERS.contains(driver)) {
                    blockers.add(a + " (" + driver + ")");
                }
            }
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("group", number);
        g.put("source", source);
        g.put("members", members);
        g.put("memberCount", members.size());
        g.put("predictedMembers", new ArrayList<>(predicted));
        g.put("matchesPrediction", predicted.isEmpty() ? null : predicted.equals(memberAddresses));
        g.put("viable", blockers.isEmpty());
        g.put("hostDrivers", blockers);
        g.put("assignable", anyEndpoint && allAssignable);
        return g;
    }
}
