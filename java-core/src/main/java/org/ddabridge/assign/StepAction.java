package org.ddabridge.assign;

/**
 * The kernel actions a plan is made of. {@link #json()} is the name journals and results carry
 * ({@code "override"}, {@code "vfioCheck"}, ...); rollback steps are journaled as {@code undo-<json>}.
 */
public enum StepAction {
    MODPROBE("modprobe"),
    OVERRIDE("override"),
    UNBIND("unbind"),
    PROBE("probe"),
    BIND("bind"),
    VFIO_CHECK("vfioCheck"),
    /** Record the function for the next boots (DdaBridge's list, udev rule, initramfs hook). */
    PERSIST("persist"),
    /** Remove the function from what the next boots apply. */
    UNPERSIST("unpersist");

    private final String json;

    StepAction(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    /** The action named {@code name} in a journal ({@code undo-} prefix allowed), or null. */
    public static StepAction fromJson(String name) {
        String n = name != null && name.startsWith("undo-") ? name.substring(5) : name;
        for (StepAction a : values()) {
            if (a.json.equals(n)) {
                return a;
            }
        }
        return null;
    }
}
