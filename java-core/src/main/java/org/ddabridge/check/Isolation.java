package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ddabridge.check.PciTopology.Node;

import org.ddabridge.pci.AcsBits;
import org.ddabridge.pci.Summaries;
/**
 * The kernel's notion of "this function isolates peer-to-peer traffic" ({@code pci_acs_enabled} with the
 * flags {@code pci_device_group} requires: Source Validation, Request Redirect, Completion Redirect,
 * Upstream Forwarding), reimplemented from the rules in drivers/pci/pci.c:
 *
 * <ul>
 *   <li>a device-specific quirk answers first ({@link AcsQuirks});</li>
 *   <li>conventional PCI/PCI-X functions, PCIe-to-PCI(-X) bridges in either direction and event
 *       collectors never isolate;</li>
 *   <li>root ports and downstream ports need ACS; single-function endpoints and upstream ports are fine
 *       without; multifunction ones need ACS;</li>
 *   <li>a required flag the ACS capability does not implement counts as hard-wired on; an implemented one
 *       must be enabled in the control register.</li>
 * </ul>
 *
 * <p>The kernel switches the ACS control bits on only when an IOMMU is active, so with
 * {@code assumeKernelEnables} (IOMMU off, or an offline dump) the control register is taken to be what
 * the kernel would program: every required flag the capability offers.
 */
final class Isolation {
    static final int SV = 0x01;
    static final int RR = 0x04;
    static final int CR = 0x08;
    static final int UF = 0x10;
    static final int EC = 0x20;
    static final int REQUIRED = SV | RR | CR | UF;

    private final boolean assumeKernelEnables;

    Isolation(boolean assumeKernelEnables) {
        this.assumeKernelEnables = assumeKernelEnables;
    }

    /** The verdict on one function with the reason in words (for evidence). */
    record Answer(boolean isolated, String why, boolean unknown) {
        Answer(boolean isolated, String why) {
            this(isolated, why, false);
        }
    }

    Answer acsEnabled(Node n) {
        Optional<String> quirk = AcsQuirks.isolatingQuirk(n);
        if (quirk.isPresent()) {
            return new Answer(true, quirk.get());
        }
        if (!n.isPcie()) {
            return n.capabilitiesUnknown() ? new Answer(false, "capabilities unreadable", true)
                    : new Answer(false, "conventional PCI/PCI-X: a shared bus cannot isolate");
        }
        String type = n.portType();
        switch (type) {
            case "PciePciBridge", "PciPcieBridge", "RcEventCollector":
                return new Answer(false, type + ": ACS not applicable, never isolates");
            case "RootPort", "DownstreamPort":
                return flags(n);
            case "Endpoint", "UpstreamPort", "LegacyEndpoint", "RcIntegratedEndpoint":
                if (!n.multiFunction()) {
                    return new Answer(true, "single-function " + type);
                }
                return flags(n);
            default:
                return new Answer(true, type);
        }
    }

    private Answer flags(Node n) {
        Summaries.Acs acs = n.decoded().acs();
        if (acs == null) {
            return n.extendedUnknown() ? new Answer(false, "extended config space not read: ACS unknown", true)
                    : new Answer(false, "no ACS capability");
        }
        int cap = bits(acs.capability());
        int ctrl = bits(acs.control());
        if (assumeKernelEnables || AcsQuirks.intelSptControlQuirk(n)) {
            ctrl |= cap & REQUIRED;
        }
        int required = REQUIRED & (cap | EC);
        int missing = required & ~ctrl;
        if (missing == 0) {
            String note = acs.capability().hasKernelIsolation() ? ""
                    : " (capability lacks " + names(REQUIRED & ~cap) + ": hard-wired, as the kernel assumes)";
            return new Answer(true, String.format("ACS cap=0x%02x ctrl=0x%02x%s", cap, bits(acs.control()), note));
        }
        return new Answer(false, String.format("ACS cap=0x%02x ctrl=0x%02x, not enabled: %s", cap,
                bits(acs.control()), names(missing)));
    }

    /** Every function on the way from {@code start} up to the root isolates ({@code pci_acs_path_enabled}). */
    boolean pathEnabled(PciTopology topo, Node start) {
        if (!acsEnabled(start).isolated()) {
            return false;
        }
        for (Node up : topo.upstream(start)) {
            if (!acsEnabled(up).isolated()) {
                return false;
            }
        }
        return true;
    }

    static int bits(AcsBits b) {
        return (b.srcValid() ? 0x01 : 0) | (b.transBlk() ? 0x02 : 0) | (b.reqRedir() ? 0x04 : 0)
                | (b.cmpltRedir() ? 0x08 : 0) | (b.upstreamFwd() ? 0x10 : 0) | (b.egressCtrl() ? 0x20 : 0)
                | (b.directTrans() ? 0x40 : 0);
    }

    static String names(int mask) {
        List<String> out = new ArrayList<>();
        String[] n = {"SrcValid", "TransBlk", "ReqRedir", "CmpltRedir", "UpstreamFwd", "EgressCtrl", "DirectTrans"};
        for (int i = 0; i < n.length; i++) {
            if ((mask & 1 << i) != 0) {
                out.add(n[i]);
            }
        }
        return String.join(" ", out);
    }
}
