package org.ddabridge.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.survey.IommuGroups;
import org.ddabridge.survey.Survey;

/**
 * {@code groups}: the survey's {@link IommuGroups}, filtered. Arguments: {@code root}, {@code group}
 * (numbers), {@code address}/{@code locationPath}/{@code instanceId} (the groups holding those functions).
 */
final class GroupsCommand {
    private GroupsCommand() {
    }

    static Object run(Args args, Progress progress) {
        args.allow(Set.of("root", "group", "address", "locationPath", "instanceId", "class"));
        DeviceSelector selector = DeviceSelector.from(args);
        Set<Integer> wantedGroups = new LinkedHashSet<>();
        for (String g : args.strings("group")) {
            try {
                wantedGroups.add(Integer.parseInt(g.trim()));
            } catch (NumberFormatException e) {
                throw new EngineException(ErrorId.InvalidArgument, "'" + g + "' is not an IOMMU group number.", g);
            }
        }
        PlatformBackend backend = Engine.backend(args);
        var snap = backend.snapshot();
        Set<String> wantedAddresses = new LinkedHashSet<>();
        boolean byClass = args.string("class") != null;
        if (selector.namesDevices() || byClass) {
            // Resolve the names first, so a wrong one is a DeviceNotFound error like everywhere else.
            selector.select(snap.devices()).forEach(d -> wantedAddresses.add(d.address()));
        }
        List<IommuGroups.Group> out = IommuGroups.of(Survey.ofSnapshot(backend, snap, all -> all)).stream()
                .filter(g -> wantedGroups.isEmpty() ? true : g.group() != null && wantedGroups.contains(g.group()))
                .filter(g -> (wantedAddresses.isEmpty() && !byClass) || g.contains(wantedAddresses))
                .toList();
        if (!wantedGroups.isEmpty() && out.isEmpty()) {
            throw new EngineException(ErrorId.DeviceNotFound, "No IOMMU group " + wantedGroups + " on this host.",
                    String.valueOf(wantedGroups.iterator().next()));
        }
        return out;
    }
}
