package org.ddabridge.driver.linux;

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

    /** Result of one status query: flags, or -1 with the errno text. */
    public record Status(int flags, int errno, String error) {
        public boolean viable() {
            return flags >= 0 && (flags & FLAG_VIABLE) != 0;
        }
    }

    /** Opens {@code node}, reads the group status, closes it. Never throws. */
    public static Status status(String node) {
        int fd = -1;
        try {
            fd = LibC.INSTANCE.open(node, O_RDWR | O_CLOEXEC);
            GroupStatus s = new GroupStatus();
            s.argsz = s.size();
            LibC.INSTANCE.ioctl(fd, new NativeLong(VFIO_GROUP_GET_STATUS), s);
            s.read();
            return new Status(s.flags, 0, "");
        } catch (LastErrorException e) {
            return new Status(-1, e.getErrorCode(), e.getMessage());
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
