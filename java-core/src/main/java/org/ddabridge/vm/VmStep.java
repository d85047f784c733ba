package org.ddabridge.vm;

import org.ddabridge.model.PciAddress;

/**
 * One change to a VM, as planned, journaled and undone.
 *
 * @param action   what it does
 * @param host     the host function (null for {@link Action#SET_PCIHOLE64})
 * @param detail   backend detail: the {@code device_add} arguments (QMP), or the affected states {@code LIVE,CONFIG} (libvirt)
 * @param value    {@link Action#SET_PCIHOLE64}: the new size in KiB
 * @param previous {@link Action#SET_PCIHOLE64}: the size it replaces, -1 when there was none
 */
public record VmStep(Action action, PciAddress host, String detail, long value, long previous) {
    /** Step kinds. */
    public enum Action {
        /** Give a host function to the VM ({@code device_add vfio-pci} / {@code virDomainAttachDeviceFlags}). */
        ATTACH,
        /** Set the domain's {@code <pcihole64>} (persistent definition; takes effect at its next start). */
        SET_PCIHOLE64
    }

    public static VmStep attach(PciAddress host, String detail) {
        return new VmStep(Action.ATTACH, host, detail, 0, 0);
    }

    /** One line for progress and what-if output. */
    public String describe() {
        return switch (action) {
            case ATTACH -> "attach " + host + (detail.isEmpty() ? "" : " (" + detail + ")");
            case SET_PCIHOLE64 -> "set <pcihole64> to " + value + " KiB" + (previous < 0 ? "" : " (was " + previous + " KiB)")
                    + ", effective at the next start";
        };
    }
}
