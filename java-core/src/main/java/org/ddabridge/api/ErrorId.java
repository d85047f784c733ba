package org.ddabridge.api;

/**
 * Every error the engine reports, with the PowerShell {@code ErrorCategory} it maps to and the process
 * exit code a one-shot call ends with. Ids and exit codes are a stable contract (README, "Errors").
 */
public enum ErrorId {
    /** A command-line option or request argument is missing, unknown or malformed. */
    InvalidArgument("InvalidArgument", ExitCodes.INVALID_INPUT),
    /** The request names a command the engine does not have. */
    UnknownCommand("InvalidArgument", ExitCodes.INVALID_INPUT),
    /** A serve request line is not a JSON object with a string {@code command}. */
    MalformedRequest("InvalidData", ExitCodes.INVALID_INPUT),
    /** {@code --root} names no file or directory. */
    HostImageNotFound("ObjectNotFound", ExitCodes.NOT_FOUND),
    /** {@code --root} exists but is not a host image (no sys/bus/pci, unsafe archive, unreadable archive). */
    HostImageInvalid("InvalidData", ExitCodes.INVALID_INPUT),
    /** A host image exceeds a size cap: an archive member, the unpacked total, the member count, or one file. */
    HostImageTooLarge("LimitsExceeded", ExitCodes.INVALID_INPUT),
    /** No PCI function matches the given address, location path or instance id. */
    DeviceNotFound("ObjectNotFound", ExitCodes.NOT_FOUND),
    /** An lspci dump or config-space file cannot be parsed. */
    DumpInvalid("InvalidData", ExitCodes.INVALID_INPUT),
    /** A report input (a saved survey) is not a survey document. */
    SurveyInvalid("InvalidData", ExitCodes.INVALID_INPUT),
    /** Another state-changing operation holds the host lock. */
    Busy("ResourceBusy", ExitCodes.BUSY),
    /** A guard refused the operation (e.g. the device holds the root filesystem). */
    Refused("PermissionDenied", ExitCodes.REFUSED),
    /** The operation needs privileges this process lacks. */
    AccessDenied("PermissionDenied", ExitCodes.REFUSED),
    /** This operating system (or this host) cannot do it. */
    NotSupported("NotImplemented", ExitCodes.GENERIC),
    /**
     * The assignment journal is damaged (bad JSON, checksum, schema); it was moved aside, kept, and
     * {@code repair} rebuilds it.
     */
    JournalCorrupt("InvalidData", ExitCodes.GENERIC),
    /** Reading or writing a file failed. */
    IoFailure("ReadError", ExitCodes.GENERIC),
    /** A VM holds the device's IOMMU group open ({@code /dev/vfio/<group>}): {@code vm-remove} it first. */
    DeviceHeldByVm("ResourceBusy", ExitCodes.REFUSED),
    /** The VM named by {@code vm} does not exist (no libvirt domain, no QMP socket to connect to). */
    VmNotFound("ObjectNotFound", ExitCodes.NOT_FOUND),
    /** QEMU (QMP) or libvirt refused or failed a request; its own error is in the message. */
    VmFailed("InvalidOperation", ExitCodes.GENERIC),
    /** The VM has no empty hot-plug PCIe slot (pcie-root-port) left. */
    NoFreeHotplugSlot("LimitsExceeded", ExitCodes.REFUSED),
    /** The device is already attached to that VM. */
    AlreadyAttached("ResourceExists", ExitCodes.REFUSED),
    /** A function of the group is not on vfio-pci: dismount it first. */
    NotDismounted("InvalidOperation", ExitCodes.REFUSED),
    /** libvirt0 (libvirt.so.0) is not installed. */
    LibvirtUnavailable("NotInstalled", ExitCodes.GENERIC),
    /** A bug: an unexpected exception inside the engine. */
    Internal("NotSpecified", ExitCodes.INTERNAL);

    private final String category;
    private final int exitCode;

    ErrorId(String category, int exitCode) {
        this.category = category;
        this.exitCode = exitCode;
    }

    /** The PowerShell ErrorCategory name. */
    public String category() {
        return category;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Process exit codes of one-shot commands. */
    public static final class ExitCodes {
        public static final int OK = 0;
        public static final int GENERIC = 1;
        public static final int INVALID_INPUT = 2;
        public static final int NOT_FOUND = 3;
        public static final int INTERNAL = 4;
        public static final int BUSY = 5;
        public static final int REFUSED = 6;

        private ExitCodes() {
        }
    }
}
