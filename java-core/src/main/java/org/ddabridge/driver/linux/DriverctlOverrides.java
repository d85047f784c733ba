package org.ddabridge.driver.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.BootOverride;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;

/**
 * driverctl's saved overrides: {@code etc/driverctl.d/pci-<address>}, each holding the driver's name
 * ({@code driverctl set-override} writes them unless {@code --nosave}; its udev rule starts
 * {@code driverctl@pci-<address>.service} on the device's {@code add} event, which re-applies them). DdaBridge
 * only reads them: it lists them in {@code pool} and never writes or removes them.
 */
public final class DriverctlOverrides {
    /** driverctl's directory, relative to the host root. */
    public static final String DIR = "etc/driverctl.d";

    private DriverctlOverrides() {
    }

    /** Every saved PCI override of {@code root}. */
    public static List<BootOverride> read(HostRoot root) {
        List<BootOverride> out = new ArrayList<>();
        for (String name : SysFiles.listNames(root.resolve(DIR))) {
            BootOverride o = parse(name, SysFiles.readString(root.resolve(DIR + "/" + name)));
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * One file: {@code pci-<address>} holding a driver name. Other buses ({@code usb-...}), empty files (driverctl
     * treats them as no override) and names that are not a PCI address give null.
     */
    public static BootOverride parse(String fileName, String content) {
        if (!fileName.startsWith("pci-")) {
            return null;
        }
        String address = fileName.substring(4).toLowerCase();
        String driver = content.trim();
        if (!address.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]") || driver.isEmpty()
                || driver.contains("\n")) {
            return null;
        }
        return new BootOverride(address, driver, BootOverride.Source.DRIVERCTL, null, null, null,
                DIR + "/" + fileName);
    }
}
