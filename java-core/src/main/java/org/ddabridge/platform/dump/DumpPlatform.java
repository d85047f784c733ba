package org.ddabridge.platform.dump;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.driver.dump.LspciDump;
import org.ddabridge.driver.linux.PciIds;
import org.ddabridge.model.Finding;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.platform.spi.HostFactsVisitor;
import org.ddabridge.platform.spi.PciHostFacts;
import org.ddabridge.platform.spi.PlatformBackend;

/**
 * An {@code lspci -xxx} dump of a machine nobody can log in to, as one more backend: functions and config
 * spaces from the dump, parents from the bridges' secondary bus numbers, names from this system's
 * pci.ids; IOMMU facts and host use unknown (so groups are predicted and host checks say unknown).
 */
public final class DumpPlatform implements PlatformBackend {
    private final String text;
    private final String label;

    /** @param label how the host is named in the report ({@code dump:<file>}) */
    public DumpPlatform(String text, String label) {
        this.text = text;
        this.label = label;
    }

    @Override
    public String name() {
        return "dump";
    }

    @Override
    public <R> R facts(HostSnapshot snapshot, HostFactsVisitor<R> visitor) {
        return visitor.pciHost(new PciHostFacts(snapshot, IommuFacts.unknown(), HostUse.unknown(), null));
    }

    /**
     * Intact functions become devices; damaged ones and absent ones (config space reading all ones or zeros,
     * which the kernel does not enumerate: a powered-off function, an empty slot) are findings.
     *
     * @throws org.ddabridge.api.EngineException DumpInvalid when the text is not a dump
     */
    @Override
    public HostSnapshot snapshot() {
        Map<String, byte[]> configs = new HashMap<>();
        List<PciAddress> addresses = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        LspciDump.Dump dump = LspciDump.read(text);
        for (LspciDump.Damaged d : dump.damaged()) {
            findings.add(new Finding(label + ":" + d.address(), "damaged, left out: " + d.reason()));
        }
        for (LspciDump.Function f : dump.functions()) {
            if (absent(f.config())) {
                findings.add(new Finding(label + ":" + f.address(), String.format(
                        "absent: vendor id reads %02x%02x and nothing else answers (the kernel enumerates no function "
                                + "there), not a device", f.config()[1] & 0xff, f.config()[0] & 0xff)));
                continue;
            }
            configs.put(f.address(), f.config());
            addresses.add(PciAddress.parse(f.address()).orElseThrow());
        }
        if (addresses.isEmpty()) {
            throw new org.ddabridge.api.EngineException(org.ddabridge.api.ErrorId.DumpInvalid,
                    "Invalid lspci dump: no function is present (every one reads all ones or is damaged).", label);
        }
        addresses.sort(null);
        Map<String, DecodedFunction> decoded = new HashMap<>();
        for (PciAddress a : addresses) {
            decoded.put(a.toString(), ConfigDecoder.decode(a.toString(), configs.get(a.toString())));
        }
        Map<String, String> parents = parentsFromBridges(addresses, decoded);
        PciIds ids = PciIds.find(List.of(Path.of("/")), PciIds.Needs.all());
        List<PciDevice> devices = new ArrayList<>();
        for (PciAddress a : addresses) {
            devices.add(device(a, configs.get(a.toString()), decoded.get(a.toString()), parents, ids));
        }
        HostFacts host = new HostFacts(null, "dump", null, null, List.of(), 0, List.of(), false, label, null, null);
        return new HostSnapshot(host, List.copyOf(devices), configs, findings);
    }

    /**
     * Nothing answers here: the header reads all ones (a master abort: powered-off function, empty slot) or
     * the vendor id is 0000, the values for which the kernel's {@code pci_bus_generic_read_dev_vendor_id}
     * does not enumerate a function. An SR-IOV virtual function also reads vendor ffff, but the rest of its
     * header (class, capabilities) is real, so it stays a device.
     */
    static boolean absent(byte[] c) {
        if (c.length < 2) {
            return true;
        }
        int vendor = (c[0] & 0xff) | (c[1] & 0xff) << 8;
        if (vendor == 0x0000) {
            return true;
        }
        for (int i = 0; i < Math.min(c.length, 64); i++) {
            if (c[i] != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    /** A function's parent is the bridge whose secondary bus is the function's bus (lowest address wins). */
    static Map<String, String> parentsFromBridges(List<PciAddress> addresses, Map<String, DecodedFunction> dec) {
        Map<String, String> bySecondary = new LinkedHashMap<>();
        for (PciAddress a : addresses) {
            DecodedFunction f = dec.get(a.toString());
            if (f != null && f.bridge() != null && f.bridge().secondaryBus() > a.bus()) {
                bySecondary.putIfAbsent(a.domain() + "/" + f.bridge().secondaryBus(), a.toString());
            }
        }
        Map<String, String> parents = new LinkedHashMap<>();
        for (PciAddress a : addresses) {
            String p = bySecondary.get(a.domain() + "/" + a.bus());
            if (p != null && !p.equals(a.toString())) {
                parents.put(a.toString(), p);
            }
        }
        return parents;
    }

    private static PciDevice device(PciAddress a, byte[] c, DecodedFunction f, Map<String, String> parents,
            PciIds ids) {
        List<PciAddress> chain = new ArrayList<>();
        List<String> upstream = new ArrayList<>();
        String p = parents.get(a.toString());
        chain.add(a);
        for (int guard = 0; p != null && guard < 256; guard++) {
            upstream.add(p);
            chain.add(PciAddress.parse(p).orElseThrow());
            p = parents.get(p);
        }
        Collections.reverse(chain);
        PciAddress top = chain.get(0);
        String[] names = ids.names(f.vendorId(), f.deviceId(), f.classCode());
        return PciDevice.builder(a.toString())
                .ids(f.vendorId(), f.deviceId(), f.headerType() == 0 ? hex16(c, 0x2c) : "0000",
                        f.headerType() == 0 ? hex16(c, 0x2e) : "0000", String.format("%02x", c[8] & 0xff),
                        f.classCode())
                .names(names[0], names[1], names[2])
                .location(top.domain(), top.bus(), chain)
                .upstream(upstream)
                .build();
    }

    private static String hex16(byte[] b, int off) {
        return String.format("%04x", (b[off] & 0xff) | (b[off + 1] & 0xff) << 8);
    }
}
