package org.ddabridge.survey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.ddabridge.check.BootPersistenceCheck;
import org.ddabridge.check.Checker;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.Target;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.WindowsHost;
import org.ddabridge.platform.spi.HostFactsVisitor;
import org.ddabridge.platform.spi.PciHostFacts;
import org.ddabridge.platform.spi.PlatformBackend;

/**
 * The survey: a backend's snapshot and host facts through the one rule set ({@link Checker}), whatever the
 * backend (Linux host or image, Windows host or recording, lspci dump). Every function is checked (groups
 * need them all); {@code select} picks the ones reported.
 */
public final class Survey {
    private Survey() {
    }

    /** Surveys what {@code backend} reads now, headline for the backend's own hypervisor. */
    public static SurveyReport ofHost(PlatformBackend backend, UnaryOperator<List<PciDevice>> select) {
        return ofSnapshot(backend, backend.snapshot(), select, null);
    }

    /** Surveys what {@code backend} reads now; {@code target} null: the backend's own hypervisor. */
    public static SurveyReport ofHost(PlatformBackend backend, UnaryOperator<List<PciDevice>> select, Target target) {
        return ofSnapshot(backend, backend.snapshot(), select, target);
    }

    /** Surveys a snapshot already read from {@code backend} (dismount plans from the same read). */
    public static SurveyReport ofSnapshot(PlatformBackend backend, HostSnapshot snap,
            UnaryOperator<List<PciDevice>> select) {
        return ofSnapshot(backend, snap, select, null);
    }

    /**
     * Surveys a snapshot; the headline verdicts are for {@code target}, or (null) for the hypervisor this
     * kind of host runs: Hyper-V on Windows, VFIO on Linux hosts, images and dumps.
     */
    public static SurveyReport ofSnapshot(PlatformBackend backend, HostSnapshot snap,
            UnaryOperator<List<PciDevice>> select, Target target) {
        Target headline = target != null ? target : Target.forPlatform(backend.name());
        return backend.facts(snap, new HostFactsVisitor<SurveyReport>() {
            @Override
            public SurveyReport pciHost(PciHostFacts f) {
                Map<String, String> parents = new HashMap<>();
                for (PciDevice d : snap.devices()) {
                    if (d.parent() != null) {
                        parents.put(d.address(), d.parent());
                    }
                }
                Checker.Result r = Checked.run(new Checker.Input(snap.devices(), snap.configSpaces(), parents,
                        f.iommu(), f.hostUse(), f.dmar(), f.ivrs()), headline, snap.host().platform());
                List<HostCheck> checks = new ArrayList<>(r.checks());
                checks.add(f.bootOverrides() == null ? BootPersistenceCheck.unknown()
                        : BootPersistenceCheck.hostCheck(BootPersistenceCheck.verify(f.bootOverrides(),
                                snap.devices())));
                return report(snap, new Checker.Result(checks, r.devices(), r.target()), f.hostUse(), select);
            }

            @Override
            public SurveyReport windowsHost(WindowsHost w) {
                Checker.Result r = Checker.judge(WindowsFacts.of(w), HostUse.unknown(),
                        WindowsFacts.hostChecks(w.host()), Checker.Order.STOP_AT_FIRST_ERROR, headline, "windows");
                return report(w.snapshot(), r, HostUse.unknown(), select);
            }
        });
    }

    /**
     * The checker's last result, reused while its input is equal in value: every fact was read afresh, and the
     * checker is a pure function of them, so equal facts give the same verdicts (a serve session asks about
     * the same small host again and again; deciding equality costs far less than decoding, grouping and
     * judging). Kept only for small hosts, so a large host's facts are not held between requests.
     */
    static final class Checked {
        static final int MAX_FUNCTIONS = 2048;
        private static Checked last;

        private final Checker.Input input;
        private final Target target;
        private final String platform;
        private final Checker.Result result;

        private Checked(Checker.Input input, Target target, String platform, Checker.Result result) {
            this.input = input;
            this.target = target;
            this.platform = platform;
            this.result = result;
        }

        static Checker.Result run(Checker.Input in, Target target, String platform) {
            Checked c;
            synchronized (Checked.class) {
                c = last;
            }
            if (c != null && c.target == target && java.util.Objects.equals(c.platform, platform) && sameInput(c.input, in)) {
                return c.result;
            }
            Checker.Result r = Checker.run(in, target, platform);
            if (in.devices().size() <= MAX_FUNCTIONS) {
                synchronized (Checked.class) {
                    last = new Checked(in, target, platform, r);
                }
            }
            return r;
        }

        /** Equal in value: records compare their fields; config spaces by content. */
        static boolean sameInput(Checker.Input a, Checker.Input b) {
            if (!a.devices().equals(b.devices()) || !a.parents().equals(b.parents())
                    || !java.util.Objects.equals(a.iommu(), b.iommu()) || !java.util.Objects.equals(a.hostUse(), b.hostUse())
                    || !java.util.Objects.equals(a.dmar(), b.dmar()) || !java.util.Objects.equals(a.ivrs(), b.ivrs())
                    || a.configs().size() != b.configs().size()) {
                return false;
            }
            for (Map.Entry<String, byte[]> e : a.configs().entrySet()) {
                byte[] other = b.configs().get(e.getKey());
                if (other != e.getValue() && !java.util.Arrays.equals(other, e.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    private static SurveyReport report(HostSnapshot snap, Checker.Result r, HostUse use,
            UnaryOperator<List<PciDevice>> select) {
        // The checker's reports are judged as they are read (Checker.Reports): pick by device, read only what
        // is shown, and keep the whole list (not a copy) when everything is.
        List<DeviceReport> reports = r.devices();
        List<PciDevice> all = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            all.add(Checker.Reports.deviceOf(reports, i));
        }
        Set<String> keep = new HashSet<>();
        for (PciDevice d : select.apply(all)) {
            keep.add(d.address());
        }
        List<DeviceReport> shown;
        if (keep.size() == all.size() && all.stream().allMatch(d -> keep.contains(d.address()))) {
            shown = reports;
        } else {
            shown = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                if (keep.contains(all.get(i).address())) {
                    shown.add(reports.get(i));
                }
            }
        }
        // The summary is counted when asked, or by the JSON writer as it writes (judging each device once).
        return new SurveyReport(snap.host(), r.checks(), shown, null, use, r.target(), snap.findings());
    }
}
