package org.ddabridge.vm;

/** A failure with a stable {@link VmErrorId}; {@link #detail()} carries the peer's own code when there is one. */
public class VmException extends RuntimeException {
    private final VmErrorId id;
    private final String detail;

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
