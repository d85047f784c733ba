package org.ddabridge.check;

import java.util.List;

import org.ddabridge.model.Bar;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.WindowsPciFacts;
import org.ddabridge.survey.WindowsFacts;
/**
 * The platform-neutral view of one PCI function that every device rule reads, and nothing else. Each fact
 * carries the {@link Evidence} it was read from: on Linux a config-space offset ({@code config:<bdf>}), a
 * sysfs file or the DMAR table; on Windows the {@code DEVPKEY_PciDevice_*} property (or CfgMgr32 / WMI
 * source) and its value. Linux builds it from the decoded configuration space and the topology
 * ({@link LinuxFacts}); Windows from {@code WindowsPciFacts} ({@code org.ddabridge.survey.WindowsFacts}).
 *
 * <p>A fact that a platform cannot observe is {@code null} (reset, group) or says so in its own terms
 * ({@link Signal#UNKNOWN}, {@link AcsStatus#NOT_APPLICABLE}); rules then stay silent.
 *
 * @param device         the enumerated function (identity, class code, location path)
 * @param type           device / port type
 * @param interrupts     interrupt capability
 * @param acsPath        ACS up the hierarchy
 * @param reset          reset capability, or null when the platform does not tell (Windows)
 * @param reservedMemory firmware-reserved memory (RMRR) requirement
 * @param disabled       the OS has the device disabled (its resources are gone)
 * @param memory         the memory ranges / BARs for MMIO sizing, or null when not known (lspci dumps)
 * @param group          IOMMU group membership, or null when the platform has no groups (Windows)
 * @param sriov          SR-IOV state of a physical function ({@link Sriov#none()} when not one, or not known)
 */
public record DeviceFacts(PciDevice device, Type type, Interrupts interrupts, AcsPath acsPath, Reset reset,
        ReservedMemory reservedMemory, Disabled disabled, Memory memory, Group group, Sriov sriov) {

    public String address() {
        return device.address();
    }

    /** What kind of function this is, in the terms of Microsoft's survey (DEVPKEY_PciDevice_DeviceType). */
    public enum Kind {
        /** PCI Express endpoint (Windows 2, PCIe port type 0). */
        PCIE_ENDPOINT,
        /** Legacy PCI Express endpoint (Windows 3, port type 1). */
        LEGACY_ENDPOINT,
        /** Root-complex integrated endpoint (Windows 4, port type 9). */
        RC_INTEGRATED_ENDPOINT,
        /** Conventional PCI function (Windows 0, or no PCIe capability). */
        CONVENTIONAL_PCI,
        /** PCI-X function (Windows 1). */
        PCI_X,
        /** PCIe device the firmware kept native control of (Windows 5; Linux cannot see this). */
        PCIE_TREATED_AS_PCI,
        /** Any bridge or port: root, switch, PCIe-to-PCI(-X), event collector (Windows 6-14, header type 1/2). */
        BRIDGE,
        /** The chipset's host bridge (class 0600). */
        HOST_BRIDGE,
        /** The type could not be read (short configuration space). */
        UNKNOWN
    }

    /**
     * Device type.
     *
     * @param kind            the kind
     * @param bridge          structurally a bridge (type 1/2 header; Windows bridge device types): the
     *                        Linux-side rules (groups, reset, MMIO) skip it
     * @param behindPciBridge evidence that a conventional PCI bridge sits above, or null (not seen / not known)
     * @param evidence        what the kind was read from
     */
    public record Type(Kind kind, boolean bridge, Evidence behindPciBridge, List<Evidence> evidence) {
        public Type {
            evidence = List.copyOf(evidence);
        }
    }

    /** How the function can interrupt. */
    public enum Signal {
        /** MSI or MSI-X. */
        MESSAGE,
        /** Only line-based (INTx). */
        LINE_ONLY,
        /** No interrupts at all. */
        NONE,
        /** Not known or not applicable: the rule says nothing. */
        UNKNOWN
    }

    /**
     * Interrupt capability with its evidence, and what the OS allocates for it (the resources Windows lists
     * for the device, Win32_PnPAllocatedResource).
     *
     * @param signal   how the function interrupts
     * @param evidence what that was read from
     * @param messages message vectors ({@link Signal#MESSAGE}): the ones the OS allocated when it says, else
     *                 what the capability offers (MSI-X table size, else MSI's multiple-message count); 0 otherwise
     * @param line     the INTx line the OS routed ({@link Signal#LINE_ONLY}), or null when not known / not line-based
     */
    public record Interrupts(Signal signal, List<Evidence> evidence, int messages, Integer line) {
        public Interrupts {
            evidence = List.copyOf(evidence);
        }

        public Interrupts(Signal signal, List<Evidence> evidence) {
            this(signal, evidence, 0, null);
        }

        public static Interrupts unknown() {
            return new Interrupts(Signal.UNKNOWN, List.of());
        }
    }

    /** ACS up the hierarchy. */
    public enum AcsStatus {
        /** Every port up to the root isolates the device. */
        ISOLATED,
        /** Some port does not: peer-to-peer traffic may bypass the IOMMU. */
        MISSING,
        /** Could not be checked: a port's extended configuration space was not read. */
        UNREADABLE,
        /** The platform reported no value for this device. */
        UNREPORTED,
        /** Not judged for this function (Linux: bridges, unreadable capabilities). */
        NOT_APPLICABLE
    }

    /**
     * ACS up the hierarchy.
     *
     * @param status          the result
     * @param offendingBridge the nearest port that breaks isolation (MISSING), or null when not known
     * @param onRootBus       no bridge between the device and the root complex
     * @param evidence        per-port answers (Linux) or the up-hierarchy property (Windows), offending first
     */
    public record AcsPath(AcsStatus status, String offendingBridge, boolean onRootBus, List<Evidence> evidence) {
        public AcsPath {
            evidence = List.copyOf(evidence);
        }

        public static AcsPath notApplicable() {
            return new AcsPath(AcsStatus.NOT_APPLICABLE, null, false, List.of());
        }
    }

    /**
     * Reset capability.
     *
     * @param kernelMethods      the OS's own list of reset methods ({@code reset_method}), empty when unknown
     * @param kernelEvidence     where that list came from, or null
     * @param capabilityMethods  the methods the kernel would compute from the capabilities ({@code flr},
     *                           {@code af_flr}, {@code pm}, {@code bus}), quirks applied, when readable
     * @param capabilityEvidence the capability evidence, or null when capabilities are unreadable
     * @param busMates           other functions on the same bus (a bus reset would hit them too)
     * @param onRootBus          on a root bus: no bridge to do a secondary bus reset
     * @param quirks             kernel reset quirks that disable a method of this device (empty: none)
     */
    public record Reset(List<String> kernelMethods, Evidence kernelEvidence, List<String> capabilityMethods,
            Evidence capabilityEvidence, int busMates, boolean onRootBus, List<Evidence> quirks) {
        public Reset {
            kernelMethods = List.copyOf(kernelMethods);
            capabilityMethods = List.copyOf(capabilityMethods);
            quirks = List.copyOf(quirks);
        }

        public Reset(List<String> kernelMethods, Evidence kernelEvidence, List<String> capabilityMethods,
                Evidence capabilityEvidence, int busMates, boolean onRootBus) {
            this(kernelMethods, kernelEvidence, capabilityMethods, capabilityEvidence, busMates, onRootBus, List.of());
        }
    }

    /**
     * Firmware-reserved memory: an RMRR scope or IVMD block (Linux) or
     * DEVPKEY_PciDevice_RequiresReservedMemoryRegion (Windows).
     *
     * @param required      the device must stay attached to BIOS-owned memory
     * @param evidence      the RMRR / IVMD / property, or null when not required
     * @param vfioRelaxable the kernel reports the region as relaxable (an Intel RMRR of a USB or graphics
     *                      device), so VFIO accepts the device anyway
     */
    public record ReservedMemory(boolean required, Evidence evidence, boolean vfioRelaxable) {
        public ReservedMemory(boolean required, Evidence evidence) {
            this(required, evidence, false);
        }

        public static ReservedMemory none() {
            return new ReservedMemory(false, null, false);
        }
    }

    /**
     * SR-IOV of a physical function: how many virtual functions exist now (the capability's NumVFs, which the
     * kernel sets before enabling VFs and clears to 0 when it disables them).
     *
     * @param numVfs   NumVFs, 0 when no VFs exist or the function is no PF
     * @param evidence the capability read, or null
     */
    public record Sriov(int numVfs, Evidence evidence) {
        public static Sriov none() {
            return new Sriov(0, null);
        }
    }

    /**
     * Disabled state.
     *
     * @param disabled       the OS has disabled the device node (Windows CM_PROB_DISABLED; Linux: the engine's
     *                       disabling driver_override with no driver bound)
     * @param evidence       the status read, or null when not disabled
     * @param resourcesKnown the interrupts and memory were still read (Linux reads config space and BARs of a
     *                       driverless function; Windows has no allocated resources for a disabled node)
     */
    public record Disabled(boolean disabled, Evidence evidence, boolean resourcesKnown) {
        public Disabled(boolean disabled, Evidence evidence) {
            this(disabled, evidence, false);
        }

        public static Disabled no() {
            return new Disabled(false, null, false);
        }

        /**
         * Whether {@code target}'s judgement treats the device as disabled: Hyper-V's always (Microsoft's survey
         * stops at a disabled device), VFIO's only when the resources were not read (VFIO binds a driverless
         * function anyway, and Linux still read what it needs).
         */
        public boolean appliesTo(Target target) {
            return disabled && (target == Target.HYPERV || !resourcesKnown);
        }
    }

    /**
     * Memory the device decodes: BARs (Linux sysfs {@code resource}) or allocated ranges (Windows, as BARs:
     * 64-bit when above 4 GiB).
     *
     * @param bars     memory and I/O BARs
     * @param evidence one entry per memory BAR, or the allocated ranges
     */
    public record Memory(List<Bar> bars, List<Evidence> evidence) {
        public Memory {
            bars = List.copyOf(bars);
            evidence = List.copyOf(evidence);
        }
    }

    /**
     * IOMMU group membership.
     *
     * @param effective the group that decides what moves together (live when the kernel formed it, else
     *                  predicted), sorted, the device included
     * @param predicted the group predicted from the topology
     * @param live      {@code effective} is the kernel's group
     * @param source    evidence source: {@code sys/kernel/iommu_groups/N} or {@code predicted}
     * @param aliases   DMA aliases of the device (kernel quirks, AMD IVRS alias entries), empty when none
     */
    public record Group(List<String> effective, List<String> predicted, boolean live, String source,
            List<Evidence> aliases) {
        public Group {
            effective = List.copyOf(effective);
            predicted = List.copyOf(predicted);
            aliases = List.copyOf(aliases);
        }

        public Group(List<String> effective, List<String> predicted, boolean live, String source) {
            this(effective, predicted, live, source, List.of());
        }
    }
}
