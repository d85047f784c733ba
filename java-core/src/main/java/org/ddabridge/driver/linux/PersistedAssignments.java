package org.ddabridge.driver.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.ddabridge.model.BootOverride;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;

/**
 * DdaBridge's own list of persisted assignments, {@code etc/ddabridge/vfio-pci.conf}: the functions its udev
 * rule and initramfs hook give to vfio-pci at every boot. One function per line,
 * {@code <address> <vendor>:<device> <subsystem-vendor>:<subsystem>}; {@code #} starts a comment. The
 * address comes first so the boot-time shell scripts need only the first word.
 */
public final class PersistedAssignments {
    /** The list, relative to the host root. */
    public static final String FILE = "etc/ddabridge/vfio-pci.conf";
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    private static final Pattern IDS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{4}");

    private PersistedAssignments() {
    }

    /** The persisted functions of {@code root} (none when the file is missing). */
    public static List<BootOverride> read(HostRoot root) {
        return parse(SysFiles.readString(root.resolve(FILE)));
    }

    /**
     * Parses the list. Lines that are not an address (optionally followed by ids) are skipped: the boot-time
     * scripts skip them too, so what is listed here is exactly what the next boot applies.
     */
    public static List<BootOverride> parse(String text) {
        List<BootOverride> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim().toLowerCase();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("\\s+");
            if (!ADDRESS.matcher(w[0]).matches()) {
                continue;
            }
            String ids = w.length > 1 && IDS.matcher(w[1]).matches() ? w[1] : null;
            String sub = w.length > 2 && IDS.matcher(w[2]).matches() ? w[2] : null;
            out.add(new BootOverride(w[0], "vfio-pci", BootOverride.Source.DDABRIDGE,
                    ids == null ? null : ids.substring(0, 4), ids == null ? null : ids.substring(5), sub, FILE));
        }
        return out;
    }
}
