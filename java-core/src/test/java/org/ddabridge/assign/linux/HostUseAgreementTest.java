package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.Progress;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;

/**
 * The survey and dismount judge host use from the same reader and rule: a disk mounted only as
 * {@code mountinfo} shows it (a bind mount: {@code proc/mounts} of the image says nothing) and a NIC
 * reachable only through an IPv6 default route are in use for both.
 */
class HostUseAgreementTest {
    @TempDir
    Path tmp;

    @Test
    void bindMountSeenOnlyInMountinfoIsInUseForSurveyAndDismount() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("bind")).reference(true);
        // A bind mount of a directory of nvme0n1 (259:0): only mountinfo names the device number.
        h.mount("259:0", "/srv/data", "/dev/nvme0n1");
        h.write("proc/mounts", "");

        Reason r = reason(survey(h, FakeHost.NVME), ReasonCode.HOST_STORAGE);
        assertTrue(r.message().contains("/srv/data"), r.message());

        EngineException e = refusedDismount(h, FakeHost.NVME);
        assertTrue(e.getMessage().contains("/srv/data"), e.getMessage());
        assertEquals("MountedFilesystem", ((Map<?, ?>) e.details()).get("reason"));
    }

    @Test
    void nicWithOnlyAnIpv6DefaultRouteIsInUseForSurveyAndDismount() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("v6")).reference(true);
        h.mkdirs("sys/bus/pci/devices/" + FakeHost.E1000E_0 + "/net/ens4");
        h.mkdirs("sys/class/net/ens4");
        h.write("proc/net/ipv6_route", "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                + "fe800000000000000000000000000001 00000400 00000001 00000000 00000003     ens4\n");

        Reason r = reason(survey(h, FakeHost.E1000E_0), ReasonCode.HOST_NETWORK);
        assertTrue(r.message().contains("ens4"), r.message());

        EngineException e = refusedDismount(h, FakeHost.E1000E_0);
        assertEquals("DefaultRouteNic", ((Map<?, ?>) e.details()).get("reason"), e.getMessage());
        assertTrue(e.getMessage().contains("ens4"), e.getMessage());
    }

    private static DeviceReport survey(FakeHost h, String address) {
        SurveyReport s = Survey.ofHost(new LinuxPlatform(h.hostRoot()), all -> all);
        DeviceReport d = s.report(address);
        assertTrue(d != null, "survey lists " + address);
        return d;
    }

    private static Reason reason(DeviceReport d, String code) {
        return d.reasons().stream().filter(x -> x.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("survey has no " + code + " for " + d.device().address()
                        + ": " + d.reasons().stream().map(Reason::code).toList()));
    }

    private EngineException refusedDismount(FakeHost h, String address) {
        AssignService svc = new AssignService(SimulatedDriverCore::forTree, new BasicAssignabilityPolicy(),
                CrashHook.NONE, Map.of());
        JsonObject a = new JsonObject();
        a.addProperty("root", h.root.toString());
        a.addProperty("stateDir", tmp.resolve("state-" + address.replace(':', '_')).toString());
        com.google.gson.JsonArray list = new com.google.gson.JsonArray();
        list.add(address);
        a.add("address", list);
        try {
            svc.dismount(new Args("dismount", a), Progress.NONE);
        } catch (EngineException e) {
            return e;
        }
        throw new AssertionError("dismount of " + address + " was not refused");
    }
}
