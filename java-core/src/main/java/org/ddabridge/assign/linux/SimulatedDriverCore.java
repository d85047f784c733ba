package org.ddabridge.assign.linux;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.ddabridge.pci.PciClass;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;
import org.ddabridge.util.SysFiles;
/**
 * The kernel's driver-core semantics applied to a fake sysfs tree ({@code --root} directories and unit
 * tests):
 * <ul>
 *   <li>{@code driver_override}: stored as written; a blank write reads back {@code (null)};</li>
 *   <li>unbind removes the function's {@code driver} link;</li>
 *   <li>{@code drivers_probe} leaves a bound function alone; else binds the override when set and
 *       registered, else the function's natural driver (a table: what the kernel's id tables would pick),
 *       else nothing. vfio-pci is never natural: it binds only through the override;</li>
 *   <li>{@code bind} fails with EBUSY when bound and ENODEV when the override names another driver;</li>
 *   <li>a group is viable when every member has no driver, vfio-pci or pci-stub, or is a bridge on
 *       pcieport; its node exists while a member is bound to vfio-pci.</li>
 * </ul>
 * Failures can be injected at any call ({@link #failWhen}) and a function can be made to refuse binding
 * ({@link #refuseBinding}). Writes go through {@link MutationGuard}, so they stay inside the tree.
 */
public final class SimulatedDriverCore implements DriverCore {
    /** File (under the tree) remembering natural drivers across processes. */
    public static final String TABLE = "ddabridge-sim-drivers.properties";
    private static final Set<String> VFIO_FRIENDLY = Set.of("vfio-pci", "pci-stub");

    /** One driver-core call, for failure injection. */
    public record Call(int seq, String op, String address, String value) {
    }

    private final HostRoot root;
    private final Map<String, String> natural;
    private Predicate<Call> failWhen = c -> false;
    private final Set<String> refuseBinding = new HashSet<>();
    private final Set<Integer> notViable = new HashSet<>();
    private final List<Call> calls = new ArrayList<>();

    public SimulatedDriverCore(HostRoot root, Map<String, String> naturalDrivers) {
        this.root = root;
        this.natural = new HashMap<>(naturalDrivers);
    }

    /**
     * A simulation of {@code root} whose natural drivers are what the tree shows bound now (except
     * vfio-pci), merged with the table kept in {@value #TABLE} so later processes remember them.
     */
    public static SimulatedDriverCore forTree(HostRoot root) {
        Map<String, String> table = new TreeMap<>();
        Path file = root.resolve(TABLE);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Properties p = new Properties();
            // Bounded and contained like every read of the tree; a table naming no plain driver is ignored.
            try (Reader r = new StringReader(new String(SysFiles.readBytes(file), StandardCharsets.UTF_8))) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                // an unreadable table only loses remembered drivers; the tree still tells most of them
            }
            p.forEach((k, v) -> {
                if (JournalCodec.isAddress(k.toString()) && JournalCodec.isDriver(v.toString())) {
                    table.put(k.toString(), v.toString());
                }
            });
        }
        SimulatedDriverCore core = new SimulatedDriverCore(root, Map.of());
        for (String a : core.addresses()) {
            String d = core.driver(a);
            if (!d.isEmpty() && !VFIO_FRIENDLY.contains(d)) {
                table.put(a, d);
            }
        }
        core.natural.putAll(table);
        Properties out = new Properties();
        out.putAll(table);
        if (!root.isLive()) {
            try {
                StringWriter w = new StringWriter();
                out.store(w, "DdaBridge simulated driver core: natural driver per function");
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    MutationGuard.checkWrite(root, file);
                    Files.createFile(file);
                }
                GuardedWrite.write(root, file, w.toString().getBytes(StandardCharsets.UTF_8), true);
            } catch (IOException | org.ddabridge.api.EngineException e) {
                // read-only image, or a table that is not a plain file of the tree: it stays in memory
            }
        }
        return core;
    }

    /** Injects failures: a call matching {@code p} throws an IOException instead of acting. */
    public SimulatedDriverCore failWhen(Predicate<Call> p) {
        this.failWhen = p;
        return this;
    }

    /** Makes {@code address} never bind to any driver (a probe that silently fails). */
    public SimulatedDriverCore refuseBinding(String address) {
        refuseBinding.add(address);
        return this;
    }

    /** Makes the group report "not viable" (as when a member outside the plan holds a host driver). */
    public SimulatedDriverCore notViable(int group) {
        notViable.add(group);
        return this;
    }

    /** Every mutating call so far. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void call(String op, String address, String value) throws IOException {
        Call c = new Call(calls.size(), op, address, value);
        calls.add(c);
        if (failWhen.test(c)) {
            throw new IOException("simulated failure of " + op + " " + address + (value == null ? "" : " " + value));
        }
    }

    private Path dev(String address) {
        return root.pciDevices().resolve(Names.address(address));
    }

    private Path drivers() {
        return root.sys("bus/pci/drivers");
    }

    List<String> addresses() {
        return SysFiles.listNames(root.pciDevices());
    }

    @Override
    public String driver(String address) {
        return SysFiles.linkName(dev(address).resolve("driver"));
    }

    @Override
    public String driverOverride(String address) {
        String v = SysFiles.readString(dev(address).resolve("driver_override"));
        return "(null)".equals(v) ? "" : v;
    }

    @Override
    public boolean driverAvailable(String driver) {
        return Files.isDirectory(drivers().resolve(Names.driver(driver)));
    }

    @Override
    public void loadModule(String module) throws IOException {
        call("modprobe", "", module);
        Path d = drivers().resolve(Names.driver(module));
        MutationGuard.checkWrite(root, d);
        Files.createDirectories(d);
    }

    @Override
    public void setOverride(String address, String driver) throws IOException {
        call("override", address, driver);
        Path f = dev(address).resolve("driver_override");
        String v = driver == null || driver.isBlank() ? "(null)" : driver.trim();
        GuardedWrite.write(root, f, (v + "\n").getBytes(StandardCharsets.US_ASCII), true);
    }

    @Override
    public void unbind(String address) throws IOException {
        call("unbind", address, driver(address));
        Path link = dev(address).resolve("driver");
        MutationGuard.checkWrite(root, dev(address).resolve("uevent"));
        // Deleting a link never follows it; its directory was checked to be inside the tree just above.
        Files.deleteIfExists(link);
    }

    @Override
    public void probe(String address) throws IOException {
        call("probe", address, null);
        if (!Files.isDirectory(dev(address))) {
            throw new IOException("write to drivers_probe: No such device");
        }
        if (!driver(address).isEmpty() || refuseBinding.contains(address)) {
            return;
        }
        String override = driverOverride(address);
        String pick = !override.isEmpty() ? override : natural.getOrDefault(address, "");
        if (!pick.isEmpty() && driverAvailable(pick)) {
            link(address, pick);
        }
    }

    @Override
    public void bind(String address, String driver) throws IOException {
        call("bind", address, driver);
        if (!driver(address).isEmpty()) {
            throw new IOException("write to " + driver + "/bind: Device or resource busy");
        }
        String override = driverOverride(address);
        boolean matches = override.isEmpty() ? driver.equals(natural.get(address)) : override.equals(driver);
        if (!driverAvailable(driver) || !matches || refuseBinding.contains(address)) {
            throw new IOException("write to " + driver + "/bind: No such device");
        }
        link(address, driver);
    }

    private void link(String address, String driver) throws IOException {
        Path link = dev(address).resolve("driver");
        MutationGuard.checkWrite(root, dev(address).resolve("uevent"));
        Files.createSymbolicLink(link, drivers().resolve(Names.driver(driver)));
    }

    @Override
    public String awaitDriver(String address, String expected, long timeoutMillis) {
        return driver(address);
    }

    @Override
    public GroupStatus groupStatus(int group) {
        boolean present = false;
        boolean viable = true;
        List<String> blockers = new ArrayList<>();
        for (String a : addresses()) {
            if (!String.valueOf(group).equals(SysFiles.linkName(dev(a).resolve("iommu_group")))) {
                continue;
            }
            String d = driver(a);
            present |= "vfio-pci".equals(d);
            // The simulation sees only sysfs attributes: the class file decides (header type is in config).
            boolean bridge = PciClass.isBridge(SysFiles.readString(dev(a).resolve("class")).replace("0x", ""), -1);
            if (!(d.isEmpty() || VFIO_FRIENDLY.contains(d) || (bridge && "pcieport".equals(d)))) {
                viable = false;
                blockers.add(a + " on " + d);
            }
        }
        if (notViable.contains(group)) {
            viable = false;
            blockers.add("injected");
        }
        if (!present) {
            return new GroupStatus(false, false, -1, "simulated: no member on vfio-pci, so no /dev/vfio/" + group);
        }
        return new GroupStatus(true, viable, viable ? 1 : 0,
                "simulated VFIO_GROUP_GET_STATUS: " + (viable ? "viable" : "not viable: " + blockers));
    }

    @Override
    public boolean simulated() {
        return true;
    }
}
