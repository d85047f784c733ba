package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.ddabridge.driver.linux.Modprobe;
import org.ddabridge.driver.linux.VfioGroups;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;
import org.ddabridge.util.SysFiles;
/**
 * The real driver core: writes {@code driver_override}, {@code unbind}, {@code drivers_probe} and
 * {@code bind} under a {@link HostRoot}, each write checked by {@link MutationGuard} first, and asks
 * {@code /dev/vfio/<group>} for the group status through {@link VfioGroups}.
 */
public final class SysfsDriverCore implements DriverCore {
    private static final long MODPROBE_TIMEOUT_MS = 30_000;
    private static final long NODE_WAIT_MS = 3_000;
    private final HostRoot root;
    private final WriteFault fault;

    public SysfsDriverCore(HostRoot root) {
        this(root, WriteFault.NONE);
    }

    /** With a failure injected into the writes (the e2e guest's {@code DDABRIDGE_FAIL_WRITE}). */
    SysfsDriverCore(HostRoot root, WriteFault fault) {
        this.root = root;
        this.fault = fault;
    }

    private Path dev(String address) {
        return root.pciDevices().resolve(Names.address(address));
    }

    @Override
    public String driver(String address) {
        return SysFiles.linkName(dev(address).resolve("driver"));
    }

    @Override
    public String driverOverride(String address) {
        String v = SysFiles.readString(dev(address).resolve("driver_override"));
        return "(null)".equals(v) ? "" : v;
    }

    @Override
    public boolean driverAvailable(String driver) {
        return Files.isDirectory(root.sys("bus/pci/drivers").resolve(Names.driver(driver)));
    }

    @Override
    public void loadModule(String module) throws IOException {
        MutationGuard.checkRoot(root);
        Modprobe.load(module, MODPROBE_TIMEOUT_MS);
    }

    @Override
    public void setOverride(String address, String driver) throws IOException {
        write(dev(address).resolve("driver_override"), driver == null || driver.isEmpty() ? "\n" : driver);
    }

    @Override
    public void unbind(String address) throws IOException {
        String d = driver(address);
        if (!d.isEmpty()) {
            write(root.sys("bus/pci/drivers").resolve(Names.driver(d)).resolve("unbind"), Names.address(address));
        }
    }

    @Override
    public void probe(String address) throws IOException {
        write(root.sys("bus/pci/drivers_probe"), Names.address(address));
    }

    @Override
    public void bind(String address, String driver) throws IOException {
        write(root.sys("bus/pci/drivers").resolve(Names.driver(driver)).resolve("bind"), Names.address(address));
    }

    /** One {@code write(2)} of the whole value, as sysfs attributes need; never creates files. */
    private void write(Path file, String value) throws IOException {
        try {
            fault.beforeWrite(file);
            GuardedWrite.write(root, file, value.getBytes(StandardCharsets.US_ASCII), false);
        } catch (IOException e) {
            throw new IOException("write '" + value.trim() + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public GroupStatus groupStatus(int group) {
        if (!root.isLive()) {
            // Device nodes are the running kernel's: nothing in a tree is opened as one.
            return new GroupStatus(false, false, -1, "a host image has no live /dev/vfio/" + group);
        }
        Path node = Path.of("/dev/vfio/" + group);
        long end = System.nanoTime() + NODE_WAIT_MS * 1_000_000L;
        // devtmpfs creates the node asynchronously after vfio-pci binds the first member.
        while (!Files.exists(node, LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!Files.exists(node, LinkOption.NOFOLLOW_LINKS)) {
            return new GroupStatus(false, false, -1, node + " does not exist");
        }
        VfioGroups.Status s = VfioGroups.status(node.toString());
        if (s.flags() < 0) {
            return new GroupStatus(true, false, -1, "VFIO_GROUP_GET_STATUS on " + node + " failed: errno "
                    + s.errno() + " " + s.error());
        }
        return new GroupStatus(true, s.viable(), s.flags(),
                "VFIO_GROUP_GET_STATUS on " + node + ": flags=0x" + Integer.toHexString(s.flags()));
    }

    @Override
    public boolean simulated() {
        return false;
    }
}
