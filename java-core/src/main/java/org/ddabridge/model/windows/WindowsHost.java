package org.ddabridge.model.windows;

import java.util.List;
import java.util.Map;

import org.ddabridge.model.HostSnapshot;

/**
 * A Windows host as {@code platform.windows.WindowsMapper} maps it: the common snapshot, the Windows facts
 * of each function (by address), the host's properties, and the property bags that were skipped (why).
 */
public record WindowsHost(HostSnapshot snapshot, Map<String, WindowsPciFacts> facts, HostProperties host,
        List<String> skipped) {
}
