package org.ddabridge.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.check.MmioRequirement;
import org.ddabridge.survey.DeviceSelector;
/**
 * {@code mmio}: the guest MMIO space a SET of devices needs when they go to the same VM, from the checker's
 * per-device figures ({@code mmio.belowFourGiB}/{@code aboveFourGiB} of the survey), with the settings that
 * provide it: Hyper-V's {@code Set-VM -LowMemoryMappedIoSpace/-HighMemoryMappedIoSpace} and QEMU's /
 * libvirt's 64-bit PCI hole. The arithmetic is {@link MmioRequirement}'s, applied to the sums.
 *
 * <p>Arguments: {@code root}, {@code address}/{@code locationPath}/{@code instanceId} (at least one).
 */
final class MmioCommand {
    private static final long MIB = MmioRequirement.MIB;
    private static final long GIB = MmioRequirement.GIB;

    private MmioCommand() {
    }

    static Object run(Args args, Progress progress) {
        args.allow(Set.of("root", "address", "locationPath", "instanceId"));
        DeviceSelector selector = DeviceSelector.from(args);
        if (!selector.namesDevices()) {
            throw new EngineException(ErrorId.InvalidArgument,
                    "'mmio' needs the devices that will share one VM (address, locationPath or instanceId).", "mmio");
        }
        JsonObject survey = SurveyJson.of(args, selector::select);
        long low = 0;
        long high = 0;
        boolean display = false;
        List<Map<String, Object>> devices = new ArrayList<>();
        for (JsonElement e : SurveyJson.devices(survey)) {
            JsonObject d = e.getAsJsonObject();
            JsonObject m = d.has("mmio") && d.get("mmio").isJsonObject() ? d.getAsJsonObject("mmio") : new JsonObject();
            long l = SurveyJson.num(m, "belowFourGiB");
            long h = SurveyJson.num(m, "aboveFourGiB");
            low += l;
            high += h;
            String cc = SurveyJson.str(d, "classCode");
            display |= cc != null && cc.startsWith("03");
            Map<String, Object> dev = new LinkedHashMap<>();
            dev.put("address", SurveyJson.str(d, "address"));
            dev.put("locationPath", SurveyJson.str(d, "locationPath"));
            dev.put("instanceId", SurveyJson.str(d, "instanceId"));
            dev.put("deviceName", SurveyJson.str(d, "deviceName"));
            dev.put("belowFourGiB", l);
            dev.put("aboveFourGiB", h);
            devices.add(dev);
        }
        MmioRequirement req = new MmioRequirement(low, high);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("devices", devices);
        r.put("belowFourGiB", low);
        r.put("aboveFourGiB", high);
        r.put("totalMiB", req.totalMiB());

        Map<String, Object> hv = new LinkedHashMap<>();
        hv.put("lowMemoryMappedIoSpace", req.hyperVLow());
        hv.put("highMemoryMappedIoSpace", req.hyperVHigh());
        hv.put("guestControlledCacheTypes", display);
        hv.put("exceedsDefaults", req.exceedsHyperVDefaults());
        hv.put("command", "Set-VM -VMName <vm> -LowMemoryMappedIoSpace " + mb(req.hyperVLow())
                + " -HighMemoryMappedIoSpace " + mb(req.hyperVHigh()) + (display ? " -GuestControlledCacheTypes $true" : ""));
        r.put("hyperV", hv);

        long hole = req.qemuHole64();
        boolean needed = high > MmioRequirement.QEMU_HOLE64_DEFAULT;
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("pciHole64Size", hole);
        q.put("needed", needed);
        q.put("defaultPciHole64Size", MmioRequirement.QEMU_HOLE64_DEFAULT);
        q.put("argument", "-global q35-pcihost.pci-hole64-size=" + qemuSize(hole));
        q.put("libvirt", "<controller type='pci' model='pcie-root'><pcihole64 unit='KiB'>" + (hole / 1024)
                + "</pcihole64></controller>");
        r.put("qemu", q);
        return r;
    }

    /** Hyper-V's size notation: whole MB ({@code 512MB}). */
    static String mb(long bytes) {
        return ((bytes + MIB - 1) / MIB) + "MB";
    }

    /** QEMU's size notation: {@code 64G} for whole GiB, else {@code M}. */
    static String qemuSize(long bytes) {
        return bytes % GIB == 0 ? (bytes / GIB) + "G" : String.format(Locale.ROOT, "%dM", (bytes + MIB - 1) / MIB);
    }
}
