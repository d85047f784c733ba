package org.ddabridge.platform.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.driver.linux.LinuxHostFacts;
import org.ddabridge.driver.linux.PciIds;
import org.ddabridge.driver.linux.RawPciFunction;
import org.ddabridge.driver.linux.SysfsPci;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.platform.spi.HostFactsVisitor;
import org.ddabridge.platform.spi.PciHostFacts;
import org.ddabridge.driver.linux.AcpiDmar;
import org.ddabridge.driver.linux.AcpiIvrs;
import org.ddabridge.driver.linux.DriverctlOverrides;
import org.ddabridge.driver.linux.PersistedAssignments;
import org.ddabridge.model.BootOverride;
import org.ddabridge.driver.linux.HostUseReader;
import org.ddabridge.driver.linux.LinuxIommuFacts;
import org.ddabridge.util.Hex;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.IoPool;
/** Linux: PCI functions from sysfs, names from pci.ids, host facts from sysfs/procfs. */
public final class LinuxPlatform implements PlatformBackend {
    private final HostRoot root;

    public LinuxPlatform(HostRoot root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "linux";
    }

    public HostRoot root() {
        return root;
    }

    /**
     * The kernel's IOMMU evidence, the host's own use of its devices, the DMAR and IVRS tables and the boot
     * overrides, read now.
     */
    @Override
    public <R> R facts(HostSnapshot snapshot, HostFactsVisitor<R> visitor) {
        return visitor.pciHost(new PciHostFacts(snapshot, LinuxIommuFacts.read(root),
                HostUseReader.read(root, snapshot.devices()), AcpiDmar.parse(AcpiDmar.query(root)),
                AcpiIvrs.parse(AcpiIvrs.query(root)), bootOverrides(root)));
    }

    /** DdaBridge's persisted assignments, then driverctl's saved overrides. */
    public static List<BootOverride> bootOverrides(HostRoot root) {
        List<BootOverride> out = new ArrayList<>(PersistedAssignments.read(root));
        out.addAll(DriverctlOverrides.read(root));
        return out;
    }

    @Override
    public HostSnapshot snapshot() {
        List<PciAddress> addresses = SysfsPci.listAddresses(root);
        // sysfs reads block on the kernel (or the disk for images): read functions in parallel.
        // Each config space is shared with the functions read before it that hold the same bytes as soon as it
        // is read (ConfigKey), so the read never holds 4 KiB for each of tens of thousands of functions.
        Map<ConfigKey, byte[]> distinct = new java.util.concurrent.ConcurrentHashMap<>();
        List<RawPciFunction> raws = IoPool.map(addresses, a -> {
            RawPciFunction raw = SysfsPci.query(root, a);
            byte[] shared = distinct.computeIfAbsent(new ConfigKey(raw.config()), k -> k.bytes);
            return shared == raw.config() ? raw : raw.withConfig(shared);
        });
        PciIds.Needs needs = PciIds.Needs.some();
        for (RawPciFunction raw : raws) {
            String cls = raw.classCode().length() == 6 ? raw.classCode() : "000000";
            needs.add((int) Hex.parse(raw.vendorId(), -1), (int) Hex.parse(raw.deviceId(), -1),
                    Integer.parseInt(cls.substring(0, 2), 16), Integer.parseInt(cls.substring(2, 4), 16));
        }
        PciIds ids = PciIds.find(root.isLive() ? List.of(Path.of("/")) : List.of(root.path(), Path.of("/")), needs);
        // Parsing is pure and per function (the names table is only read): on the pool too.
        List<PciDevice> devices = IoPool.map(raws, raw -> toDevice(raw, ids));
        Map<String, byte[]> configs = new HashMap<>(raws.size() * 2);
        for (int i = 0; i < raws.size(); i++) {
            configs.put(devices.get(i).address(), raws.get(i).config());
        }
        HostFacts host = LinuxHostFacts.read(root);
        return new HostSnapshot(host, List.copyOf(devices), configs);
    }

    /**
     * A config space by content. Functions of one kind (the ports of a switch, the functions of a
     * multi-function card, the virtual functions of one physical function) often read byte for byte the same
     * 4 KiB; the snapshot keeps one array per distinct content, which no reader can tell from one array each
     * (nothing writes into them), instead of 4 KiB for every one of tens of thousands of functions.
     */
    private static final class ConfigKey {
        final byte[] bytes;
        private final int hash;

        ConfigKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = java.util.Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ConfigKey k && k.hash == hash && java.util.Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Maps one raw function to the model (pure; unit-tested). */
    static PciDevice toDevice(RawPciFunction raw, PciIds ids) {
        SysfsPci.Topology topo = SysfsPci.parseTopology(raw.address(), raw.linkTarget());
        String classCode = raw.classCode().length() == 6 ? raw.classCode() : "000000";
        String[] names = ids.names(raw.vendorId(), raw.deviceId(), classCode);
        String override = raw.driverOverride();
        return PciDevice.builder(raw.address().toString())
                .ids(raw.vendorId(), raw.deviceId(), raw.subsystemVendorId(), raw.subsystemId(), raw.revision(),
                        classCode)
                .names(names[0], names[1], names[2])
                .location(topo.rootDomain(), topo.rootBus(), topo.chain())
                .upstream(topo.upstreamBridges().stream().map(PciAddress::toString).toList())
                .driver(raw.driver().isEmpty() ? null : raw.driver())
                .iommuGroup(raw.iommuGroup().isEmpty() ? null : Hex.parseDecimal(raw.iommuGroup(), null))
                .numaNode(numaNode(raw.numaNode()))
                .bars(SysfsPci.parseResource(raw.resourceLines()))
                .physicalFunction(raw.physicalFunction().isEmpty() ? null : raw.physicalFunction())
                .resetMethods(raw.resetMethod().isEmpty() ? List.of() : List.of(raw.resetMethod().trim().split("\\s+")))
                .bootVga(raw.bootVga())
                .driverOverride(override.isEmpty() || "(null)".equals(override) ? null : override)
                .kernelInterrupts(SysfsPci.parseIrq(raw.irq()), SysfsPci.parseMsiIrqs(raw.msiIrqs()))
                .build();
    }

    private static Integer numaNode(String text) {
        Integer n = Hex.parseDecimal(text, null);
        // The kernel writes -1 when the platform has no NUMA information.
        return n == null || n < 0 ? null : n;
    }
}
