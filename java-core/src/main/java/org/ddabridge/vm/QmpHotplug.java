package org.ddabridge.vm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ddabridge.model.PciAddress;

/**
 * PCI hot-plug of VFIO functions into a running (or paused) QEMU through QMP.
 *
 * <p>Free slots come from the QOM tree, not from {@code query-pci}: a root port's secondary bus is a QOM child of
 * the port ({@code /machine/peripheral/rp1/rp1}, type {@code PCIE}) whose plugged devices are {@code child[N]}
 * link properties. That works in every run state, while {@code query-pci} only sees devices behind a bridge once
 * firmware has numbered the bridge's secondary bus (so not in {@code prelaunch}).
 *
 * <p>A multifunction slot (several functions of one group on one host slot, e.g. an e1000e pair) goes into one
 * root port with the guest functions numbered like the host's; QEMU only accepts function 0 of a hot-plugged slot
 * last (it exposes the slot to the guest when function 0 arrives), so the other functions are added first.
 * Removal asks for function 0 of each slot ({@code device_del}: the guest's PCIe hot-unplug removes the whole slot)
 * and waits, with a time limit, for a {@code DEVICE_DELETED} event for every function; what has not gone by then is
 * reported as pending (a VM without an operating system never answers the unplug request).
 */
public final class QmpHotplug {
    /** Prefix of the qdev ids this engine gives its devices: {@code ddab-0000-01-00.0}. */
    public static final String ID_PREFIX = "ddab-";
    /** QOM containers of user-created devices, with and without {@code id=}. */
    static final List<String> CONTAINERS = List.of("/machine/peripheral", "/machine/peripheral-anon");
    /** Device types that are hot-plug capable PCIe slots. */
    static final Set<String> SLOT_TYPES = Set.of("pcie-root-port", "ioh3420", "xio3130-downstream");

    private final QmpClient qmp;

    public QmpHotplug(QmpClient qmp) {
        this.qmp = qmp;
    }

    /**
     * A PCIe slot of the VM.
     *
     * @param path     QOM path of the port device
     * @param type     its QOM type ({@code pcie-root-port})
     * @param bus      the name of its secondary bus ({@code device_add bus=})
     * @param children QOM paths of the devices plugged below it
     * @param hotplug  the port's {@code hotplug} property (true when the port has none)
     * @param devfn    the port's own address on its parent bus ({@code addr}, device*8+function; -1 when unknown)
     */
    public record Slot(String path, String type, String bus, List<String> children, boolean hotplug, int devfn) {
        public Slot {
            children = List.copyOf(children);
        }

        /** Empty and hot-plug capable. */
        public boolean free() {
            return children.isEmpty() && hotplug;
        }
    }

    /**
     * A {@code vfio-pci} device of the VM.
     *
     * @param id   its qdev id (empty for id-less devices)
     * @param path its QOM path
     * @param host the host function it passes through
     * @param bus  the bus it sits on (empty when unknown)
     */
    public record VfioDevice(String id, String path, PciAddress host, String bus) {
    }

    /**
     * One {@code device_add} of an attach, in the order they are sent.
     *
     * @param host          host function
     * @param id            qdev id given to it
     * @param bus           the slot's secondary bus
     * @param addr          guest device.function on that bus ({@code 0.0}, {@code 0.1})
     * @param multifunction whether the guest slot is marked multifunction (function 0 of a multi-function slot)
     */
    public record Placement(PciAddress host, String id, String bus, String addr, boolean multifunction) {
        /** The {@code device_add} arguments. */
        public JsonObject deviceAddArguments() {
            JsonObject a = new JsonObject();
            a.addProperty("driver", "vfio-pci");
            a.addProperty("host", host.toString());
            a.addProperty("id", id);
            a.addProperty("bus", bus);
            a.addProperty("addr", addr);
            if (multifunction) {
                a.addProperty("multifunction", "on");
            }
            return a;
        }
    }

    /**
     * The outcome of a removal.
     *
     * @param removed ids for which {@code DEVICE_DELETED} came (or that were already gone)
     * @param pending ids still present when the time limit ran out (the guest did not complete the unplug)
     */
    public record Removal(List<String> removed, List<String> pending) {
        public Removal {
            removed = List.copyOf(removed);
            pending = List.copyOf(pending);
        }

        public boolean complete() {
            return pending.isEmpty();
        }
    }

    /** The qdev id of the engine's device for this host function. */
    public static String deviceId(PciAddress host) {
        return ID_PREFIX + host.toString().replace(':', '-');
    }

    /** Every PCIe hot-plug slot of the VM, ordered by the ports' addresses (QOM lists properties in hash order). */
    public List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        for (String container : CONTAINERS) {
            List<Slot> here = new ArrayList<>();
            for (QomProperty p : listOrEmpty(container)) {
                String t = p.childType();
                if (t == null || !SLOT_TYPES.contains(t)) {
                    continue;
                }
                String path = container + "/" + p.name();
                String bus = null;
                for (QomProperty q : qmp.qomList(path)) {
                    if ("PCIE".equals(q.childType()) || "PCI".equals(q.childType())) {
                        bus = q.name();
                        break;
                    }
                }
                if (bus == null) {
                    continue;
                }
                List<String> children = new ArrayList<>();
                for (QomProperty q : qmp.qomList(path + "/" + bus)) {
                    if (q.name().startsWith("child[") && q.linkType() != null) {
                        JsonElement target = qmp.qomGet(path + "/" + bus, q.name());
                        children.add(target != null && target.isJsonPrimitive() ? target.getAsString() : q.name());
                    }
                }
                here.add(new Slot(path, t, bus, children, hotplugProperty(path), intProperty(path, "addr")));
            }
            here.sort(Comparator.comparingInt((Slot s) -> s.devfn() < 0 ? Integer.MAX_VALUE : s.devfn()).thenComparing(Slot::path));
            out.addAll(here);
        }
        return out;
    }

    /** Every {@code vfio-pci} device of the VM with the host function it passes through. */
    public List<VfioDevice> vfioDevices() {
        List<VfioDevice> out = new ArrayList<>();
        for (String container : CONTAINERS) {
            for (QomProperty p : listOrEmpty(container)) {
                if (!"vfio-pci".equals(p.childType())) {
                    continue;
                }
                String path = container + "/" + p.name();
                JsonElement host = qmp.qomGet(path, "host");
                if (host == null || !host.isJsonPrimitive()) {
                    continue;
                }
                String bus = "";
                try {
                    JsonElement pb = qmp.qomGet(path, "parent_bus");
                    if (pb != null && pb.isJsonPrimitive()) {
                        bus = pb.getAsString();
                        bus = bus.substring(bus.lastIndexOf('/') + 1);
                    }
                } catch (VmException e) {
                    // parent_bus is a convenience; older QEMUs lack it
                }
                String id = container.endsWith("-anon") ? "" : p.name();
                out.add(new VfioDevice(id, path, VmException.address(host.getAsString()), bus));
            }
        }
        return out;
    }

    /**
     * Plans an attach of these host functions (one IOMMU group): one free slot per host slot, functions placed
     * like the host's, function 0 of a multifunction slot last. Throws {@code NoFreeHotplugSlot} when there are
     * not enough free slots, {@code AlreadyAttached} when one of them is already a vfio-pci device of this VM.
     */
    public List<Placement> plan(List<PciAddress> functions) {
        List<VfioDevice> present = vfioDevices();
        for (PciAddress f : functions) {
            for (VfioDevice d : present) {
                if (d.host().equals(f)) {
                    throw new VmException(VmErrorId.AlreadyAttached, f + " is already attached to this VM as '"
                            + (d.id().isEmpty() ? d.path() : d.id()) + "'");
                }
            }
        }
        Map<String, List<PciAddress>> bySlot = new LinkedHashMap<>();
        functions.stream().sorted().forEach(f -> bySlot.computeIfAbsent(
                String.format(Locale.ROOT, "%04x:%02x:%02x", f.domain(), f.bus(), f.device()), k -> new ArrayList<>()).add(f));
        List<Slot> free = slots().stream().filter(Slot::free).toList();
        if (free.size() < bySlot.size()) {
            throw new VmException(VmErrorId.NoFreeHotplugSlot, "the VM has " + free.size()
                    + " free hot-plug PCIe slot(s) (empty pcie-root-port), this group needs " + bySlot.size());
        }
        List<Placement> out = new ArrayList<>();
        int i = 0;
        for (List<PciAddress> slotFns : bySlot.values()) {
            String bus = free.get(i++).bus();
            boolean multi = slotFns.size() > 1;
            List<PciAddress> order = new ArrayList<>(slotFns);
            // function 0 last: QEMU exposes a hot-plugged slot to the guest when its function 0 arrives
            order.sort(Comparator.comparing((PciAddress f) -> f.function() == 0).thenComparing(PciAddress::function));
            for (PciAddress f : order) {
                out.add(new Placement(f, deviceId(f), bus, "0." + f.function(), multi && f.function() == 0));
            }
        }
        return out;
    }

    /**
     * Sends the {@code device_add}s of a plan. When one fails, the ones already added are deleted again
     * (best effort) and the failure is rethrown.
     */
    public List<Placement> attach(List<Placement> plan) {
        List<Placement> done = new ArrayList<>();
        try {
            for (Placement p : plan) {
                qmp.deviceAdd(p.deviceAddArguments());
                done.add(p);
            }
            return done;
        } catch (VmException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    qmp.deviceDel(done.get(i).id());
                } catch (VmException ignored) {
                    // best effort; the caller reports the original failure
                }
            }
            throw e;
        }
    }

    /**
     * Removes devices by qdev id: {@code device_del} for function 0 of each guest slot (or every id when the
     * slots are unknown), then waits up to {@code limit} for {@code DEVICE_DELETED} of all of them.
     * Ids the VM does not have count as removed.
     */
    public Removal detach(List<String> ids, Duration limit) {
        Map<String, VfioDevice> byId = new LinkedHashMap<>();
        for (VfioDevice d : vfioDevices()) {
            if (!d.id().isEmpty()) {
                byId.put(d.id(), d);
            }
        }
        Set<String> waiting = new LinkedHashSet<>();
        List<String> removed = new ArrayList<>();
        for (String id : ids) {
            if (byId.containsKey(id)) {
                waiting.add(id);
            } else {
                removed.add(id);
            }
        }
        // group by bus: one request per slot, for its function 0 (or its lowest function)
        Map<String, List<VfioDevice>> byBus = new LinkedHashMap<>();
        for (String id : waiting) {
            VfioDevice d = byId.get(id);
            byBus.computeIfAbsent(d.bus().isEmpty() ? id : d.bus(), k -> new ArrayList<>()).add(d);
        }
        for (List<VfioDevice> slot : byBus.values()) {
            slot.sort(Comparator.comparing(VfioDevice::host));
            requestDelete(slot.get(0).id());
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!waiting.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Optional<QmpEvent> ev = qmp.awaitEvent(e -> "DEVICE_DELETED".equals(e.name()) && waiting.contains(e.deviceId()),
                    Duration.ofNanos(left));
            if (ev.isEmpty()) {
                break;
            }
            waiting.remove(ev.get().deviceId());
            removed.add(ev.get().deviceId());
        }
        if (!waiting.isEmpty()) {
            // events may have been missed by an earlier connection: trust the tree
            Set<String> still = new LinkedHashSet<>();
            for (VfioDevice d : vfioDevices()) {
                still.add(d.id());
            }
            for (java.util.Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
                String id = it.next();
                if (!still.contains(id)) {
                    it.remove();
                    removed.add(id);
                }
            }
        }
        return new Removal(removed, new ArrayList<>(waiting));
    }

    private void requestDelete(String id) {
        try {
            qmp.deviceDel(id);
        } catch (VmException e) {
            // "already in the process of unplug": a repeated request for a pending removal is fine
            if (e.id() != VmErrorId.QmpCommandFailed || e.getMessage() == null
                    || !e.getMessage().toLowerCase(Locale.ROOT).contains("in the process of unplug")) {
                throw e;
            }
        }
    }

    private int intProperty(String path, String name) {
        try {
            JsonElement v = qmp.qomGet(path, name);
            return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsInt() : -1;
        } catch (VmException e) {
            return -1;
        }
    }

    private boolean hotplugProperty(String path) {
        try {
            JsonElement h = qmp.qomGet(path, "hotplug");
            return h == null || !h.isJsonPrimitive() || h.getAsBoolean();
        } catch (VmException e) {
            return true;   // ports without the property are hot-plug capable
        }
    }

    private List<QomProperty> listOrEmpty(String path) {
        try {
            return qmp.qomList(path);
        } catch (VmException e) {
            if (e.id() == VmErrorId.QmpCommandFailed) {
                return List.of();   // e.g. no anonymous devices: the container does not exist
            }
            throw e;
        }
    }
}
