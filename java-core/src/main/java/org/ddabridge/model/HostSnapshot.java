package org.ddabridge.model;

import java.util.List;
import java.util.Map;

/**
 * Everything one enumeration read: host facts, the functions (sorted by address) and their raw
 * configuration spaces (by address; empty arrays where unreadable) for the checker's decoders.
 */
public record HostSnapshot(HostFacts host, List<PciDevice> devices, Map<String, byte[]> configSpaces) {
}
