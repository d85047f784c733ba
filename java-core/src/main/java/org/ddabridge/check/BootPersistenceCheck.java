package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ddabridge.model.BootOverride;
import org.ddabridge.model.PciDevice;

/**
 * "Verify boot": does the running system match what is persisted for the next boot? Each persisted function
 * (DdaBridge's list and driverctl's overrides) is {@code applied}, {@code missing} (no function at the
 * address), {@code moved} (another function sits at the address and one with the recorded identity appears
 * elsewhere), {@code replaced} (another function at the address) or {@code notApplied} (bound to another
 * driver), each but the first with the fix. The host check {@code BootPersistence} sums it up.
 */
public final class BootPersistenceCheck {
    public static final String ID = "BootPersistence";

    private BootPersistenceCheck() {
    }

    /** One persisted function against the running system. */
    public enum State {
        applied, notApplied, missing, moved, replaced
    }

    /**
     * @param override   what is persisted
     * @param state      how the running system compares
     * @param driver     the function's driver now ("" when none or no function)
     * @param movedTo    address of a function with the recorded identity, for {@code missing}/{@code moved}
     * @param message    the finding
     * @param fix        what to do, or null when applied
     */
    public record Finding(BootOverride override, State state, String driver, String movedTo, String message,
            String fix) {
    }

    /** Every persisted function judged against {@code devices} (the running system). */
    public static List<Finding> verify(List<BootOverride> persisted, List<PciDevice> devices) {
        Map<String, PciDevice> byAddress = new TreeMap<>();
        for (PciDevice d : devices) {
            byAddress.put(d.address(), d);
        }
        List<Finding> out = new ArrayList<>();
        for (BootOverride o : persisted) {
            out.add(judge(o, byAddress, persisted));
        }
        return out;
    }

    private static Finding judge(BootOverride o, Map<String, PciDevice> byAddress, List<BootOverride> all) {
        PciDevice d = byAddress.get(o.address());
        String undo = o.source() == BootOverride.Source.DRIVERCTL ? "driverctl unset-override " + o.address()
                : "ddabridge mount " + o.address() + " (or remove its line from /" + o.file() + ")";
        if (d == null || !o.sameIdentity(d)) {
            String elsewhere = elsewhere(o, byAddress, all);
            if (d == null) {
                return new Finding(o, elsewhere == null ? State.missing : State.moved, "", elsewhere,
                        o.address() + " is persisted for " + o.driver() + " but no such function exists"
                                + (elsewhere == null ? "." : "; a function with the recorded identity is at "
                                        + elsewhere + " (slot or bus numbers changed)."),
                        (elsewhere == null ? "Put the device back or forget it: " + undo
                                : "Forget the old address (" + undo + ") and dismount " + elsewhere + " again")
                                + ".");
            }
            return new Finding(o, elsewhere == null ? State.replaced : State.moved, nz(d.driver()), elsewhere,
                    o.address() + " is persisted for " + o.driver() + " but now holds a different function ("
                            + d.vendorId() + ":" + d.deviceId() + ", recorded " + o.vendorId() + ":" + o.deviceId()
                            + ")" + (elsewhere == null ? "." : "; the recorded one is at " + elsewhere + "."),
                    "Forget the old address (" + undo + ")" + (elsewhere == null ? "" : " and dismount " + elsewhere
                            + " again") + "; until then the next boot gives the new function to " + o.driver()
                            + ".");
        }
        String drv = nz(d.driver());
        if (drv.equals(o.driver())) {
            return new Finding(o, State.applied, drv, null, o.address() + " is on " + drv + " as persisted ("
                    + o.source().json() + ").", null);
        }
        return new Finding(o, State.notApplied, drv, null, o.address() + " is persisted for " + o.driver() + " ("
                + o.source().json() + ") but is bound to " + (drv.isEmpty() ? "no driver" : drv) + ".",
                o.source() == BootOverride.Source.DRIVERCTL ? "driverctl load-override pci-" + o.address()
                        + " (or driverctl unset-override " + o.address() + ")"
                        : "ddabridge dismount " + o.address() + " applies it now; if it happens at every boot, the "
                                + "host driver is in the initramfs: update-initramfs -u (Debian/Ubuntu) or dracut -f "
                                + "(Fedora/RHEL), then reboot.");
    }

    /** Address of an unpersisted function with the recorded identity, when exactly one exists. */
    private static String elsewhere(BootOverride o, Map<String, PciDevice> byAddress, List<BootOverride> all) {
        if (o.vendorId() == null) {
            return null;
        }
        List<String> hits = new ArrayList<>();
        for (PciDevice d : byAddress.values()) {
            boolean persisted = all.stream().anyMatch(x -> x.address().equals(d.address()));
            if (!persisted && o.sameIdentity(d)) {
                hits.add(d.address());
            }
        }
        return hits.size() == 1 ? hits.get(0) : null;
    }

    /** The host check: pass when every persisted function is applied (or nothing is persisted). */
    public static HostCheck hostCheck(List<Finding> findings) {
        List<Evidence> ev = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        int bad = 0;
        for (Finding f : findings) {
            ev.add(new Evidence(f.override().file(), f.override().address() + " -> " + f.override().driver() + ": "
                    + f.state()));
            if (f.state() != State.applied) {
                bad++;
                fixes.add(f.override().address() + ": " + f.fix());
            }
        }
        if (findings.isEmpty()) {
            return new HostCheck(ID, CheckStatus.PASS, "No assignment is persisted for the next boot.", ev, null);
        }
        if (bad == 0) {
            return new HostCheck(ID, CheckStatus.PASS, "Every persisted assignment (" + findings.size()
                    + ") is in effect.", ev, null);
        }
        return new HostCheck(ID, CheckStatus.WARN, bad + " of " + findings.size()
                + " persisted assignment(s) do not match the running system.", ev, String.join(" ", fixes));
    }

    /** For hosts without the evidence (lspci dumps, Windows). */
    public static HostCheck unknown() {
        return new HostCheck(ID, CheckStatus.UNKNOWN, "No boot configuration to read (an lspci dump).", List.of(),
                null);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
