package org.ddabridge.driver.windows;

import java.util.List;

import org.ddabridge.model.windows.HostProperties;
import org.ddabridge.platform.windows.WindowsMapper;
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
