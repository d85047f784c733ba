package org.ddabridge.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
/**
 * The one check every write to a sysfs tree goes through.
 *
 * <p>Writes to the live machine's {@code /sys} are refused unless one of these holds:
 * <ul>
 *   <li>the kernel command line ({@code /proc/cmdline}) contains {@code ddabridge_e2e_guest=1} (the QEMU
 *       test guest puts it there), or</li>
 *   <li>the environment variable {@code DDABRIDGE_ALLOW_LIVE_MUTATION=1} or the system property
 *       {@code ddabridge.allowLiveMutation=true} is set explicitly by the operator.</li>
 * </ul>
 * Writes to a host image ({@code --root} tree) must land inside that tree: the target's real path
 * (symlinks resolved) must start with the root's real path, so a crafted {@code driver} link in an
 * image cannot redirect a write to the machine's own {@code /sys}. The root's liveness is decided by its
 * real path ({@link HostRoot#of}): a {@code --root} that resolves to {@code /} is the live machine. Writers
 * then check the object they opened ({@link #checkOpened}) before writing through the same descriptor.
 */
public final class MutationGuard {
    /** Kernel command-line marker of the e2e guest. */
    public static final String GUEST_MARKER = "ddabridge_e2e_guest=1";
    /** Environment variable that allows writes to the live {@code /sys}. */
    public static final String ALLOW_ENV = "DDABRIDGE_ALLOW_LIVE_MUTATION";
    /** System property that allows writes to the live {@code /sys}. */
    public static final String ALLOW_PROPERTY = "ddabridge.allowLiveMutation";

    private MutationGuard() {
    }

    /** True when this machine's kernel command line carries the e2e guest marker. */
    public static boolean isE2eGuest() {
        return hasMarker(SysFiles.readString(Path.of("/proc/cmdline")));
    }

    static boolean hasMarker(String cmdline) {
        for (String word : cmdline.trim().split("\\s+")) {
            if (GUEST_MARKER.equals(word)) {
                return true;
            }
        }
        return false;
    }

    /** Pure decision (unit-tested): may the live root be written? */
    public static boolean liveAllowed(String cmdline, Map<String, String> env, String property) {
        return hasMarker(cmdline) || "1".equals(env.get(ALLOW_ENV)) || "true".equalsIgnoreCase(property);
    }

    /** Whether this process may write to the live root right now. */
    public static boolean liveAllowed() {
        return liveAllowed(SysFiles.readString(Path.of("/proc/cmdline")), System.getenv(),
                System.getProperty(ALLOW_PROPERTY));
    }

    /** Fails with {@link ErrorId#Refused} unless mutating {@code root} is allowed at all. */
    public static void checkRoot(HostRoot root) {
        if (root.isLive() && !liveAllowed()) {
            throw new EngineException(ErrorId.Refused,
                    "Refusing to change this machine's PCI drivers: set " + ALLOW_ENV + "=1 to allow it (or run in the "
                            + "e2e guest, whose kernel command line has " + GUEST_MARKER + ").",
                    "/sys", Map.of("reason", "LiveMutationNotAllowed"));
        }
    }

    /**
     * The check made on the object actually opened for writing (its real path and type as the kernel reports
     * them for the open descriptor), so the check and the write concern the same file: it must be a regular
     * file, under the real {@code /sys} for the live root and under the image's real root otherwise.
     */
    public static void checkOpened(HostRoot root, Path requested, Path real, BasicFileAttributes attrs) {
        checkRoot(root);
        Path within = root.isLive() ? Path.of("/sys") : root.path();
        if (!real.startsWith(within)) {
            throw new EngineException(ErrorId.Refused, "Refusing to write " + requested + ": the opened file is " + real
                    + ", outside " + within + ".", requested.toString(), Map.of("reason", "OutsideRoot"));
        }
        if (!attrs.isRegularFile()) {
            throw new EngineException(ErrorId.Refused, "Refusing to write " + requested + ": " + real
                    + " is not a regular file.", requested.toString(), Map.of("reason", "OutsideRoot"));
        }
    }

    /** Fails unless {@code target} may be written through {@code root}. */
    public static void checkWrite(HostRoot root, Path target) {
        checkRoot(root);
        if (root.isLive()) {
            return;
        }
        try {
            Path realRoot = root.path().toRealPath();
            Path real = Files.exists(target) ? target.toRealPath() : target.getParent().toRealPath()
                    .resolve(target.getFileName());
            if (!real.startsWith(realRoot)) {
                throw new EngineException(ErrorId.Refused, "Refusing to write " + target + ": it resolves to " + real
                        + ", outside the host image " + realRoot + ".", target.toString(),
                        Map.of("reason", "OutsideRoot"));
            }
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot resolve " + target + ": " + e.getMessage(),
                    target.toString());
        }
    }
}
