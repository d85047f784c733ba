package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.List;

import org.ddabridge.check.MmioRequirement;
import org.ddabridge.survey.IommuGroups;
import org.ddabridge.survey.MmioPlan;

/** Human renderings of the survey's views: IOMMU groups and MMIO plans. */
final class ViewOutput {
    private ViewOutput() {
    }

    /** True when {@link #print} knows the result's type. */
    static boolean handles(Object result) {
        return result instanceof MmioPlan
                || (result instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof IommuGroups.Group);
    }

    static void print(Object result, PrintWriter out, Term term) {
        if (result instanceof MmioPlan plan) {
            mmio(plan, out);
        } else {
            @SuppressWarnings("unchecked")
            List<IommuGroups.Group> groups = (List<IommuGroups.Group>) result;
            groups(groups, out, term);
        }
    }

    /** The classic {@code IOMMU Group N:} listing (the shell loop over /sys/kernel/iommu_groups), with verdicts. */
    static void groups(List<IommuGroups.Group> groups, PrintWriter out, Term term) {
        for (IommuGroups.Group g : groups) {
            String head = g.group() != null ? "IOMMU Group " + g.group() : "Predicted group";
            String prediction = g.matchesPrediction() == null ? ""
                    : g.matchesPrediction() ? ", as predicted" : ", predicted " + String.join(" ", g.predictedMembers());
            out.printf("%s: %s%s%s%n", head, g.viable() ? term.paint(Term.Style.GOOD, "VFIO-viable")
                    : term.paint(Term.Style.WARN, "not viable") + " (host drivers: " + String.join(", ", g.hostDrivers())
                    + ")", g.assignable() ? ", assignable" : "", prediction);
            for (IommuGroups.Member m : g.members()) {
                String name = (m.className() == null ? "" : m.className())
                        + (m.deviceName() == null ? "" : ": " + m.deviceName());
                out.printf("    %s %s  [%s%s]%s%n", m.address(), name.trim(),
                        m.driver() == null ? "no driver" : m.driver(), m.isBridge() ? ", bridge" : "",
                        m.isBridge() ? "" : "  " + term.paint(Term.styleOf(String.valueOf(m.verdict())),
                                String.valueOf(m.verdict())));
            }
        }
        if (groups.isEmpty()) {
            out.println("No IOMMU groups.");
        }
    }

    /** Per device, the sums, and the exact settings to type. */
    static void mmio(MmioPlan p, PrintWriter out) {
        for (MmioPlan.Device d : p.devices()) {
            out.printf("%s  below 4 GiB %s, above 4 GiB %s  %s%n", d.address(), MmioRequirement.mb(d.belowFourGiB()),
                    MmioRequirement.mb(d.aboveFourGiB()), d.deviceName() == null ? "" : d.deviceName());
        }
        out.printf("Together: below 4 GiB %s, above 4 GiB %s (%d MiB)%n", MmioRequirement.mb(p.belowFourGiB()),
                MmioRequirement.mb(p.aboveFourGiB()), p.totalMiB());
        out.println();
        out.println("Hyper-V" + (p.hyperV().exceedsDefaults() ? " (more than the defaults of 128 MB / 512 MB):" : ":"));
        out.println("  " + p.hyperV().command());
        out.println("QEMU" + (p.qemu().needed() ? " (more than the default 32 GiB hole):" : " (the default hole is enough):"));
        out.println("  " + p.qemu().argument());
        out.println("libvirt (in the domain XML):");
        out.println("  " + p.qemu().libvirt());
    }
}
