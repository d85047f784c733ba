package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.model.PciAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slot discovery, placement and removal against a fake QEMU that models the QOM tree the way QEMU 7.2 shows it. */
class QmpHotplugTest {
    @TempDir
    Path dir;

    /** A tiny QOM model: root ports with their buses, and vfio-pci devices on them. */
    static final class FakeQemu {
        final Map<String, Boolean> ports = new LinkedHashMap<>();        // port id -> hotplug property
        final Map<String, String[]> devices = new LinkedHashMap<>();     // device id -> {type, host, bus}
        final List<JsonObject> added = new ArrayList<>();
        boolean unplugCompletes = true;

        List<String> handle(JsonObject c) {
            String cmd = FakeQmpServer.command(c);
            JsonObject a = c.has("arguments") ? c.getAsJsonObject("arguments") : new JsonObject();
            switch (cmd) {
                case "qom-list": {
                    String path = a.get("path").getAsString();
                    StringBuilder sb = new StringBuilder("[{\"name\": \"type\", \"type\": \"string\"}");
                    if (path.equals("/machine/peripheral")) {
                        ports.keySet().forEach(p -> sb.append(", {\"name\": \"").append(p).append("\", \"type\": \"child<pcie-root-port>\"}"));
                        devices.forEach((id, d) -> sb.append(", {\"name\": \"").append(id).append("\", \"type\": \"child<").append(d[0]).append(">\"}"));
                    } else if (path.equals("/machine/peripheral-anon")) {
                        return List.of(FakeQmpServer.error(c, "DeviceNotFound", "Device '" + path + "' not found"));
                    } else {
                        String[] seg = path.substring("/machine/peripheral/".length()).split("/");
                        if (seg.length == 1 && ports.containsKey(seg[0])) {
                            sb.append(", {\"name\": \"hotplug\", \"type\": \"bool\"}, {\"name\": \"").append(seg[0]).append("\", \"type\": \"child<PCIE>\"}");
                        } else if (seg.length == 2 && ports.containsKey(seg[0])) {
                            int i = 0;
                            for (String[] d : devices.values()) {
                                if (d[2].equals(seg[1])) {
                                    sb.append(", {\"name\": \"child[").append(i++).append("]\", \"type\": \"link<").append(d[0]).append(">\"}");
                                }
                            }
                        }
                    }
                    return List.of(FakeQmpServer.reply(c, sb.append("]").toString()));
                }
                case "qom-get": {
                    String path = a.get("path").getAsString();
                    String prop = a.get("property").getAsString();
                    String last = path.substring(path.lastIndexOf('/') + 1);
                    if (prop.equals("hotplug") && ports.containsKey(last)) {
                        return List.of(FakeQmpServer.reply(c, ports.get(last).toString()));
                    }
                    if (prop.startsWith("child[")) {
                        int want = Integer.parseInt(prop.substring(6, prop.length() - 1));
                        int i = 0;
                        for (Map.Entry<String, String[]> d : devices.entrySet()) {
                            if (d.getValue()[2].equals(last) && i++ == want) {
                                return List.of(FakeQmpServer.reply(c, "\"/machine/peripheral/" + d.getKey() + "\""));
                            }
                        }
                    }
                    String[] d = devices.get(last);
                    if (d != null && prop.equals("host")) {
                        return List.of(FakeQmpServer.reply(c, "\"" + d[1] + "\""));
                    }
                    if (d != null && prop.equals("parent_bus")) {
                        return List.of(FakeQmpServer.reply(c, "\"/machine/peripheral/" + d[2] + "/" + d[2] + "\""));
                    }
                    return List.of(FakeQmpServer.error(c, "GenericError", "Property '" + prop + "' not found"));
                }
                case "device_add": {
                    added.add(a);
                    String host = a.get("host").getAsString();
                    if (host.equals("0000:09:00.0")) {
                        return List.of(FakeQmpServer.error(c, "GenericError", "vfio 0000:09:00.0: group 9 is not viable"));
                    }
                    devices.put(a.get("id").getAsString(), new String[]{"vfio-pci", host, a.get("bus").getAsString()});
                    return List.of(FakeQmpServer.reply(c, "{}"));
                }
                case "device_del": {
                    String id = a.get("id").getAsString();
                    String[] d = devices.get(id);
                    if (d == null) {
                        return List.of(FakeQmpServer.error(c, "DeviceNotFound", "Device '" + id + "' not found"));
                    }
                    List<String> out = new ArrayList<>();
                    out.add(FakeQmpServer.reply(c, "{}"));
                    if (unplugCompletes) {   // the guest's pciehp removes the whole slot
                        List<String> gone = new ArrayList<>();
                        devices.forEach((k, v) -> {
                            if (v[2].equals(d[2])) {
                                gone.add(k);
                            }
                        });
                        for (String g : gone) {
                            devices.remove(g);
                            out.add(FakeQmpServer.event("DEVICE_DELETED", "{\"device\": \"" + g + "\", \"path\": \"/machine/peripheral/" + g + "\"}"));
                        }
                    }
                    return out;
                }
                default:
                    return List.of(FakeQmpServer.reply(c, "{}"));
            }
        }
    }

    private static PciAddress bdf(String s) {
        return PciAddress.parse(s).orElseThrow();
    }

    @Test
    void slotsComeFromTheQomTreeAndOnlyEmptyHotplugPortsAreFree() throws Exception {
        FakeQemu q = new FakeQemu();
        q.ports.put("rp1", true);
        q.ports.put("rp2", true);
        q.ports.put("rp3", false);
        q.devices.put("net0", new String[]{"e1000e", "", "rp2"});
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            List<QmpHotplug.Slot> slots = new QmpHotplug(c).slots();
            assertEquals(3, slots.size());
            assertTrue(slots.get(0).free());
            assertEquals("rp1", slots.get(0).bus());
            assertFalse(slots.get(1).free(), "rp2 holds a NIC");
            assertEquals(List.of("/machine/peripheral/net0"), slots.get(1).children());
            assertFalse(slots.get(2).free(), "rp3 has hotplug=off");
        }
    }

    @Test
    void aMultifunctionGroupGoesIntoOneSlotWithFunctionZeroLast() throws Exception {
        FakeQemu q = new FakeQemu();
        q.ports.put("rp1", true);
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            QmpHotplug h = new QmpHotplug(c);
            List<QmpHotplug.Placement> plan = h.plan(List.of(bdf("0000:03:00.0"), bdf("0000:03:00.1")));
            assertEquals(List.of("0000:03:00.1", "0000:03:00.0"), plan.stream().map(p -> p.host().toString()).toList());
            assertEquals(List.of("0.1", "0.0"), plan.stream().map(QmpHotplug.Placement::addr).toList());
            assertFalse(plan.get(0).multifunction());
            assertTrue(plan.get(1).multifunction());
            h.attach(plan);
            assertEquals("vfio-pci", q.added.get(1).get("driver").getAsString());
            assertEquals("on", q.added.get(1).get("multifunction").getAsString());
            assertEquals("ddab-0000-03-00.0", q.added.get(1).get("id").getAsString());
            assertEquals("rp1", q.added.get(0).get("bus").getAsString());
            List<QmpHotplug.VfioDevice> v = h.vfioDevices();
            assertEquals(2, v.size());
            assertEquals("rp1", v.get(0).bus());

            VmException again = assertThrows(VmException.class, () -> h.plan(List.of(bdf("0000:03:00.0"))));
            assertEquals(VmErrorId.AlreadyAttached, again.id());

            QmpHotplug.Removal r = h.detach(List.of("ddab-0000-03-00.0", "ddab-0000-03-00.1"), Duration.ofSeconds(5));
            assertTrue(r.complete(), r.toString());
            assertEquals(2, r.removed().size());
            long dels = s.received.stream().filter(m -> FakeQmpServer.command(m).equals("device_del")).count();
            assertEquals(1, dels, "one device_del per slot (function 0)");
        }
    }

    @Test
    void notEnoughFreeSlotsIsRefusedBeforeAnyDeviceAdd() throws Exception {
        FakeQemu q = new FakeQemu();
        q.ports.put("rp1", true);
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            VmException e = assertThrows(VmException.class,
                    () -> new QmpHotplug(c).plan(List.of(bdf("0000:05:00.0"), bdf("0000:06:00.0"))));
            assertEquals(VmErrorId.NoFreeHotplugSlot, e.id());
            assertTrue(q.added.isEmpty());
        }
    }

    @Test
    void aFailedDeviceAddUndoesTheFunctionsAlreadyAdded() throws Exception {
        FakeQemu q = new FakeQemu();
        q.ports.put("rp1", true);
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            QmpHotplug h = new QmpHotplug(c);
            // 09:00.1 goes first and succeeds, 09:00.0 (function 0, last) fails
            List<QmpHotplug.Placement> plan = h.plan(List.of(bdf("0000:09:00.0"), bdf("0000:09:00.1")));
            VmException e = assertThrows(VmException.class, () -> h.attach(plan));
            assertEquals(VmErrorId.QmpCommandFailed, e.id());
            assertTrue(e.getMessage().contains("not viable"), e.getMessage());
            assertTrue(q.devices.isEmpty(), "the added function was deleted again: " + q.devices.keySet());
        }
    }

    @Test
    void anUnansweredUnplugIsReportedPendingAtTheLimit() throws Exception {
        FakeQemu q = new FakeQemu();
        q.ports.put("rp1", true);
        q.unplugCompletes = false;
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            QmpHotplug h = new QmpHotplug(c);
            h.attach(h.plan(List.of(bdf("0000:01:00.0"))));
            long t0 = System.nanoTime();
            QmpHotplug.Removal r = h.detach(List.of("ddab-0000-01-00.0", "ddab-gone"), Duration.ofMillis(400));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(r.complete());
            assertEquals(List.of("ddab-0000-01-00.0"), r.pending());
            assertEquals(List.of("ddab-gone"), r.removed(), "an id the VM does not have counts as removed");
            assertTrue(ms >= 350 && ms < 4000, "waited " + ms + " ms");
        }
    }
}
