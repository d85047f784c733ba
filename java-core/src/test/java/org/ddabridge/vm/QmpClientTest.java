package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QMP protocol handling against an in-test peer (the real QEMU is in QmpRealQemuTest and the e2e suite). */
class QmpClientTest {
    @TempDir
    Path dir;

    private static List<String> ok(JsonObject c) {
        return List.of(FakeQmpServer.reply(c, "{}"));
    }

    @Test
    void greetingIsParsedAndCapabilitiesAreNegotiatedFirst() throws Exception {
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, QmpClientTest::ok);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            assertEquals("7.2.22", c.greeting().version());
            assertEquals(List.of("oob"), c.greeting().capabilities());
            assertTrue(c.greeting().packageName().startsWith("Debian"));
            assertEquals("qmp_capabilities", FakeQmpServer.command(s.received.get(0)));
            assertTrue(s.received.get(0).has("id"), "every command carries an id");
        }
    }

    @Test
    void repliesAreMatchedByIdAndEventsBufferedMeanwhile() throws Exception {
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, c -> {
            if (FakeQmpServer.command(c).equals("query-status")) {
                return List.of(
                        FakeQmpServer.event("DEVICE_DELETED", "{\"device\": \"ddab-0000-01-00.0\", \"path\": \"/machine/peripheral/ddab-0000-01-00.0\"}"),
                        "{\"return\": {\"status\": \"stale\"}, \"id\": \"someone-else\"}",
                        FakeQmpServer.reply(c, "{\"status\": \"prelaunch\", \"running\": false}"));
            }
            return ok(c);
        }); QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            assertEquals("prelaunch", c.runState());
            Optional<QmpEvent> ev = c.awaitEvent(e -> e.name().equals("DEVICE_DELETED"), Duration.ZERO);
            assertTrue(ev.isPresent(), "the event that arrived before the reply is kept");
            assertEquals("ddab-0000-01-00.0", ev.get().deviceId());
            assertEquals(1764577000_000123L, ev.get().epochMicros());
            assertTrue(c.drainEvents().isEmpty(), "a taken event is gone from the buffer");
        }
    }

    @Test
    void errorRepliesBecomeTypedExceptionsWithTheQmpClass() throws Exception {
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, c ->
                FakeQmpServer.command(c).equals("device_del")
                        ? List.of(FakeQmpServer.error(c, "DeviceNotFound", "Device 'nope' not found")) : ok(c));
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            VmException e = assertThrows(VmException.class, () -> c.deviceDel("nope"));
            assertEquals(VmErrorId.QmpCommandFailed, e.id());
            assertEquals("DeviceNotFound", e.detail());
            assertTrue(e.getMessage().contains("Device 'nope' not found"), e.getMessage());
            // the connection is still usable afterwards
            assertTrue(c.execute("cont", null).isJsonObject());
        }
    }

    @Test
    void aSilentPeerTimesOutWithinTheLimit() throws Exception {
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING,
                c -> FakeQmpServer.command(c).equals("query-pci") ? List.of() : ok(c));
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            long t0 = System.nanoTime();
            VmException e = assertThrows(VmException.class, () -> c.execute("query-pci", null, Duration.ofMillis(300)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(VmErrorId.QmpTimeout, e.id());
            assertTrue(ms >= 250 && ms < 3000, "took " + ms + " ms");
        }
    }

    @Test
    void noGreetingGarbageAndHangupAreProtocolErrors() throws Exception {
        try (FakeQmpServer s = new FakeQmpServer(dir, "{\"hello\": 1}", QmpClientTest::ok)) {
            VmException e = assertThrows(VmException.class, () -> QmpClient.connect(s.socket, Duration.ofSeconds(5)));
            assertEquals(VmErrorId.QmpProtocol, e.id());
        }
        try (FakeQmpServer s = new FakeQmpServer(dir, "this is not json", QmpClientTest::ok)) {
            assertEquals(VmErrorId.QmpProtocol,
                    assertThrows(VmException.class, () -> QmpClient.connect(s.socket, Duration.ofSeconds(5))).id());
        }
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING,
                c -> FakeQmpServer.command(c).equals("query-pci") ? null : ok(c));
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            VmException e = assertThrows(VmException.class, c::queryPci);
            assertEquals(VmErrorId.QmpProtocol, e.id());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void aMissingSocketIsAConnectFailure() {
        VmException e = assertThrows(VmException.class, () -> QmpClient.connect(dir.resolve("none.sock")));
        assertEquals(VmErrorId.QmpConnectFailed, e.id());
    }

    @Test
    void awaitEventGivesUpEmptyAtTheLimit() throws Exception {
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, QmpClientTest::ok);
             QmpClient c = QmpClient.connect(s.socket, Duration.ofSeconds(5))) {
            assertTrue(c.awaitEvent(e -> true, Duration.ofMillis(200)).isEmpty());
        }
    }

    /** Real QEMU 7.2 output: bus 0 with a root port whose secondary bus 1 holds the NVMe, after SeaBIOS ran. */
    static final String QUERY_PCI = "[{\"bus\": 0, \"devices\": ["
            + "{\"irq_pin\": 0, \"bus\": 0, \"qdev_id\": \"\", \"slot\": 0, \"class_info\": {\"class\": 1536, \"desc\": \"Host bridge\"},"
            + " \"id\": {\"device\": 10688, \"subsystem-vendor\": 6900, \"vendor\": 32902, \"subsystem\": 4352}, \"function\": 0, \"regions\": []},"
            + "{\"irq_pin\": 1, \"bus\": 0, \"pci_bridge\": {\"bus\": {\"secondary\": 1, \"number\": 0, \"subordinate\": 1,"
            + " \"io_range\": {\"limit\": 4095, \"base\": 61440}},"
            + " \"devices\": [{\"bus\": 1, \"slot\": 0, \"function\": 0, \"class_info\": {\"class\": 264, \"desc\": \"NVMe\"},"
            + " \"id\": {\"device\": 16, \"vendor\": 6966}, \"qdev_id\": \"ddab-0000-01-00.0\", \"regions\": []}]},"
            + " \"qdev_id\": \"rp1\", \"slot\": 4, \"class_info\": {\"class\": 1540, \"desc\": \"PCI bridge\"},"
            + " \"id\": {\"device\": 12, \"vendor\": 6966}, \"function\": 0, \"regions\": []},"
            + "{\"bus\": 0, \"pci_bridge\": {\"bus\": {\"secondary\": 2, \"number\": 0, \"subordinate\": 2}},"
            + " \"qdev_id\": \"rp2\", \"slot\": 5, \"class_info\": {\"class\": 1540}, \"id\": {\"device\": 12, \"vendor\": 6966}, \"function\": 0}"
            + "]}]";

    @Test
    void queryPciIsFlattenedIntoRecords() {
        JsonElement ret = JsonParser.parseString(QUERY_PCI);
        List<QmpPciDevice> all = QmpClient.parseQueryPci(ret);
        assertEquals(4, all.size());
        QmpPciDevice rp1 = all.get(1);
        assertEquals("rp1", rp1.qdevId());
        assertEquals(0x0604, rp1.classCode());
        assertEquals(new QmpPciDevice.Bridge(1, 1, 1), rp1.bridge());
        QmpPciDevice nvme = all.get(2);
        assertEquals("1b36:0010", nvme.vendorDevice());
        assertEquals(1, nvme.bus());
        assertEquals("ddab-0000-01-00.0", nvme.qdevId());
        assertNull(nvme.bridge());
        assertEquals(0, all.get(3).bridge().children(), "rp2 has an empty secondary bus");
        assertEquals(VmErrorId.QmpProtocol,
                assertThrows(VmException.class, () -> QmpClient.parseQueryPci(new JsonObject())).id());
    }
}
