package org.ddabridge.model;

import java.util.List;
import java.util.Map;

/**
 * Everything one enumeration read: host facts, the functions (sorted by address) and their raw
 * configuration spaces (by address; empty arrays where unreadable) for the checker's decoders, and what
 * the read found wrong with its source but could step over (a damaged function of a dump).
 */
public record HostSnapshot(HostFacts host, List<PciDevice> devices, Map<String, byte[]> configSpaces,
        List<Finding> findings) {
    public HostSnapshot {
        findings = List.copyOf(findings);
    }

    /** A clean read. */
    public HostSnapshot(HostFacts host, List<PciDevice> devices, Map<String, byte[]> configSpaces) {
        this(host, devices, configSpaces, List.of());
    }
}
