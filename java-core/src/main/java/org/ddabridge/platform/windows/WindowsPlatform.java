package org.ddabridge.platform.windows;

import org.ddabridge.model.windows.WindowsHost;
import org.ddabridge.driver.windows.WindowsDeviceSource;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.platform.spi.HostFactsVisitor;


/**
 * Windows: property bags from a {@link WindowsDeviceSource} (live CfgMgr32 + WMI, or a recorded fixture),
 * mapped to the model by {@link WindowsMapper}. The mapping is kept so the survey can judge the Windows
 * facts of the same read.
 */
public final class WindowsPlatform implements PlatformBackend {
    private final WindowsDeviceSource source;
    private WindowsHost mapped;

    public WindowsPlatform(WindowsDeviceSource source) {
        this.source = source;
    }

    @Override
    public String name() {
        return "windows";
    }

    /** Reads (once) and maps: snapshot plus Windows facts. */
    public synchronized WindowsHost mapped() {
        if (mapped == null) {
            mapped = WindowsMapper.map(source.devices(), source.host());
        }
        return mapped;
    }

    @Override
    public <R> R facts(HostSnapshot snapshot, HostFactsVisitor<R> visitor) {
        return visitor.windowsHost(mapped());
    }

    @Override
    public HostSnapshot snapshot() {
        return mapped().snapshot();
    }

    public WindowsDeviceSource source() {
        return source;
    }
}
