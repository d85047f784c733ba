package org.ddabridge.vm;

import java.util.List;
import java.util.Locale;

/**
 * The four VM settings of Microsoft's DDA preparation ({@code Set-VM -AutomaticStopAction},
 * {@code -GuestControlledCacheTypes}, {@code -LowMemoryMappedIoSpace}, {@code -HighMemoryMappedIoSpace}); a null
 * component is not being set. Sizes in bytes, as PowerShell's {@code 3GB} and {@code 33280MB} literals give them.
 */
public record VmSettings(Long lowMemoryMappedIoSpace, Long highMemoryMappedIoSpace, StopAction automaticStopAction,
        Boolean guestControlledCacheTypes) {

    /** Hyper-V's {@code AutomaticStopAction} values. */
    public enum StopAction {
        TurnOff, Save, ShutDown;

        /** Case-insensitive, as PowerShell binds enum names. */
        public static StopAction parse(String s) {
            for (StopAction a : values()) {
                if (a.name().toLowerCase(Locale.ROOT).equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new VmException(VmErrorId.InvalidSetting, "automaticStopAction must be TurnOff, Save or ShutDown, got '"
                    + s + "'");
        }
    }

    public boolean isEmpty() {
        return lowMemoryMappedIoSpace == null && highMemoryMappedIoSpace == null && automaticStopAction == null
                && guestControlledCacheTypes == null;
    }

    /** What became of one setting on this VM. */
    public enum Status {
        /** Written to the VM's definition and in effect now. */
        applied,
        /** Written to the persistent definition; the running VM keeps its old value until it is started again. */
        pendingRestart,
        /** The VM already has it. */
        unchanged,
        /** The hypervisor has no per-VM setting for it: nothing was changed (the note says what governs it). */
        noEquivalent,
        /** Nothing to set on this hypervisor: it behaves as the setting asks anyway (the note says why). */
        notNeeded
    }

    /**
     * One setting's outcome.
     *
     * @param setting   Hyper-V's parameter name
     * @param value     the value asked for, as text
     * @param status    what happened
     * @param appliedAs what it maps to on this VM ({@code <pcihole64 unit='KiB'>34078720</pcihole64>}), or empty
     * @param note      why, for the user (also shown as a warning or verbose line by the cmdlets)
     */
    public record Outcome(String setting, String value, Status status, String appliedAs, String note) {
    }

    /** {@code vm-set}'s result. */
    public record Result(String vm, String state, List<Outcome> settings, boolean whatIf) {
        public Result {
            settings = List.copyOf(settings);
        }
    }
}
