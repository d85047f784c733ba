package org.ddabridge.assign;

/**
 * Why a state change is stopped for one function. Hard guards hold even with {@code force}: they protect
 * the host itself (its disk, its console) or describe what the kernel cannot do.
 */
public enum GuardCode {
    /** The function has no IOMMU group: the IOMMU is off or the kernel did not group it. */
    NoIommuGroup(true),
    /** The group holds a conventional bridge: nothing behind it can be isolated. */
    GroupContainsBridge(true),
    /** The function itself is a bridge or port. */
    Bridge(true),
    /** The host's boot display. */
    BootVga(true),
    /** Holds the root file system. */
    RootDisk(true),
    /** Holds mounted file systems or swap. */
    MountedFilesystem(true),
    /** Stacked block devices or processes use it (stop them first, or force). */
    InUse(false),
    /** Carries the host's default route (force when another path exists). */
    DefaultRouteNic(false),
    /** In the assignable-device pool: mount it first. */
    InPool(true),
    /**
     * driverctl persists another driver for the function (or, for mount, vfio-pci): DdaBridge never fights
     * driverctl's saved overrides; {@code driverctl unset-override}, or a transient dismount/mount.
     */
    DriverctlOverride(true);

    private final boolean hard;

    GuardCode(boolean hard) {
        this.hard = hard;
    }

    public boolean hard() {
        return hard;
    }
}
