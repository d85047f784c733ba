package org.ddabridge.platform;

import java.nio.file.Path;
import java.util.Locale;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.driver.windows.CfgMgrDeviceSource;
import org.ddabridge.driver.windows.JsonDeviceSource;
import org.ddabridge.image.HostImages;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.platform.windows.WindowsPlatform;
import org.ddabridge.util.HostRoot;
/** The one place that picks the platform backend. */
public final class Platforms {
    private Platforms() {
    }

    /** The backend for a host image (always the Linux reader: images are sysfs trees). */
    public static PlatformBackend forImage(HostRoot root) {
        return new LinuxPlatform(root);
    }

    /**
     * The backend for a {@code --root} value: a recorded Windows host ({@code *.windows.json}, read by the
     * Windows mapping) or a Linux host image.
     */
    public static PlatformBackend forRoot(String root) {
        if (isWindowsFixture(root)) {
            return new WindowsPlatform(JsonDeviceSource.open(Path.of(root)));
        }
        return forImage(HostImages.open(root));
    }

    /** True when {@code root} names a Windows fixture file. */
    public static boolean isWindowsFixture(String root) {
        return root != null && root.toLowerCase(Locale.ROOT).endsWith(JsonDeviceSource.SUFFIX);
    }

    /** True when this process runs on Windows (the Hyper-V backend and actions apply). */
    public static boolean thisMachineIsWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The backend for the machine this process runs on. */
    public static PlatformBackend forThisMachine() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return new LinuxPlatform(HostRoot.live());
        }
        if (os.startsWith("windows")) {
            return new WindowsPlatform(new CfgMgrDeviceSource());
        }
        throw new EngineException(ErrorId.NotSupported,
                "DdaBridge has no backend for " + System.getProperty("os.name") + " yet.", os);
    }
}
