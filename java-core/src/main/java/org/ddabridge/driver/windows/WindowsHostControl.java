package org.ddabridge.driver.windows;

import java.util.List;
import java.util.Optional;

import org.ddabridge.assign.windows.WindowsAssignment;
/**
 * The Windows/Hyper-V operations assignment needs: the seam between the plan logic
 * ({@link WindowsAssignment}) and the machine. {@link NativeWindowsHostControl} calls CfgMgr32 and Hyper-V's
 * WMI provider; {@link SimulatedWindowsHostControl} keeps state in memory for tests.
 *
 * <p>Devices are named by instance id and location path (Hyper-V needs both for mount). Failures throw
 * {@link ControlException} with Windows' own code and words.
 */
public interface WindowsHostControl {
    /** Device node state as CfgMgr32 sees it. */
    enum NodeState { ENABLED, DISABLED, ABSENT }

    /** VM settings DDA cares about (null fields: leave unchanged). */
    record VmSettings(String automaticStopAction, Boolean guestControlledCacheTypes, Long lowMmioBytes,
            Long highMmioBytes) {
    }

    /** Node state of the device with this instance id (ABSENT once dismounted: the host node is gone). */
    NodeState nodeState(String instanceId);

    /** {@code CM_Disable_DevNode}. */
    void disable(String instanceId);

    /** {@code CM_Enable_DevNode}. */
    void enable(String instanceId);

    /** Location paths in the host's assignable-device pool (dismounted devices). */
    List<String> pool();

    /**
     * {@code Msvm_AssignableDeviceService.DismountAssignableDevice}; returns its
     * {@code DismountedDeviceInstancePath}: the device's identity in the pool ({@code PCIP\...}), which
     * mount must name.
     */
    String dismount(String instanceId, String locationPath, boolean force);

    /**
     * {@code Msvm_AssignableDeviceService.MountAssignableDevice}; {@code pooledInstancePath} is the pooled
     * identity (what dismount returned, or {@link #pooledInstancePath}), not the original {@code PCI\} id.
     */
    void mount(String pooledInstancePath, String locationPath);

    /** The pooled identity ({@code Msvm_PciExpress.DeviceInstancePath} on the host side) at a location path. */
    Optional<String> pooledInstancePath(String locationPath);

    /** True when the VM is off (its MMIO gaps can be changed only then). */
    boolean vmOff(String vmName);

    /** True when a VM of that name exists. */
    boolean vmExists(String vmName);

    /** The VM's current DDA-relevant settings. */
    VmSettings vmSettings(String vmName);

    /** {@code Msvm_VirtualSystemManagementService.ModifySystemSettings} for the non-null fields. */
    void setVmSettings(String vmName, VmSettings settings);

    /** Location paths assigned to the VM. */
    List<String> assigned(String vmName);

    /** {@code AddResourceSettings} with an {@code Msvm_PciExpressSettingData} for the pool device. */
    void addToVm(String vmName, String locationPath);

    /** {@code RemoveResourceSettings} of the VM's setting data for that device. */
    void removeFromVm(String vmName, String locationPath);

    /** True for the simulation. */
    boolean simulated();

    /** An operation failed on the host. */
    final class ControlException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        public ControlException(String code, String message) {
            super(message);
            this.code = code;
        }

        /** Windows' code: {@code CR_*} name, WMI return value or HRESULT text. */
        public String code() {
            return code;
        }
    }
}
