package org.ddabridge.platform;

import java.util.Locale;

import org.ddabridge.engine.EngineException;
import org.ddabridge.engine.ErrorId;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.util.HostRoot;

/** The one place that picks the platform backend. */
public final class Platforms {
    private Platforms() {
    }

    /** The backend for a host image (always the Linux reader: images are sysfs trees). */
    public static PlatformBackend forImage(HostRoot root) {
        return new LinuxPlatform(root);
    }

    /** The backend for the machine this process runs on. */
    public static PlatformBackend forThisMachine() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return new LinuxPlatform(HostRoot.live());
        }
        throw new EngineException(ErrorId.NotSupported,
                "DdaBridge has no backend for " + System.getProperty("os.name") + " yet.", os);
    }
}
