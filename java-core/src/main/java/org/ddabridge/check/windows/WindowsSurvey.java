package org.ddabridge.check.windows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.windows.WindowsPlatform;

/** Glue from a {@link WindowsPlatform} to the {@link WindowsChecker}: the survey command's result on Windows. */
public final class WindowsSurvey {
    private WindowsSurvey() {
    }

    /**
     * Surveys every function and reports those {@code select} keeps: {@code host}, {@code checks},
     * {@code summary} (of the reported ones), {@code devices} (reports), {@code skipped} (nodes without an address).
     */
    public static Map<String, Object> of(WindowsPlatform platform, UnaryOperator<List<PciDevice>> select) {
        var mapped = platform.mapped();
        WindowsChecker.Result r = WindowsChecker.run(mapped);
        Set<String> keep = new HashSet<>();
        for (PciDevice d : select.apply(mapped.snapshot().devices())) {
            keep.add(d.address());
        }
        List<WindowsDeviceReport> reports = new ArrayList<>();
        for (WindowsDeviceReport rep : r.devices()) {
            if (keep.contains(rep.device().address())) {
                reports.add(rep);
            }
        }
        WindowsChecker.Result shown = new WindowsChecker.Result(r.checks(), List.copyOf(reports));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", mapped.snapshot().host());
        out.put("checks", r.checks());
        out.put("summary", shown.summary());
        out.put("devices", reports);
        out.put("skipped", mapped.skipped());
        return out;
    }
}
