package org.ddabridge.driver.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.jna.platform.win32.Cfgmgr32;
import com.sun.jna.ptr.IntByReference;

/**
 * The real host: CfgMgr32 for the device node, Hyper-V WMI ({@link HyperVWmi}) for dismount/mount and VMs.
 * Every WMI method goes through {@code IWbemServices::ExecMethod} via JNA ({@link WmiHandler}); nothing
 * shells out. Compiles everywhere; runs on Windows only (not run by this project's CI: see docs/windows.md).
 */
public final class NativeWindowsHostControl implements WindowsHostControl {
    private static final String NS = HyperVWmi.NS;
    // Msvm_VirtualSystemSettingData.AutomaticShutdownAction values (Hyper-V WMI v2): 2 TurnOff, 3 Save, 4 ShutDown.
    private static final Map<String, Integer> STOP_ACTIONS = Map.of("TurnOff", 2, "Save", 3, "ShutDown", 4);

    private static final int VM_OFF = 3;
    /**
     * {@code CM_Disable_DevNode} flags: no UI, and persistent like Disable-PnpDevice (without
     * CM_DISABLE_PERSIST the node comes back enabled at the next boot, under a dismounted device's feet).
     */
    static final int DISABLE_FLAGS = Cfgmgr32Ext.CM_DISABLE_UI_NOT_OK | Cfgmgr32Ext.CM_DISABLE_PERSIST;

    private final WmiHandler wmi = HyperVWmi.handler();

    @Override
    public NodeState nodeState(String instanceId) {
        int node = CfgMgrDeviceSource.locate(instanceId);
        if (node < 0) {
            return NodeState.ABSENT;
        }
        IntByReference status = new IntByReference();
        IntByReference problem = new IntByReference();
        if (Cfgmgr32Ext.INSTANCE.CM_Get_DevNode_Status(status, problem, node, 0) != Cfgmgr32.CR_SUCCESS) {
            return NodeState.ABSENT;
        }
        boolean hasProblem = (status.getValue() & DevPropKeys.DN_HAS_PROBLEM) != 0;
        return hasProblem && problem.getValue() == DevPropKeys.CM_PROB_DISABLED ? NodeState.DISABLED
                : NodeState.ENABLED;
    }

    @Override
    public void disable(String instanceId) {
        int node = require(instanceId);
        cr("CM_Disable_DevNode", Cfgmgr32Ext.INSTANCE.CM_Disable_DevNode(node, DISABLE_FLAGS));
    }

    @Override
    public void enable(String instanceId) {
        int node = require(instanceId);
        cr("CM_Enable_DevNode", Cfgmgr32Ext.INSTANCE.CM_Enable_DevNode(node, 0));
    }

    private static int require(String instanceId) {
        int node = CfgMgrDeviceSource.locate(instanceId);
        if (node < 0) {
            throw new ControlException("CR_NO_SUCH_DEVNODE", "No device node " + instanceId + ".");
        }
        return node;
    }

    private static void cr(String what, int code) {
        if (code != Cfgmgr32.CR_SUCCESS) {
            throw new ControlException(String.format("CR_0x%02X", code), what + " failed with CONFIGRET 0x"
                    + Integer.toHexString(code) + (code == Cfgmgr32.CR_REMOVE_VETOED
                            ? " (removal vetoed: the device is in use)" : "") + ".");
        }
    }

    private <T> T call(String what, WmiHandler.Work<T> work) {
        Optional<T> r = wmi.run(NS, work);
        if (r.isEmpty()) {
            List<String> f = wmi.failures();
            throw new ControlException("WmiFailed", what + " failed: " + (f.isEmpty() ? "no answer" : f.get(f.size() - 1)));
        }
        return r.get();
    }

    @Override
    public List<String> pool() {
        return call("Reading the assignable device pool", s -> {
            List<String> out = new ArrayList<>();
            for (Map<String, Object> row : s.query(NS, "SELECT LocationPath FROM Msvm_PciExpress", "LocationPath")) {
                if (row.get("LocationPath") instanceof String p) {
                    out.add(p);
                }
            }
            return out;
        });
    }

    @Override
    public String dismount(String instanceId, String locationPath, boolean force) {
        Map<String, Object> out = call("DismountAssignableDevice", s -> {
            Map<String, Object> setting = new LinkedHashMap<>();
            setting.put("DeviceInstancePath", instanceId);
            setting.put("DeviceLocationPath", locationPath);
            // -Force in the cmdlet = do not insist on ACS and on a vendor mitigation driver.
            setting.put("RequireAcsSupport", !force);
            setting.put("RequireDeviceMitigations", !force);
            String text = s.embeddedInstance(NS, "Msvm_AssignableDeviceDismountSettingData", setting);
            return s.execMethod(NS, HyperVWmi.servicePath(s, "Msvm_AssignableDeviceService"),
                    "Msvm_AssignableDeviceService", "DismountAssignableDevice", Map.of("DismountSettingData", text),
                    "DismountedDeviceInstancePath");
        });
        if (out.get("DismountedDeviceInstancePath") instanceof String pooled && !pooled.isEmpty()) {
            return pooled;
        }
        // Hyper-V answered through a job (no out parameter): the pool has the identity.
        return pooledInstancePath(locationPath).orElseThrow(() -> new ControlException("NotInPool",
                "DismountAssignableDevice finished but no pooled device is at " + locationPath + "."));
    }

    @Override
    public void mount(String pooledInstancePath, String locationPath) {
        call("MountAssignableDevice", s -> s.execMethod(NS, HyperVWmi.servicePath(s, "Msvm_AssignableDeviceService"),
                "Msvm_AssignableDeviceService", "MountAssignableDevice",
                Map.of("DeviceInstancePath", pooledInstancePath, "DeviceLocationPath", locationPath),
                "MountedDeviceInstancePath"));
    }

    @Override
    public Optional<String> pooledInstancePath(String locationPath) {
        return Optional.ofNullable(call("Reading the assignable device pool", s -> {
            Map<String, Object> row = HyperVWmi.hostSide(s.query(NS, "SELECT DeviceInstancePath, SystemName FROM "
                    + "Msvm_PciExpress WHERE LocationPath = " + HyperVWmi.wql(locationPath), "DeviceInstancePath",
                    "SystemName"), HyperVWmi.hostName(s));
            return row == null || !(row.get("DeviceInstancePath") instanceof String p) ? "" : p;
        })).filter(p -> !p.isEmpty());
    }

    @Override
    public boolean vmOff(String vmName) {
        return call("Reading the VM state", s -> {
            List<Map<String, Object>> rows = s.query(NS, "SELECT EnabledState FROM Msvm_ComputerSystem WHERE Caption = "
                    + HyperVWmi.wql("Virtual Machine") + " AND ElementName = " + HyperVWmi.wql(vmName), "EnabledState");
            if (rows.isEmpty()) {
                throw new ControlException("VmNotFound", "No VM named '" + vmName + "'.");
            }
            // CIM_EnabledLogicalElement.EnabledState 3 = Disabled: the VM is off.
            return rows.get(0).get("EnabledState") instanceof Number n && n.intValue() == VM_OFF;
        });
    }

    @Override
    public boolean vmExists(String vmName) {
        return wmi.run(NS, s -> !s.query(NS, "SELECT * FROM Msvm_ComputerSystem WHERE Caption = "
                + HyperVWmi.wql("Virtual Machine") + " AND ElementName = " + HyperVWmi.wql(vmName)).isEmpty())
                .orElse(false);
    }

    @Override
    public VmSettings vmSettings(String vmName) {
        return call("Reading VM settings", s -> {
            WbemComExt.ClassObject v = HyperVWmi.vssd(s, vmName);
            try {
                Object stop = WmiHandler.Session.get(v, "AutomaticShutdownAction");
                String stopName = null;
                for (Map.Entry<String, Integer> e : STOP_ACTIONS.entrySet()) {
                    if (stop instanceof Number n && n.intValue() == e.getValue()) {
                        stopName = e.getKey();
                    }
                }
                return new VmSettings(stopName, (Boolean) WmiHandler.Session.get(v, "GuestControlledCacheTypes"),
                        mb(WmiHandler.Session.get(v, "LowMmioGapSize")), mb(WmiHandler.Session.get(v, "HighMmioGapSize")));
            } finally {
                v.Release();
            }
        });
    }

    /** MMIO gap sizes are uint64 MB (WMI passes them as text). */
    private static Long mb(Object v) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(String.valueOf(v).trim()) << 20;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void setVmSettings(String vmName, VmSettings settings) {
        call("ModifySystemSettings", s -> {
            WbemComExt.ClassObject v = HyperVWmi.vssd(s, vmName);
            try {
                Map<String, Object> p = new LinkedHashMap<>();
                if (settings.automaticStopAction() != null) {
                    p.put("AutomaticShutdownAction", STOP_ACTIONS.get(settings.automaticStopAction()));
                }
                if (settings.guestControlledCacheTypes() != null) {
                    p.put("GuestControlledCacheTypes", settings.guestControlledCacheTypes());
                }
                if (settings.lowMmioBytes() != null) {
                    p.put("LowMmioGapSize", (settings.lowMmioBytes() + (1L << 20) - 1) >> 20);
                }
                if (settings.highMmioBytes() != null) {
                    p.put("HighMmioGapSize", (settings.highMmioBytes() + (1L << 20) - 1) >> 20);
                }
                WmiHandler.Session.put(v, p);
                String text = s.text(v);
                return s.execMethod(NS, HyperVWmi.servicePath(s, "Msvm_VirtualSystemManagementService"),
                        "Msvm_VirtualSystemManagementService", "ModifySystemSettings", Map.of("SystemSettings", text));
            } finally {
                v.Release();
            }
        });
    }

    @Override
    public List<String> assigned(String vmName) {
        return call("Reading assigned devices", s -> {
            WbemComExt.ClassObject v = HyperVWmi.vssd(s, vmName);
            String vssdPath;
            try {
                vssdPath = (String) WmiHandler.Session.get(v, "__PATH");
            } finally {
                v.Release();
            }
            List<String> out = new ArrayList<>();
            for (Map<String, Object> row : s.query(NS, "ASSOCIATORS OF {" + vssdPath
                    + "} WHERE ResultClass = Msvm_PciExpressSettingData", "HostResource")) {
                String loc = hostResourceLocation(s, row);
                if (loc != null) {
                    out.add(loc);
                }
            }
            return out;
        });
    }

    @Override
    public void addToVm(String vmName, String locationPath) {
        call("AddResourceSettings", s -> {
            String pci = HyperVWmi.pciExpressPath(s, locationPath);
            WbemComExt.ClassObject v = HyperVWmi.vssd(s, vmName);
            String vssdPath;
            try {
                vssdPath = (String) WmiHandler.Session.get(v, "__PATH");
            } finally {
                v.Release();
            }
            List<WbemComExt.ClassObject> templates = s.objects(NS,
                    "SELECT * FROM Msvm_PciExpressSettingData WHERE InstanceID LIKE '%Default'");
            if (templates.isEmpty()) {
                throw new ControlException("NotFound", "No default Msvm_PciExpressSettingData.");
            }
            String text;
            try {
                WbemComExt.ClassObject t = templates.get(0);
                WmiHandler.Session.put(t, Map.of("HostResource", new String[] {pci}));
                text = s.text(t);
            } finally {
                templates.forEach(WbemComExt.ClassObject::Release);
            }
            return s.execMethod(NS, HyperVWmi.servicePath(s, "Msvm_VirtualSystemManagementService"),
                    "Msvm_VirtualSystemManagementService", "AddResourceSettings",
                    Map.of("AffectedConfiguration", vssdPath, "ResourceSettings", new String[] {text}));
        });
    }

    @Override
    public void removeFromVm(String vmName, String locationPath) {
        call("RemoveResourceSettings", s -> {
            WbemComExt.ClassObject v = HyperVWmi.vssd(s, vmName);
            String vssdPath;
            try {
                vssdPath = (String) WmiHandler.Session.get(v, "__PATH");
            } finally {
                v.Release();
            }
            String settingPath = null;
            for (Map<String, Object> row : s.query(NS, "ASSOCIATORS OF {" + vssdPath
                    + "} WHERE ResultClass = Msvm_PciExpressSettingData", "HostResource")) {
                if (locationPath.equals(hostResourceLocation(s, row))) {
                    settingPath = (String) row.get("__PATH");
                }
            }
            if (settingPath == null) {
                throw new ControlException("NotAssigned", locationPath + " is not assigned to '" + vmName + "'.");
            }
            return s.execMethod(NS, HyperVWmi.servicePath(s, "Msvm_VirtualSystemManagementService"),
                    "Msvm_VirtualSystemManagementService", "RemoveResourceSettings",
                    Map.of("ResourceSettings", new String[] {settingPath}));
        });
    }

    /**
     * The location path of the device a Msvm_PciExpressSettingData row's HostResource names, read from the
     * object itself: WMI object paths are not promised to be spelled alike, so they are never compared.
     */
    private static String hostResourceLocation(WmiHandler.Session s, Map<String, Object> row) {
        if (row.get("HostResource") instanceof List<?> l) {
            for (Object hr : l) {
                if (hr instanceof String path && s.property(NS, path, "LocationPath") instanceof String loc) {
                    return loc;
                }
            }
        }
        return null;
    }

    @Override
    public boolean simulated() {
        return false;
    }
}
