package org.ddabridge.pci;

/** The seven ACS bits as they appear in both the ACS Capability and ACS Control registers. */
public record AcsBits(boolean srcValid, boolean transBlk, boolean reqRedir, boolean cmpltRedir, boolean upstreamFwd,
        boolean egressCtrl, boolean directTrans) {

    /** Decodes the low 7 bits of an ACS capability or control register. */
    public static AcsBits of(int register) {
        return new AcsBits((register & 0x01) != 0, (register & 0x02) != 0, (register & 0x04) != 0,
                (register & 0x08) != 0, (register & 0x10) != 0, (register & 0x20) != 0, (register & 0x40) != 0);
    }

    /** The isolation Linux requires on every bridge above a device (drivers/pci/pci.c REQ_ACS_FLAGS). */
    public boolean hasKernelIsolation() {
        return srcValid && reqRedir && cmpltRedir && upstreamFwd;
    }
}
