package org.ddabridge.vm;

import org.ddabridge.model.PciAddress;

/** A failure with a stable {@link VmErrorId}; {@link #detail()} carries the peer's own code when there is one. */
public class VmException extends RuntimeException {
    private final VmErrorId id;
    private final String detail;

    /** The PCI function named by {@code text} ({@code 0000:01:00.0} or {@code 01:00.0}); {@code InvalidVmReference} otherwise. */
    public static PciAddress address(String text) {
        return PciAddress.parse(text).orElseThrow(() -> new VmException(VmErrorId.InvalidVmReference,
                "not a PCI address: '" + text + "' (want 0000:01:00.0)"));
    }

    public VmException(VmErrorId id, String message) {
        this(id, message, null, null);
    }

    public VmException(VmErrorId id, String message, String detail, Throwable cause) {
        super(message, cause);
        this.id = id;
        this.detail = detail;
    }

    public VmErrorId id() {
        return id;
    }

    /**
     * The peer's code, when it gave one: the QMP error class ({@code GenericError}, {@code DeviceNotFound}),
     * or libvirt's numeric {@code virErrorNumber}; null otherwise.
     */
    public String detail() {
        return detail;
    }
}
