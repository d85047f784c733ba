package org.ddabridge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.Map;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.vm.VmErrorId;
import org.ddabridge.vm.VmRef;
import org.junit.jupiter.api.Test;

/** The VM requests' arguments and error ids (the commands themselves: vm tests and the e2e suite). */
class VmRequestsTest {
    private static Args args(String cmd, String... kv) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i].equals("address")) {
                JsonArray a = new JsonArray();
                a.add(kv[i + 1]);
                o.add("address", a);
            } else if (kv[i].equals("whatIf")) {
                o.addProperty("whatIf", Boolean.parseBoolean(kv[i + 1]));
            } else {
                o.addProperty(kv[i], kv[i + 1]);
            }
        }
        return new Args(cmd, o);
    }

    @Test
    void requestsAreTyped() {
        VmRequests.AddRequest r = VmRequests.AddRequest.of(args("vm-add", "address", "01:00.0", "vm", "qmp:/run/q.sock",
                "whatIf", "true", "stateDir", "/tmp/sd"));
        assertEquals(java.util.List.of("01:00.0"), r.device().addresses());
        assertEquals(false, r.device().any());
        assertEquals(new VmRef.Qmp(Path.of("/run/q.sock")), r.vm());
        assertEquals(true, r.whatIf());
        assertEquals(Path.of("/tmp/sd"), r.stateDir());
        // Hyper-V's argument name works too, and the libvirt URI applies to domain names
        VmRequests.RemoveRequest m = VmRequests.RemoveRequest.of(args("vm-remove", "address", "0000:03:00.1",
                "vmName", "web", "uri", "test:///default", "timeoutSeconds", "7"));
        assertEquals(new VmRef.Domain("test:///default", "web"), m.vm());
        assertEquals(7, m.timeout().toSeconds());
    }

    @Test
    void devicesByLocationPathInstanceIdOrAnyPooled() {
        VmRequests.AddRequest lp = VmRequests.AddRequest.of(args("vm-add", "locationPath", "PCIROOT(0)#PCI(0200)#PCI(0000)",
                "vm", "web"));
        assertEquals(java.util.List.of("PCIROOT(0)#PCI(0200)#PCI(0000)"), lp.device().locationPaths());
        VmRequests.RemoveRequest id = VmRequests.RemoveRequest.of(args("vm-remove", "instanceId", "PCI\\VEN_1B36&DEV_0010", "vm", "web"));
        assertEquals(java.util.List.of("PCI\\VEN_1B36&DEV_0010"), id.device().instanceIds());
        JsonObject o = new JsonObject();
        o.addProperty("vmName", "web");
        o.addProperty("any", true);
        assertEquals(true, VmRequests.AddRequest.of(new Args("vm-add", o)).device().any());
        // any and a device at once, and any on vm-remove (Hyper-V removes named devices only), are refused
        o.addProperty("locationPath", "PCIROOT(0)");
        assertEquals(ErrorId.InvalidArgument, assertThrows(EngineException.class, () -> VmRequests.AddRequest.of(new Args("vm-add", o))).id());
        JsonObject r = new JsonObject();
        r.addProperty("vmName", "web");
        r.addProperty("any", true);
        assertEquals(ErrorId.InvalidArgument, assertThrows(EngineException.class, () -> VmRequests.RemoveRequest.of(new Args("vm-remove", r))).id());
    }

    @Test
    void vmSetTakesHyperVsSizesAndValues() {
        VmRequests.SetRequest s = VmRequests.SetRequest.of(args("vm-set", "vmName", "web", "lowMemoryMappedIoSpace", "3GB",
                "highMemoryMappedIoSpace", "33280MB", "automaticStopAction", "turnoff", "guestControlledCacheTypes", "True"));
        assertEquals(3L << 30, s.settings().lowMemoryMappedIoSpace());
        assertEquals(33280L << 20, s.settings().highMemoryMappedIoSpace());
        assertEquals(org.ddabridge.vm.VmSettings.StopAction.TurnOff, s.settings().automaticStopAction());
        assertEquals(Boolean.TRUE, s.settings().guestControlledCacheTypes());
        // PowerShell sends 33280MB as a number of bytes
        assertEquals(34896609280L, VmRequests.SetRequest.of(args("vm-set", "vm", "web", "highMemoryMappedIoSpace", "34896609280"))
                .settings().highMemoryMappedIoSpace());
        for (String[] bad : new String[][]{{"highMemoryMappedIoSpace", "3 GiB"}, {"highMemoryMappedIoSpace", "0"},
                {"highMemoryMappedIoSpace", "-5"}, {"automaticStopAction", "Pause"}, {"guestControlledCacheTypes", "yes"},
                {"vm", "web"}}) {
            Args a = bad[0].equals("vm") ? args("vm-set", "vm", "web") : args("vm-set", "vm", "web", bad[0], bad[1]);
            EngineException e = assertThrows(EngineException.class, () -> VmRequests.SetRequest.of(a), String.join("=", bad));
            assertEquals(ErrorId.InvalidArgument, e.id(), String.join("=", bad));
        }
    }

    @Test
    void badArgumentsAreInvalidArgument() {
        for (Args a : new Args[]{args("vm-add", "address", "01:00.0"), args("vm-add", "vm", "web"),
                args("vm-add", "address", "zz", "vm", "web"), args("vm-add", "address", "01:00.0", "vm", "qmp:rel.sock"),
                args("vm-add", "address", "01:00.0", "vm", "web", "force", "x")}) {
            EngineException e = assertThrows(EngineException.class, () -> VmRequests.AddRequest.of(a), a.json().toString());
            assertEquals(ErrorId.InvalidArgument, e.id(), a.json().toString());
        }
    }

    @Test
    void vmErrorIdsMapToStableEngineIds() {
        assertEquals(ErrorId.VmNotFound, VmRequests.errorId(VmErrorId.DomainNotFound));
        assertEquals(ErrorId.VmNotFound, VmRequests.errorId(VmErrorId.QmpConnectFailed));
        assertEquals(ErrorId.NoFreeHotplugSlot, VmRequests.errorId(VmErrorId.NoFreeHotplugSlot));
        assertEquals(ErrorId.LibvirtUnavailable, VmRequests.errorId(VmErrorId.LibvirtUnavailable));
        assertEquals(ErrorId.NotDismounted, VmRequests.errorId(VmErrorId.NotDismounted));
        for (VmErrorId id : VmErrorId.values()) {
            VmRequests.errorId(id);   // every id has a mapping (the switch is exhaustive)
        }
    }

    @Test
    void aMissingQmpSocketIsVmNotFoundThroughTheEngine() {
        VmRequests vm = new VmRequests(org.ddabridge.vm.VmService.live(org.ddabridge.vm.VmService.CrashPoint.NONE), Map.of());
        EngineException e = assertThrows(EngineException.class,
                () -> vm.list(args("vm-list", "vm", "qmp:/nonexistent/ddab-test.sock"), Progress.NONE));
        assertEquals(ErrorId.VmNotFound, e.id());
    }
}
