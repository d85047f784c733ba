package org.ddabridge.survey;

import java.util.Map;

import org.ddabridge.model.PciDevice;
/**
 * Windows Plug and Play vocabulary for Linux facts, so scripts written for {@code Get-PnpDevice} work on a
 * Linux host: the device setup class a PCI function would have on Windows (from its class code) and the
 * Windows service (driver) that usually drives it (from the Linux driver bound to it).
 *
 * <p>The tables follow Windows' inbox classes and drivers; README "Windows vocabulary" lists them.
 */
public final class PnpVocabulary {
    /** Class code prefix (2, 4 or 6 hex digits) to Windows setup class; the longest prefix wins. */
    static final Map<String, String> CLASS_BY_CODE = Map.ofEntries(
            Map.entry("0100", "SCSIAdapter"), // SCSI
            Map.entry("0101", "HDC"), // IDE
            Map.entry("0104", "SCSIAdapter"), // RAID
            Map.entry("0106", "HDC"), // SATA (AHCI)
            Map.entry("0107", "SCSIAdapter"), // SAS
            Map.entry("0108", "SCSIAdapter"), // NVM Express: stornvme is a storport miniport
            Map.entry("01", "SCSIAdapter"),
            Map.entry("02", "Net"),
            Map.entry("0300", "Display"),
            Map.entry("0302", "Display"),
            Map.entry("03", "Display"),
            Map.entry("0401", "MEDIA"),
            Map.entry("0403", "MEDIA"), // HD audio
            Map.entry("04", "MEDIA"),
            Map.entry("05", "System"), // memory controllers
            Map.entry("06", "System"), // bridges: host, ISA, PCI, root ports
            Map.entry("0700", "Ports"),
            Map.entry("07", "System"),
            Map.entry("08", "System"),
            Map.entry("0c03", "USB"),
            Map.entry("0c05", "System"), // SMBus
            Map.entry("0c", "System"),
            Map.entry("0d", "Net"), // wireless
            Map.entry("10", "System"), // encryption
            Map.entry("11", "System"),
            Map.entry("12", "System")); // processing accelerators

    /** Linux driver to the Windows service of the equivalent inbox (or vendor) driver. */
    static final Map<String, String> SERVICE_BY_DRIVER = Map.ofEntries(
            Map.entry("nvme", "stornvme"),
            Map.entry("ahci", "storahci"),
            Map.entry("megaraid_sas", "megasas"),
            Map.entry("mpt3sas", "LSI_SAS3"),
            Map.entry("xhci_hcd", "USBXHCI"),
            Map.entry("ehci-pci", "usbehci"),
            Map.entry("uhci_hcd", "usbuhci"),
            Map.entry("ohci-pci", "usbohci"),
            Map.entry("snd_hda_intel", "HDAudBus"),
            Map.entry("e1000e", "e1iexpress"),
            Map.entry("e1000", "E1G60"),
            Map.entry("igb", "e1rexpress"),
            Map.entry("ixgbe", "ixgbn"),
            Map.entry("i40e", "i40ea"),
            Map.entry("mlx4_core", "mlx4_bus"),
            Map.entry("mlx5_core", "mlx5"),
            Map.entry("r8169", "rt640x64"),
            Map.entry("ne2k-pci", "ne2000"),
            Map.entry("nvidia", "nvlddmkm"),
            Map.entry("nouveau", "nvlddmkm"),
            Map.entry("amdgpu", "amdkmdag"),
            Map.entry("i915", "igfx"),
            Map.entry("virtio-pci", "vioscsi"),
            Map.entry("pcieport", "pci"),
            Map.entry("shpchp", "pci"),
            Map.entry("vfio-pci", "vfio-pci"));

    private PnpVocabulary() {
    }

    /** Windows setup class for the function, e.g. {@code SCSIAdapter} for an NVMe controller. */
    public static String setupClass(PciDevice d) {
        String code = d.classCode();
        for (int len = 6; len >= 2; len -= 2) {
            String c = CLASS_BY_CODE.get(code.substring(0, len));
            if (c != null) {
                return c;
            }
        }
        return "System";
    }

    /**
     * Windows service for the function's bound driver ({@code stornvme} for {@code nvme}); a driver not in
     * the table keeps its Linux name; no driver = null (as Windows shows a device without a driver).
     */
    public static String service(PciDevice d) {
        if (d.driver() == null) {
            return null;
        }
        if ("virtio-pci".equals(d.driver())) {
            return virtioService(d);
        }
        return SERVICE_BY_DRIVER.getOrDefault(d.driver(), d.driver());
    }

    /** virtio's Windows drivers are per device type (virtio-win: netkvm, viostor, vioscsi, …). */
    private static String virtioService(PciDevice d) {
        return switch (d.classCode().substring(0, 2)) {
            case "02" -> "netkvm";
            case "01" -> d.classCode().startsWith("0100") ? "vioscsi" : "viostor";
            default -> "VirtIO";
        };
    }
}
