package org.ddabridge.driver.windows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ddabridge.model.windows.HostProperties;
/**
 * Hyper-V's WMI classes (namespace {@code root\virtualization\v2}) the backend reads and calls, all through
 * {@link WmiHandler}. Windows only.
 *
 * <ul>
 *   <li>host: {@code Msvm_VirtualEthernetSwitchManagementCapabilities.IOVSupport / IOVSupportReasons} (what
 *       {@code (Get-VMHost).IovSupport} shows), {@code Win32_OperatingSystem.Version};</li>
 *   <li>dismount/mount: {@code Msvm_AssignableDeviceService.DismountAssignableDevice} (an embedded
 *       {@code Msvm_AssignableDeviceDismountSettingData}) and {@code MountAssignableDevice};</li>
 *   <li>VMs: {@code Msvm_ComputerSystem} by {@code ElementName}, its realized
 *       {@code Msvm_VirtualSystemSettingData}, {@code Msvm_VirtualSystemManagementService.ModifySystemSettings},
 *       {@code AddResourceSettings} / {@code RemoveResourceSettings} with {@code Msvm_PciExpressSettingData}
 *       whose {@code HostResource} names the pool's {@code Msvm_PciExpress}.</li>
 * </ul>
 */
public final class HyperVWmi {
    static final String NS = WmiHandler.VIRTUALIZATION;
    private static final WmiHandler WMI = new WmiHandler(Duration.ofSeconds(30));

    private HyperVWmi() {
    }

    /** The shared handler (its {@link WmiHandler#failures()} explain empty answers). */
    public static WmiHandler handler() {
        return WMI;
    }

    /** Host facts, fail-soft: unknown fields stay null. */
    public static HostProperties hostProperties() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("COMPUTERNAME", "");
        }
        String os = WMI.run(WmiHandler.CIMV2, s -> {
            List<Map<String, Object>> rows = s.query(WmiHandler.CIMV2, "SELECT Version FROM Win32_OperatingSystem",
                    "Version");
            return rows.isEmpty() ? null : (String) rows.get(0).get("Version");
        }).orElse(System.getProperty("os.version"));
        Optional<Map<String, Object>> iov = WMI.run(NS, s -> {
            List<Map<String, Object>> rows = s.query(NS,
                    "SELECT IOVSupport, IOVSupportReasons FROM Msvm_VirtualEthernetSwitchManagementCapabilities",
                    "IOVSupport", "IOVSupportReasons");
            return rows.isEmpty() ? Map.of() : rows.get(0);
        });
        Boolean present = iov.isPresent();
        Boolean support = iov.map(m -> m.get("IOVSupport")).filter(Boolean.class::isInstance).map(Boolean.class::cast)
                .orElse(null);
        List<String> reasons = new ArrayList<>();
        iov.map(m -> m.get("IOVSupportReasons")).filter(List.class::isInstance)
                .ifPresent(l -> ((List<?>) l).forEach(r -> reasons.add(String.valueOf(r))));
        return new HostProperties(host, os, present, support, reasons, "live");
    }

    /** A WQL string literal: backslashes and quotes escaped. */
    static String wql(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** {@code __PATH} of the only instance of a service class. */
    static String servicePath(WmiHandler.Session s, String className) {
        List<Map<String, Object>> rows = s.query(NS, "SELECT * FROM " + className);
        if (rows.isEmpty()) {
            throw new WindowsHostControl.ControlException("NotFound", className + " not found: is Hyper-V installed?");
        }
        return (String) rows.get(0).get("__PATH");
    }

    /** {@code __PATH} of the VM's Msvm_ComputerSystem. */
    static String vmPath(WmiHandler.Session s, String vmName) {
        List<Map<String, Object>> rows = s.query(NS, "SELECT * FROM Msvm_ComputerSystem WHERE Caption = "
                + wql("Virtual Machine") + " AND ElementName = " + wql(vmName));
        if (rows.isEmpty()) {
            throw new WindowsHostControl.ControlException("VmNotFound", "No VM named '" + vmName + "'.");
        }
        return (String) rows.get(0).get("__PATH");
    }

    /** The VM's realized settings object (caller releases). */
    static WbemComExt.ClassObject vssd(WmiHandler.Session s, String vmName) {
        String vm = vmPath(s, vmName);
        WbemComExt.ClassObject found = null;
        for (WbemComExt.ClassObject o : s.objects(NS, "ASSOCIATORS OF {" + vm
                + "} WHERE ResultClass = Msvm_VirtualSystemSettingData")) {
            Object type = WmiHandler.Session.get(o, "VirtualSystemType");
            if (found == null && "Microsoft:Hyper-V:System:Realized".equals(type)) {
                found = o;
            } else {
                o.Release();
            }
        }
        if (found == null) {
            throw new WindowsHostControl.ControlException("VmNotFound", "VM '" + vmName + "' has no realized settings.");
        }
        return found;
    }

    /** {@code __PATH} of the pool's Msvm_PciExpress for a location path. */
    static String pciExpressPath(WmiHandler.Session s, String locationPath) {
        List<Map<String, Object>> rows = s.query(NS, "SELECT * FROM Msvm_PciExpress WHERE LocationPath = "
                + wql(locationPath), "SystemName");
        if (rows.isEmpty()) {
            throw new WindowsHostControl.ControlException("NotInPool",
                    "No dismounted device at " + locationPath + " (dismount it first).");
        }
        Map<String, Object> host = hostSide(rows, hostName(s));
        if (host == null) {
            throw new WindowsHostControl.ControlException("NotInPool",
                    "No dismounted device at " + locationPath + " in the host's pool (dismount it first).");
        }
        return (String) host.get("__PATH");
    }

    /** {@code Name} of the host's own Msvm_ComputerSystem (the SystemName of its pool devices). */
    static String hostName(WmiHandler.Session s) {
        List<Map<String, Object>> rows = s.query(NS, "SELECT Name FROM Msvm_ComputerSystem WHERE Caption = "
                + wql("Hosting Computer System"), "Name");
        if (rows.isEmpty()) {
            throw new WindowsHostControl.ControlException("NotFound", "No hosting Msvm_ComputerSystem: is Hyper-V "
                    + "installed?");
        }
        return (String) rows.get(0).get("Name");
    }

    /** Of the Msvm_PciExpress rows of one location path, the host pool's (null: none). */
    static Map<String, Object> hostSide(List<Map<String, Object>> rows, String hostSystemName) {
        // An assigned device has two instances: the host's (SystemName = the host's Msvm_ComputerSystem.Name,
        // its computer name, compared like Windows compares computer names: ignoring case) and the VM's
        // (SystemName = the VM's GUID). Row order is not documented, so the side is chosen by name.
        for (Map<String, Object> row : rows) {
            if (row.get("SystemName") instanceof String n && n.equalsIgnoreCase(hostSystemName)) {
                return row;
            }
        }
        return null;
    }
}
