package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.KernelCmdline;
/** The host-wide checks, judged from {@link IommuFacts}. Offline dumps get {@code unknown} everywhere. */
public final class HostChecks {
    public static final String IOMMU_PRESENT = "IommuPresent";
    public static final String IOMMU_ENABLED = "IommuEnabled";
    public static final String INTERRUPT_REMAPPING = "InterruptRemapping";
    public static final String VFIO_AVAILABLE = "VfioAvailable";
    public static final String NESTED = "Nested";
    public static final String IOMMU_MODE = "IommuMode";
    /** Windows: Hyper-V's management service answers. */
    public static final String HYPERV_PRESENT = "HyperVPresent";
    /** Windows: Hyper-V's I/O virtualization verdict ({@code Get-VMHost}'s IovSupport). */
    public static final String IOV_SUPPORT = "IovSupport";

    private static final String DMAR = "sys/firmware/acpi/tables/DMAR";

    private HostChecks() {
    }

    public static List<HostCheck> run(IommuFacts f) {
        if (!f.available()) {
            List<HostCheck> out = new ArrayList<>();
            for (String id : List.of(IOMMU_PRESENT, IOMMU_ENABLED, INTERRUPT_REMAPPING, VFIO_AVAILABLE, NESTED,
                    IOMMU_MODE)) {
                out.add(new HostCheck(id, CheckStatus.UNKNOWN,
                        "No host evidence: an lspci dump, or a platform without these sources.", List.of(), null));
            }
            return out;
        }
        KernelCmdline cmd = KernelCmdline.parse(f.commandLine());
        return List.of(present(f), enabled(f, cmd), remapping(f), vfio(f), nested(f), mode(f, cmd));
    }

    /**
     * The Debian/Ubuntu way to add kernel parameters (GRUB reads GRUB_CMDLINE_LINUX; update-grub regenerates
     * its configuration); null when there is nothing to add (a parameter that switches the IOMMU off must be
     * removed, which no one-liner does safely).
     */
    static String kernelParameterCommand(String parameters) {
        return parameters == null ? null : "sed -i 's/^GRUB_CMDLINE_LINUX=\"/&" + parameters
                + " /' /etc/default/grub && update-grub && reboot";
    }

    static HostCheck present(IommuFacts f) {
        List<Evidence> ev = new ArrayList<>();
        if (f.dmarPresent()) {
            ev.add(new Evidence(DMAR, "present" + (f.dmarFlags() >= 0 ? String.format(", flags=0x%02x", f.dmarFlags())
                    : "")));
        }
        if (f.ivrsPresent()) {
            ev.add(new Evidence("sys/firmware/acpi/tables/IVRS", "present"));
        }
        if (!f.iommuUnits().isEmpty()) {
            ev.add(new Evidence("sys/class/iommu", String.join(" ", f.iommuUnits())));
        }
        if (!ev.isEmpty()) {
            return new HostCheck(IOMMU_PRESENT, CheckStatus.PASS, "The firmware describes an IOMMU"
                    + (f.dmarPresent() ? " (Intel VT-d)." : f.ivrsPresent() ? " (AMD-Vi)." : "."), ev, null);
        }
        return new HostCheck(IOMMU_PRESENT, CheckStatus.FAIL,
                "No IOMMU: the firmware has no DMAR or IVRS ACPI table and the kernel registered no IOMMU unit.",
                List.of(new Evidence(DMAR, "absent"), new Evidence("sys/firmware/acpi/tables/IVRS", "absent")),
                "Enable VT-d (Intel) or AMD-Vi/IOMMU in the firmware setup; check the CPU and chipset support it.");
    }

    static HostCheck enabled(IommuFacts f, KernelCmdline cmd) {
        List<Evidence> ev = new ArrayList<>();
        ev.add(new Evidence("sys/kernel/iommu_groups", f.groupCount() + " group(s)"));
        if (!cmd.iommuOptions().isEmpty()) {
            ev.add(new Evidence("proc/cmdline", String.join(" ", cmd.iommuOptions())));
        }
        for (String l : f.logIommuLines()) {
            if (l.contains("IOMMU enabled") || l.contains("IOMMU disabled") || l.contains("AMD-Vi: Found IOMMU")) {
                ev.add(new Evidence("dmesg", l));
            }
        }
        if (f.groupCount() > 0) {
            return new HostCheck(IOMMU_ENABLED, CheckStatus.PASS, "The IOMMU is on: the kernel formed "
                    + f.groupCount() + " IOMMU group(s).", ev, null);
        }
        String why = cmd.iommuDisabled() ? "it is switched off on the kernel command line"
                : f.dmarPresent() && !cmd.iommuRequested() ? "the kernel did not enable it (Intel: many kernels need "
                        + "intel_iommu=on)" : "the kernel did not enable it";
        return new HostCheck(IOMMU_ENABLED, CheckStatus.FAIL, "The IOMMU is not in use: " + why + ".", ev,
                f.ivrsPresent()
                        ? "Add amd_iommu=on iommu=pt to the kernel command line, enable AMD-Vi in firmware, reboot."
                        : "Add intel_iommu=on iommu=pt to the kernel command line (GRUB_CMDLINE_LINUX), enable VT-d "
                                + "in firmware, reboot.",
                kernelParameterCommand(cmd.iommuDisabled() ? null : f.ivrsPresent() ? "amd_iommu=on iommu=pt"
                        : "intel_iommu=on iommu=pt"));
    }

    static HostCheck remapping(IommuFacts f) {
        List<Evidence> ev = new ArrayList<>();
        if (f.dmarFlags() >= 0) {
            ev.add(new Evidence(DMAR, String.format("flags=0x%02x (INTR_REMAP %s)", f.dmarFlags(),
                    (f.dmarFlags() & 1) != 0 ? "set" : "clear")));
        }
        for (String l : f.logIommuLines()) {
            if (l.contains("IRQ remapping") || l.contains("Interrupt remapping") || l.contains("DMAR-IR")) {
                ev.add(new Evidence("dmesg", l));
            }
        }
        if (f.interruptsRead()) {
            ev.add(new Evidence("proc/interrupts", f.remappedInterrupts() + " IR- line(s)"));
        }
        if (f.ivrsInterruptRemapping() != null) {
            ev.add(new Evidence("sys/firmware/acpi/tables/IVRS", f.ivrsInterruptRemapping()
                    ? "IVHD special entries name the IOAPIC(s): interrupt remapping supported"
                    : "no IOAPIC special entry: the kernel disables interrupt remapping"));
        }
        if (f.allowUnsafeInterrupts() != null) {
            ev.add(new Evidence("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
                    f.allowUnsafeInterrupts() ? "Y" : "N"));
        }
        boolean on = f.logIrqRemapping() || f.remappedInterrupts() > 0;
        if (on) {
            return new HostCheck(INTERRUPT_REMAPPING, CheckStatus.PASS, "Interrupt remapping is enabled.", ev, null);
        }
        if (Boolean.TRUE.equals(f.allowUnsafeInterrupts())) {
            return new HostCheck(INTERRUPT_REMAPPING, CheckStatus.WARN,
                    "No interrupt remapping; VFIO runs anyway because allow_unsafe_interrupts is set: a guest can "
                            + "forge interrupts (MSI attacks).", ev,
                    "Enable interrupt remapping (firmware x2APIC/VT-d settings) and drop allow_unsafe_interrupts.");
        }
        // Whether remapping is on is only seen in the kernel log or in /proc/interrupts (IR- chips); the
        // firmware table says what the platform could do, not what the kernel did.
        if (!f.kernelLog() && !f.interruptsRead()) {
            return new HostCheck(INTERRUPT_REMAPPING, CheckStatus.UNKNOWN,
                    "No evidence whether interrupt remapping is on: neither the kernel log nor /proc/interrupts "
                            + "was readable.", ev,
                    "Run as root so the kernel log can be read (or capture the image with dmesg.txt).",
                    f.live() ? "sudo ddabridge survey" : null);
        }
        boolean platform = f.dmarFlags() >= 0 && (f.dmarFlags() & 1) != 0
                || Boolean.TRUE.equals(f.ivrsInterruptRemapping());
        return new HostCheck(INTERRUPT_REMAPPING, CheckStatus.FAIL,
                "Interrupt remapping is not enabled" + (platform ? " although the platform supports it." : ".")
                        + " Hyper-V refuses DDA and vfio_iommu_type1 refuses to attach devices without it.", ev,
                platform ? "Do not boot with intremap=off / nointremap; enable x2APIC in firmware."
                        : "Enable interrupt remapping in firmware; as a last resort (unsafe) load vfio_iommu_type1 "
                                + "with allow_unsafe_interrupts=1.");
    }

    static HostCheck vfio(IommuFacts f) {
        List<Evidence> ev = new ArrayList<>();
        if (f.vfioPciLoaded()) {
            ev.add(new Evidence("sys/bus/pci/drivers/vfio-pci", "present"));
            return new HostCheck(VFIO_AVAILABLE, CheckStatus.PASS, "The vfio-pci driver is loaded.", ev, null);
        }
        if (f.vfioPciModuleFile() != null) {
            ev.add(new Evidence(f.vfioPciModuleFile(), "present"));
            return new HostCheck(VFIO_AVAILABLE, CheckStatus.WARN,
                    "vfio-pci is installed but not loaded.", ev, "modprobe vfio-pci (the engine loads it on demand).",
                    "modprobe vfio-pci");
        }
        if (!f.live()) {
            return new HostCheck(VFIO_AVAILABLE, CheckStatus.UNKNOWN,
                    "vfio-pci is not loaded in the image; whether its module is installed was not captured.", ev,
                    "Check with modinfo vfio-pci on the host.");
        }
        ev.add(new Evidence("sys/module/vfio_pci", "absent"));
        return new HostCheck(VFIO_AVAILABLE, CheckStatus.FAIL, "vfio-pci is neither loaded nor installed.", ev,
                "Install a kernel with CONFIG_VFIO_PCI (Debian: linux-image-amd64 has it as a module).");
    }

    static HostCheck nested(IommuFacts f) {
        List<Evidence> ev = new ArrayList<>();
        ev.add(new Evidence("proc/cpuinfo", f.hypervisor() ? "flags: hypervisor" : "no hypervisor flag"));
        boolean virtualDmi = looksVirtual(f.dmiProduct());
        if (!f.dmiProduct().isEmpty()) {
            ev.add(new Evidence("sys/class/dmi/id", f.dmiProduct()));
        }
        if (f.hypervisor() || virtualDmi) {
            return new HostCheck(NESTED, CheckStatus.WARN,
                    "This host runs under a hypervisor: pass-through only works with a virtual IOMMU given to this VM "
                            + "and devices passed through to it first.", ev,
                    "Give the VM a vIOMMU (QEMU -device intel-iommu,intremap=on; Hyper-V nested virtualization) "
                            + "or run on bare metal.");
        }
        return new HostCheck(NESTED, CheckStatus.PASS, "Bare metal (no hypervisor CPU flag).", ev, null);
    }

    /** DMI strings of common hypervisors' virtual machines. */
    static boolean looksVirtual(String dmi) {
        String d = dmi.toLowerCase(java.util.Locale.ROOT);
        return d.contains("qemu") || d.contains("kvm") || d.contains("vmware") || d.contains("virtualbox")
                || d.contains("xen") || d.contains("microsoft corporation virtual machine")
                || d.contains("amazon ec2") || d.contains("google compute engine");
    }

    static HostCheck mode(IommuFacts f, KernelCmdline cmd) {
        List<Evidence> ev = new ArrayList<>();
        if (!f.groupTypes().isEmpty()) {
            ev.add(new Evidence("sys/kernel/iommu_groups/*/type", String.join(" ", f.groupTypes())));
        }
        if (!cmd.iommuOptions().isEmpty()) {
            ev.add(new Evidence("proc/cmdline", String.join(" ", cmd.iommuOptions())));
        }
        for (String l : f.logIommuLines()) {
            if (l.startsWith("iommu: Default domain type")) {
                ev.add(new Evidence("dmesg", l));
            }
        }
        if (f.groupCount() == 0) {
            return new HostCheck(IOMMU_MODE, CheckStatus.UNKNOWN, "No IOMMU groups: no default domain to report.", ev,
                    null);
        }
        boolean identity = f.groupTypes().contains("identity");
        boolean dma = f.groupTypes().stream().anyMatch(t -> t.startsWith("DMA"));
        if (f.groupTypes().isEmpty()) {
            return new HostCheck(IOMMU_MODE, CheckStatus.PASS, cmd.passthrough()
                    ? "Host devices bypass translation (iommu=pt)." : "Default domain type not exposed by this kernel.",
                    ev, null);
        }
        if (identity && !dma) {
            return new HostCheck(IOMMU_MODE, CheckStatus.PASS,
                    "Passthrough: host devices bypass translation (identity domains); assigned devices get their own "
                            + "translated domain.", ev, null);
        }
        return new HostCheck(IOMMU_MODE, CheckStatus.PASS, "Translated: host DMA goes through the IOMMU"
                + (identity ? " (some groups identity)." : ".")
                + " Fine for pass-through; iommu=pt saves host overhead.", ev, null);
    }
}
