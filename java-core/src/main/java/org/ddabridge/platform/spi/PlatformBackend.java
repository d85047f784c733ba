package org.ddabridge.platform.spi;

import org.ddabridge.model.HostSnapshot;

/**
 * One source of a host's PCI facts: a Linux sysfs tree (live or an image), a Windows host (live or
 * recorded), an lspci dump. Implementations live in {@code platform.<kind>}; {@code platform.Platforms}
 * is the only place that chooses one.
 */
public interface PlatformBackend {
    /** {@code linux}, {@code windows} or {@code dump}. */
    String name();

    /** Reads the host and every PCI function now. */
    HostSnapshot snapshot();

    /**
     * Hands the host-wide facts that go with {@code snapshot} to the visitor method for this kind of
     * host (the survey judges PCI hosts and Windows hosts from different facts, through the same rules).
     */
    <R> R facts(HostSnapshot snapshot, HostFactsVisitor<R> visitor);
}
