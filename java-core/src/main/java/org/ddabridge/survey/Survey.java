package org.ddabridge.survey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.ddabridge.model.DmarTable;
import org.ddabridge.api.EngineException;
import org.ddabridge.check.Checker;
import org.ddabridge.check.Decoding;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.PciTopology;
import org.ddabridge.driver.dump.LspciDump;
import org.ddabridge.driver.linux.AcpiDmar;
import org.ddabridge.driver.linux.HostUseReader;
import org.ddabridge.driver.linux.LinuxIommuFacts;
import org.ddabridge.driver.linux.PciIds;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.WindowsIdentity;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.platform.windows.WindowsMapper;
import org.ddabridge.platform.windows.WindowsPlatform;
/** Glue from the engine's inputs (a Linux or Windows platform, an lspci dump) to the {@link Checker}. */
public final class Survey {
    private Survey() {
    }

    /**
     * Surveys a live host or host image, Linux or Windows: each platform's facts go through the same rules.
     * Every function is checked (groups need them all); {@code select} picks the ones reported.
     */
    public static SurveyReport ofHost(PlatformBackend backend, UnaryOperator<List<PciDevice>> select) {
        if (backend instanceof WindowsPlatform windows) {
            WindowsMapper.Result mapped = windows.mapped();
            Checker.Result r = Checker.judge(WindowsFacts.of(mapped), HostUse.unknown(),
                    WindowsFacts.hostChecks(mapped.host()), Checker.Order.STOP_AT_FIRST_ERROR);
            return report(mapped.snapshot().host(), r, select);
        }
        HostSnapshot snap = backend.snapshot();
        IommuFacts iommu = IommuFacts.unknown();
        HostUse use = HostUse.unknown();
        DmarTable dmar = null;
        if (backend instanceof LinuxPlatform linux) {
            iommu = LinuxIommuFacts.read(linux.root());
            use = HostUseReader.read(linux.root(), snap.devices());
            dmar = AcpiDmar.parse(AcpiDmar.query(linux.root()));
        }
        Map<String, String> parents = new HashMap<>();
        for (PciDevice d : snap.devices()) {
            if (d.parent() != null) {
                parents.put(d.address(), d.parent());
            }
        }
        Checker.Result r =
                Checker.run(new Checker.Input(snap.devices(), snap.configSpaces(), parents, iommu, use, dmar));
        return report(snap.host(), r, select);
    }

    /**
     * Surveys an {@code lspci -xxx} dump: predicted groups only, host facts unknown.
     *
     * @throws org.ddabridge.api.EngineException DumpInvalid when the text is not a dump
     */
    public static SurveyReport ofDump(String text, String label, UnaryOperator<List<PciDevice>> select) {
        Map<String, byte[]> configs = new HashMap<>();
        List<PciAddress> addresses = new ArrayList<>();
        for (LspciDump.Function f : LspciDump.parse(text)) {
            configs.put(f.address(), f.config());
            addresses.add(PciAddress.parse(f.address()).orElseThrow());
        }
        addresses.sort(null);
        Map<String, DecodedFunction> decoded = new HashMap<>();
        for (PciAddress a : addresses) {
            decoded.put(a.toString(), Decoding.decode(a.toString(), configs.get(a.toString())));
        }
        Map<String, String> parents = PciTopology.parentsFromBridges(addresses, decoded);
        PciIds ids = PciIds.find(List.of(Path.of("/")), PciIds.Needs.all());
        List<PciDevice> devices = new ArrayList<>();
        for (PciAddress a : addresses) {
            devices.add(dumpDevice(a, configs.get(a.toString()), decoded.get(a.toString()), parents, ids));
        }
        HostFacts host = new HostFacts(null, "dump", null, null, List.of(), 0, List.of(), false, label);
        Checker.Result r = Checker.run(new Checker.Input(devices, configs, parents, IommuFacts.unknown(),
                HostUse.unknown(), null));
        return report(host, r, select);
    }

    private static SurveyReport report(HostFacts host, Checker.Result r, UnaryOperator<List<PciDevice>> select) {
        List<PciDevice> all = new ArrayList<>();
        for (DeviceReport d : r.devices()) {
            all.add(d.device());
        }
        Set<String> keep = new HashSet<>();
        for (PciDevice d : select.apply(all)) {
            keep.add(d.address());
        }
        List<DeviceReport> shown = new ArrayList<>();
        for (DeviceReport d : r.devices()) {
            if (keep.contains(d.device().address())) {
                shown.add(d);
            }
        }
        Checker.Result selected = new Checker.Result(r.checks(), shown);
        return new SurveyReport(host, r.checks(), shown, selected.summary());
    }

    static PciDevice dumpDevice(PciAddress a, byte[] c, DecodedFunction f, Map<String, String> parents, PciIds ids) {
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
        String location = WindowsIdentity.locationPath(top.domain(), top.bus(), chain);
        String subVendor = f.headerType() == 0 ? hex16(c, 0x2c) : "0000";
        String subId = f.headerType() == 0 ? hex16(c, 0x2e) : "0000";
        String rev = String.format("%02x", c[8] & 0xff);
        int vendor = Integer.parseInt(f.vendorId(), 16);
        int device = Integer.parseInt(f.deviceId(), 16);
        int base = Integer.parseInt(f.classCode().substring(0, 2), 16);
        int sub = Integer.parseInt(f.classCode().substring(2, 4), 16);
        return new PciDevice(a.toString(), location,
                WindowsIdentity.instanceId(f.vendorId(), f.deviceId(), subVendor, subId, rev, location),
                f.vendorId(), f.deviceId(), subVendor, subId, rev, f.classCode(), ids.className(base, sub),
                ids.vendor(vendor), ids.device(vendor, device), null, null, null, null,
                upstream.isEmpty() ? null : upstream.get(0), List.copyOf(upstream), null, List.of(), false, null);
    }

    private static String hex16(byte[] b, int off) {
        return String.format("%04x", (b[off] & 0xff) | (b[off + 1] & 0xff) << 8);
    }
}
