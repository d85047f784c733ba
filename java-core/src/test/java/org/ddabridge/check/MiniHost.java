package org.ddabridge.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.model.DmarTable;
import org.ddabridge.driver.linux.AcpiDmar;
import org.ddabridge.driver.linux.AcpiIvrs;
import org.ddabridge.model.IvrsTable;
import org.ddabridge.model.Bar;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
/** A hand-made topology fed straight to the {@link Checker} (no sysfs), for per-rule tests. */
final class MiniHost {
    private final List<PciDevice> devices = new ArrayList<>();
    private final Map<String, byte[]> configs = new HashMap<>();
    private final Map<String, String> parents = new HashMap<>();
    private IommuFacts iommu = IommuFacts.unknown();
    private HostUse use = HostUse.unknown();
    private DmarTable dmar;
    private IvrsTable ivrs;
    private Target target = Target.VFIO;

    MiniHost add(String address, String parent, byte[] config) {
        return add(address, parent, config, List.of(), List.of(), null);
    }

    MiniHost add(String address, String parent, byte[] config, List<String> resetMethods, List<Bar> bars,
            Integer group) {
        String a = PciAddress.parse(address).orElseThrow().toString();
        String p = parent == null ? null : PciAddress.parse(parent).orElseThrow().toString();
        String cls = String.format("%02x%02x%02x", config[0x0b] & 0xff, config[0x0a] & 0xff, config[0x09] & 0xff);
        String ven = String.format("%04x", (config[0] & 0xff) | (config[1] & 0xff) << 8);
        String dev = String.format("%04x", (config[2] & 0xff) | (config[3] & 0xff) << 8);
        List<String> up = new ArrayList<>();
        for (String q = p; q != null; q = parents.get(q)) {
            up.add(q);
        }
        devices.add(new PciDevice(a, "PCIROOT(0)", "PCI\\X", ven, dev, "0000", "0000", "00", cls, null, null, null,
                null, group, null, bars, p, up, null, resetMethods, false, null, null, List.of()));
        configs.put(a, config);
        if (p != null) {
            parents.put(a, p);
        }
        return this;
    }

    MiniHost iommu(IommuFacts f) {
        this.iommu = f;
        return this;
    }

    MiniHost hostUse(HostUse u) {
        this.use = u;
        return this;
    }

    MiniHost dmar(byte[] table) {
        this.dmar = AcpiDmar.parse(table);
        return this;
    }

    MiniHost ivrs(byte[] table) {
        this.ivrs = AcpiIvrs.parse(table);
        return this;
    }

    /** The headline's target; the host is taken to run that hypervisor (Hyper-V: a Windows host). */
    MiniHost target(Target t) {
        this.target = t;
        return this;
    }

    Map<String, DeviceReport> run() {
        return result().devices().stream().collect(java.util.stream.Collectors.toMap(d -> d.device().address(),
                d -> d, (a, b) -> a, LinkedHashMap::new));
    }

    Checker.Result result() {
        devices.sort((x, y) -> x.pciAddress().compareTo(y.pciAddress()));
        return Checker.run(new Checker.Input(devices, configs, parents, iommu, use, dmar, ivrs), target,
                target == Target.HYPERV ? "windows" : "linux");
    }

}
