package org.ddabridge.assign.linux;

import java.io.IOException;

/**
 * The kernel's driver core as the assignment engine sees it: the seam between the engine's logic and
 * {@code /sys}. {@link SysfsDriverCore} writes the real files; {@link SimulatedDriverCore} applies the
 * kernel's semantics to a fake tree so rollback and repair can be tested deterministically.
 *
 * <p>Addresses are full {@code 0000:01:00.0} strings. Mutating methods throw {@link IOException} with
 * the kernel's complaint when a write fails.
 */
public interface DriverCore {
    /** The bound driver's name, or {@code ""}. */
    String driver(String address);

    /** The {@code driver_override} value, or {@code ""} when cleared (the kernel prints {@code (null)}). */
    String driverOverride(String address);

    /** True when the driver is registered ({@code bus/pci/drivers/<name>} exists). */
    boolean driverAvailable(String driver);

    /** Loads a kernel module (modprobe). */
    void loadModule(String module) throws IOException;

    /** Writes {@code driver_override}; an empty value clears it (written as a newline). */
    void setOverride(String address, String driver) throws IOException;

    /** Unbinds the function from its current driver; nothing when it has none. */
    void unbind(String address) throws IOException;

    /** Writes the address to {@code bus/pci/drivers_probe}. */
    void probe(String address) throws IOException;

    /** Writes the address to {@code bus/pci/drivers/<driver>/bind}. */
    void bind(String address, String driver) throws IOException;

    /** Waits (bounded) until the function's driver is {@code expected}; returns the driver seen last. */
    default String awaitDriver(String address, String expected, long timeoutMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        String now = driver(address);
        while (!now.equals(expected) && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = driver(address);
        }
        return now;
    }

    /** The VFIO view of an IOMMU group: does {@code /dev/vfio/<group>} exist, and is the group viable. */
    GroupStatus groupStatus(int group);

    /** True for the simulation (results say so). */
    boolean simulated();

    /**
     * What {@code VFIO_GROUP_GET_STATUS} said about a group.
     *
     * @param present the group's device node exists (some member is bound to vfio-pci)
     * @param viable  flag VIABLE: every member is bound to a VFIO-friendly driver or none
     * @param flags   the raw flags word, -1 when the ioctl did not run
     * @param detail  how it was found out, or why it failed
     */
    record GroupStatus(boolean present, boolean viable, int flags, String detail) {
    }
}
