package org.ddabridge.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Locale;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.driver.windows.CfgMgrDeviceSource;
import org.ddabridge.driver.windows.JsonDeviceSource;
import org.ddabridge.image.HostImages;
import org.ddabridge.driver.windows.NativeWindowsHostControl;
import org.ddabridge.driver.windows.WindowsHostControl;
import org.ddabridge.platform.dump.DumpPlatform;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.platform.windows.WindowsPlatform;
import org.ddabridge.util.HostRoot;
/**
 * The one place that decides which operating system and which backend a request runs on: this machine
 * (Linux sysfs or Windows CfgMgr32 + Hyper-V), a host image, a recorded Windows host, an lspci dump.
 * Nothing else reads {@code os.name}.
 */
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
        HostRoot image = HostImages.open(root);
        // An unpacked archive never changes: read it once per process (a directory image is read afresh).
        return HostImages.isUnpackedArchive(image) ? LinuxPlatform.unchanging(image) : forImage(image);
    }

    /** True when {@code root} names a Windows fixture file. */
    public static boolean isWindowsFixture(String root) {
        return root != null && root.toLowerCase(Locale.ROOT).endsWith(JsonDeviceSource.SUFFIX);
    }

    /** True when this process runs on Windows (the Hyper-V backend and actions apply). */
    public static boolean thisMachineIsWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * This machine's root for Linux-only work (assignment through sysfs).
     *
     * @throws EngineException NotSupported on any other operating system
     */
    public static HostRoot liveLinuxRoot() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new EngineException(ErrorId.NotSupported,
                    "Device assignment is implemented for Linux (VFIO) only so far.", "os");
        }
        return HostRoot.live();
    }

    /** Hyper-V's control on a Windows host; empty elsewhere. */
    public static Optional<WindowsHostControl> hyperVControl() {
        return thisMachineIsWindows() ? Optional.of(new NativeWindowsHostControl()) : Optional.empty();
    }

    /**
     * The backend for an {@code lspci -xxx} dump file.
     *
     * @throws EngineException HostImageNotFound when it cannot be read
     */
    public static PlatformBackend forDump(String file) {
        try {
            return new DumpPlatform(Files.readString(Path.of(file), StandardCharsets.ISO_8859_1), "dump:" + file);
        } catch (IOException | InvalidPathException e) {
            throw new EngineException(ErrorId.HostImageNotFound, "Cannot read the dump '" + file + "': " + e, file);
        }
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
