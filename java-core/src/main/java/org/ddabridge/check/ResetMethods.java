package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ddabridge.check.PciTopology.Node;
import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.StandardCapabilities;

/**
 * The reset methods the kernel would offer for a function ({@code pci_init_reset_methods}), from its
 * configuration space, in the kernel's order: {@code flr} (PCIe DevCap FLR), {@code af_flr} (PCI Advanced
 * Features with Transactions Pending and FLR), {@code pm} (PM capability with NoSoftRst clear), {@code bus}
 * (a secondary bus reset by the bridge above: not on a root bus, not for bridges). Kernel reset quirks remove
 * a method ({@link ResetQuirks}). Device-specific and ACPI {@code _RST} resets cannot be seen in config space;
 * the live {@code reset_method} file lists them when the kernel has them.
 */
final class ResetMethods {
    /** The methods and the config-space facts they rest on, in words. */
    record Computed(List<String> methods, String why) {
    }

    private ResetMethods() {
    }

    static Computed compute(Node n, Node parent, boolean firstOnBus, ResetQuirks.Disabled quirks) {
        DecodedFunction d = n.decoded();
        List<String> methods = new ArrayList<>();
        boolean flr = d.pcie() != null && d.pcie().flr();
        Map<String, Object> af = ConfigDecoder.first(d.capabilities(), StandardCapabilities.ADVANCED_FEATURES);
        boolean afFlr = af != null && Boolean.TRUE.equals(af.get("transactionsPending"))
                && Boolean.TRUE.equals(af.get("flr"));
        boolean pm = d.pm() != null && !d.pm().noSoftReset();
        // pci_parent_bus_reset refuses when another function is already on the bus; at enumeration time only
        // the first function (lowest address) is alone there, so only it gets "bus".
        boolean bus = n.parent() != null && parent != null && !n.isBridge() && firstOnBus;
        if (flr && !quirks.flr()) {
            methods.add("flr");
        }
        if (afFlr && !quirks.flr()) {
            methods.add("af_flr");
        }
        if (pm && !quirks.pm()) {
            methods.add("pm");
        }
        if (bus && !quirks.bus()) {
            methods.add("bus");
        }
        String why = "FLR=" + flr + " AF_FLR=" + (af == null ? "none" : afFlr)
                + " PM=" + (d.pm() == null ? "none" : "NoSoftRst=" + d.pm().noSoftReset())
                + " bus=" + (n.parent() == null ? "root bus" : n.isBridge() ? "bridge"
                        : firstOnBus ? "bridge above" : "not the first function on its bus");
        return new Computed(List.copyOf(methods), why);
    }
}
