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
/**
 * Linux: PCI functions from sysfs, names from pci.ids, host facts from sysfs/procfs.
 *
 * <p>A live host and a directory image are read afresh by every request (verdicts reflect the host now). An
 * unpacked archive ({@link #unchanging}) is a private copy nothing writes to, so what was read from it is read
 * once per process and kept ({@link Reads}); pci.ids names are still looked up per request (the database may
 * be the system's, which can change).
 */
public final class LinuxPlatform implements PlatformBackend {
    /** What was read from each unchanging root; bounded (one entry per archive a session reads). */
    private static final Map<HostRoot, Reads> UNCHANGING = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_UNCHANGING = 16;

    private final HostRoot root;
    /** Non-null for an unchanging root: its reads, filled on first use. */
    private final Reads reads;

    public LinuxPlatform(HostRoot root) {
        this(root, null);
    }

    private LinuxPlatform(HostRoot root, Reads reads) {
        this.root = root;
        this.reads = reads;
    }

    /**
     * A backend for a root whose files never change (an archive unpacked by this process into its own private
     * directory): its functions and host facts are read on the first request and reused by later ones.
     */
    public static LinuxPlatform unchanging(HostRoot root) {
        Reads r = UNCHANGING.get(root);
        if (r == null) {
            if (UNCHANGING.size() >= MAX_UNCHANGING) {
                UNCHANGING.clear();
            }
            r = UNCHANGING.computeIfAbsent(root, k -> new Reads());
        }
        return new LinuxPlatform(root, r);
    }

    /**
     * The reads of an unchanging root, each taken once: the raw functions (before pci.ids naming), the host
     * facts, and the facts the survey adds (IOMMU evidence, host use, DMAR, IVRS, boot overrides).
     */
    private static final class Reads {
        private List<RawPciFunction> raws;
        private HostFacts host;
        private PciHostFacts facts;

        synchronized List<RawPciFunction> raws(java.util.function.Supplier<List<RawPciFunction>> read) {
            if (raws == null) {
                raws = read.get();
            }
            return raws;
        }

        synchronized HostFacts host(java.util.function.Supplier<HostFacts> read) {
            if (host == null) {
                host = read.get();
            }
            return host;
        }

        synchronized PciHostFacts facts(java.util.function.Supplier<PciHostFacts> read) {
            if (facts == null) {
                facts = read.get();
            }
            return facts;
        }
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
        if (reads == null) {
            return visitor.pciHost(readFacts(snapshot));
        }
        // Host use is read for the snapshot's functions, which for an unchanging root are always the same.
        PciHostFacts f = reads.facts(() -> readFacts(snapshot));
        return visitor.pciHost(new PciHostFacts(snapshot, f.iommu(), f.hostUse(), f.dmar(), f.ivrs(),
                f.bootOverrides()));
    }

    private PciHostFacts readFacts(HostSnapshot snapshot) {
        return new PciHostFacts(snapshot, LinuxIommuFacts.read(root),
                HostUseReader.read(root, snapshot.devices()), AcpiDmar.parse(AcpiDmar.query(root)),
                AcpiIvrs.parse(AcpiIvrs.query(root)), bootOverrides(root));
    }

    /** DdaBridge's persisted assignments, then driverctl's saved overrides. */
    public static List<BootOverride> bootOverrides(HostRoot root) {
        List<BootOverride> out = new ArrayList<>(PersistedAssignments.read(root));
        out.addAll(DriverctlOverrides.read(root));
        return out;
    }

    @Override
    public HostSnapshot snapshot() {
        if (reads == null) {
            return snapshot(readFunctions(), LinuxHostFacts.read(root));
        }
        return snapshot(reads.raws(this::readFunctions), reads.host(() -> LinuxHostFacts.read(root)));
    }

    /** Every function's raw attributes, read now. */
    private List<RawPciFunction> readFunctions() {
        List<PciAddress> addresses = SysfsPci.listAddresses(root);
        // sysfs reads block on the kernel (or the disk for images): read functions in parallel.
        // Each config space is shared with the functions read before it that hold the same bytes as soon as it
        // is read (ConfigKey), so the read never holds 4 KiB for each of tens of thousands of functions.
        Map<ConfigKey, byte[]> distinct = new java.util.concurrent.ConcurrentHashMap<>();
        return IoPool.map(addresses, a -> {
            RawPciFunction raw = SysfsPci.query(root, a);
            byte[] shared = distinct.computeIfAbsent(new ConfigKey(raw.config()), k -> k.bytes);
            return shared == raw.config() ? raw : raw.withConfig(shared);
        });
    }

    /** Names for {@code raws} (pci.ids, looked up now) and their model, with the host facts. */
    private HostSnapshot snapshot(List<RawPciFunction> raws, HostFacts host) {
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
