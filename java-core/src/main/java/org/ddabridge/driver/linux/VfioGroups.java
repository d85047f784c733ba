package org.ddabridge.driver.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/**
 * Asks the VFIO API about an IOMMU group: {@code open("/dev/vfio/<n>")}, {@code ioctl(VFIO_GROUP_GET_STATUS)},
 * {@code close}. The only place (with the rest of {@code platform.linux}) that touches JNA for VFIO.
 * Verified in the QEMU e2e guest (x86-64, kernel 6.1); untested on other architectures.
 */
public final class VfioGroups {
    /** {@code _IO(';', 100 + 3)}: VFIO_GROUP_GET_STATUS (include/uapi/linux/vfio.h). */
    static final long VFIO_GROUP_GET_STATUS = 0x3b67;
    /** {@code VFIO_GROUP_FLAGS_VIABLE}. */
    public static final int FLAG_VIABLE = 1;
    /** {@code VFIO_GROUP_FLAGS_CONTAINER_SET}. */
    public static final int FLAG_CONTAINER_SET = 2;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;

    private VfioGroups() {
    }

    /** libc, with errno turned into {@link LastErrorException}. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, GroupStatus status) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** {@code struct vfio_group_status { __u32 argsz; __u32 flags; }}. */
    @Structure.FieldOrder({"argsz", "flags"})
    public static class GroupStatus extends Structure {
        public int argsz;
        public int flags;
    }

    private static boolean isCharDevice(Path p, boolean follow) {
        try {
            Object mode = follow ? Files.getAttribute(p, "unix:mode")
                    : Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & S_IFMT) == S_IFCHR;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /** Result of one status query: flags, or -1 with the errno text. */
    public record Status(int flags, int errno, String error) {
        public boolean viable() {
            return flags >= 0 && (flags & FLAG_VIABLE) != 0;
        }
    }

    /** The only nodes this class opens: {@code /dev/vfio/<number>} of the real {@code /dev}. */
    private static final Pattern NODE = Pattern.compile("/dev/vfio/[0-9]{1,9}");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    static final int O_NONBLOCK = 0x800;
    static final int ENODEV = 19;

    /**
     * Opens {@code node}, reads the group status, closes it. Never throws. Only a character device at
     * {@code /dev/vfio/<number>} is opened: the name is checked, the node must be a character device (lstat,
     * no link followed), it is opened with {@code O_NOFOLLOW|O_NONBLOCK}, and the opened descriptor must
     * still be that character device before the ioctl is issued.
     */
    public static Status status(String node) {
        if (node == null || !NODE.matcher(node).matches()) {
            return new Status(-1, ENODEV, "not a VFIO group node (/dev/vfio/<number>): " + node);
        }
        if (!isCharDevice(Path.of(node), false)) {
            return new Status(-1, ENODEV, node + " is not a character device");
        }
        int fd = -1;
        try {
            fd = LibC.INSTANCE.open(node, O_RDWR | O_CLOEXEC | NativeFiles.O_NOFOLLOW | O_NONBLOCK);
            Path opened = Path.of("/proc/self/fd/" + fd);
            if (!Path.of(node).equals(Files.readSymbolicLink(opened)) || !isCharDevice(opened, true)) {
                return new Status(-1, ENODEV, node + " changed while it was opened");
            }
            GroupStatus s = new GroupStatus();
            s.argsz = s.size();
            LibC.INSTANCE.ioctl(fd, new NativeLong(VFIO_GROUP_GET_STATUS), s);
            s.read();
            return new Status(s.flags, 0, "");
        } catch (LastErrorException e) {
            return new Status(-1, e.getErrorCode(), e.getMessage());
        } catch (IOException e) {
            return new Status(-1, ENODEV, e.getMessage());
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Status(-1, -1, "JNA unavailable: " + e.getMessage());
        } finally {
            if (fd >= 0) {
                try {
                    LibC.INSTANCE.close(fd);
                } catch (LastErrorException ignored) {
                    // nothing to do: the status is already read
                }
            }
        }
    }
}
