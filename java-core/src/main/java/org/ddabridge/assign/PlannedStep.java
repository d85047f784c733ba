package org.ddabridge.assign;

/**
 * One planned kernel action, with the sentence that describes it: results and what-if plans carry
 * {@code description} so every front end (CLI, PowerShell) renders the same words.
 *
 * @param action      what to do
 * @param address     the function ("" for host-wide steps)
 * @param value       the driver, override value or group number the action needs
 * @param description the human sentence (derived, never read back)
 */
public record PlannedStep(String action, String address, String value, String description) {
    public PlannedStep {
        description = describe(StepAction.fromJson(action), address, value);
    }

    public static PlannedStep of(StepAction action, String address, String value) {
        return new PlannedStep(action.json(), address, value, null);
    }

    public StepAction kind() {
        return StepAction.fromJson(action);
    }

    private static String describe(StepAction a, String address, String value) {
        if (a == null) {
            return address + " " + value;
        }
        return switch (a) {
            case MODPROBE -> "modprobe " + value;
            case OVERRIDE -> address + ": driver_override = " + (value.isEmpty() ? "(cleared)" : value);
            case UNBIND -> address + ": unbind from " + value;
            case PROBE -> address + ": drivers_probe -> " + (value.isEmpty() ? "kernel's choice" : value);
            case BIND -> address + ": bind to " + value;
            case VFIO_CHECK -> "IOMMU group " + value + ": VFIO must report the group viable";
            case PERSIST -> address + ": persist " + value + " for the next boots (udev rule, initramfs hook)";
            case UNPERSIST -> address + ": remove the persisted " + value + " assignment";
        };
    }
}
