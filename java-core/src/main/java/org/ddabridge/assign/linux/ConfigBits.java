package org.ddabridge.assign.linux;

/**
 * The few config-space facts the guards need (header type, PCIe port type, MSI/MSI-X), read from the raw
 * bytes. The full decoder lives in {@code org.ddabridge.pci}; this stays tiny on purpose.
 */
final class ConfigBits {
    static final int CAP_MSI = 0x05;
    static final int CAP_PCIE = 0x10;
    static final int CAP_MSIX = 0x11;
    /** PCIe device/port types (PCIe capability register bits 7:4). */
    static final int PCIE_ROOT_PORT = 4;
    static final int PCIE_UPSTREAM = 5;
    static final int PCIE_DOWNSTREAM = 6;
    static final int PCIE_TO_PCI_BRIDGE = 7;

    private ConfigBits() {
    }

    static int u8(byte[] c, int off) {
        return off < c.length ? c[off] & 0xff : 0;
    }

    /** Offset of a standard capability, or 0. */
    static int cap(byte[] c, int id) {
        if (c.length < 64 || (u8(c, 0x06) & 0x10) == 0) {
            return 0;
        }
        int off = u8(c, 0x34) & 0xfc;
        for (int guard = 0; off >= 0x40 && guard < 48; guard++) {
            if (u8(c, off) == id) {
                return off;
            }
            off = u8(c, off + 1) & 0xfc;
        }
        return 0;
    }

    /** Header type without the multifunction bit; -1 when unknown. */
    static int headerType(byte[] c) {
        return c.length > 0x0e ? u8(c, 0x0e) & 0x7f : -1;
    }

    /** The PCIe device/port type, or -1 without a PCIe capability. */
    static int pcieType(byte[] c) {
        int off = cap(c, CAP_PCIE);
        return off == 0 ? -1 : (u8(c, off + 2) >> 4) & 0xf;
    }

    static boolean hasMsi(byte[] c) {
        return cap(c, CAP_MSI) != 0 || cap(c, CAP_MSIX) != 0;
    }

    /** A PCIe root or switch port: the kernel's pcieport driver handles it and VFIO tolerates it in a group. */
    static boolean isPciePort(byte[] c) {
        int t = pcieType(c);
        return t == PCIE_ROOT_PORT || t == PCIE_UPSTREAM || t == PCIE_DOWNSTREAM;
    }
}
