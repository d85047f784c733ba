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
import org.ddabridge.vm.PciBdf;
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
        assertEquals(PciBdf.parse("0000:01:00.0"), r.address());
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
