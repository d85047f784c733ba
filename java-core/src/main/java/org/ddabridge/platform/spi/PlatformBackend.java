package org.ddabridge.platform.spi;

import org.ddabridge.model.HostSnapshot;


/** One operating system's source of PCI facts. Implementations live in {@code platform.<os>}. */
public interface PlatformBackend {
    /** {@code linux} or {@code windows}. */
    String name();

    /** Reads the host and every PCI function now. */
    HostSnapshot snapshot();
}
