package org.ddabridge.platform.windows;

import java.util.List;

/**
 * Where the Windows backend's facts come from: the live machine ({@link CfgMgrDeviceSource}, JNA) or a
 * recorded fixture ({@link JsonDeviceSource}). Sources only read; mapping is {@link WindowsMapper}'s job.
 */
public interface WindowsDeviceSource {
    /** Every present device node whose instance id starts with {@code PCI\}. */
    List<DeviceProperties> devices();

    /** Host-wide facts. */
    HostProperties host();
}
