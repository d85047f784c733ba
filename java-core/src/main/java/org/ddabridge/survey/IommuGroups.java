package org.ddabridge.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Verdict;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.PciClass;

/**
 * IOMMU groups as the survey sees them: each live group with its members, the group the checker predicts,
 * and whether VFIO would accept it now ({@code viable}: every member is on vfio-pci or pci-stub, has no
 * driver, or is a bridge/port, which VFIO tolerates). Functions without a live group (IOMMU off, an image
 * without groups) are grouped by their predicted group ({@code group} null, {@code source} "predicted").
 */
public final class IommuGroups {
    private static final Set<String> VFIO_DRIVERS = Set.of("vfio-pci", "pci-stub");

    private IommuGroups() {
    }

    /** One member as the listing shows it. */
    public record Member(String address, String locationPath, String instanceId, String className,
            String deviceName, String driver, boolean isBridge, String verdict) {
    }

    /** One group. */
    public record Group(Integer group, String source, List<Member> members, int memberCount,
            List<String> predictedMembers, Boolean matchesPrediction, boolean viable, List<String> hostDrivers,
            boolean assignable) {
        public boolean contains(Set<String> addresses) {
            return members.stream().anyMatch(m -> addresses.contains(m.address()));
        }
    }

    /** Every group of the survey, live ones by number first. */
    public static List<Group> of(SurveyReport survey) {
        Map<Integer, List<DeviceReport>> live = new TreeMap<>();
        Map<String, List<DeviceReport>> predictedOnly = new LinkedHashMap<>();
        for (DeviceReport r : survey.reports()) {
            Integer g = r.device().iommuGroup();
            if (g != null) {
                live.computeIfAbsent(g, k -> new ArrayList<>()).add(r);
            } else {
                List<String> p = r.predictedIommuGroup();
                predictedOnly.computeIfAbsent(p.isEmpty() ? r.device().address() : p.get(0), k -> new ArrayList<>())
                        .add(r);
            }
        }
        List<Group> out = new ArrayList<>();
        live.forEach((n, members) -> out.add(group(n, "live", members)));
        predictedOnly.values().forEach(members -> out.add(group(null, "predicted", members)));
        return out;
    }

    private static Group group(Integer number, String source, List<DeviceReport> reports) {
        List<Member> members = new ArrayList<>();
        Set<String> addresses = new LinkedHashSet<>();
        Set<String> predicted = new LinkedHashSet<>();
        List<String> blockers = new ArrayList<>();
        boolean allAssignable = true;
        boolean anyEndpoint = false;
        for (DeviceReport r : reports) {
            PciDevice d = r.device();
            // Host bridges count as infrastructure here too: VFIO ignores them in a group.
            boolean bridge = PciClass.isInfrastructure(d.classCode(), -1);
            addresses.add(d.address());
            predicted.addAll(r.predictedIommuGroup());
            members.add(new Member(d.address(), d.locationPath(), d.instanceId(), d.className(), d.deviceName(),
                    d.driver(), bridge, r.verdict().name()));
            if (!bridge) {
                anyEndpoint = true;
                allAssignable &= r.verdict() == Verdict.Assignable;
                if (d.driver() != null && !VFIO_DRIVERS.contains(d.driver())) {
                    blockers.add(d.address() + " (" + d.driver() + ")");
                }
            }
        }
        return new Group(number, source, List.copyOf(members), members.size(), List.copyOf(predicted),
                predicted.isEmpty() ? null : predicted.equals(addresses), blockers.isEmpty(), List.copyOf(blockers),
                anyEndpoint && allAssignable);
    }
}
