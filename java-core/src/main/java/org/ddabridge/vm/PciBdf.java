package org.ddabridge.vm;

import java.util.Locale;

/**
 * A host PCI function address {@code dddd:bb:dd.f} (domain, bus, device, function), as sysfs, QEMU's
 * {@code vfio-pci,host=} and libvirt's {@code <address>} name it.
 */
public record PciBdf(int domain, int bus, int device, int function) implements Comparable<PciBdf> {
    public PciBdf {
        if (domain < 0 || domain > 0xffff || bus < 0 || bus > 0xff || device < 0 || device > 0x1f
                || function < 0 || function > 7) {
            throw new IllegalArgumentException("not a PCI address: " + domain + ":" + bus + ":" + device + "." + function);
        }
    }

    /** Parses {@code 0000:01:00.0} or {@code 01:00.0}; throws {@link VmException} ({@code InvalidVmReference}) otherwise. */
    public static PciBdf parse(String text) {
        String t = text == null ? "" : text.trim();
        String[] colon = t.split(":", -1);
        try {
            if ((colon.length == 2 || colon.length == 3) && colon[colon.length - 1].length() == 4
                    && colon[colon.length - 1].charAt(2) == '.') {
                String last = colon[colon.length - 1];
                int domain = colon.length == 3 ? hex(colon[0], 4) : 0;
                int bus = hex(colon[colon.length - 2], 2);
                int dev = hex(last.substring(0, 2), 2);
                int fn = hex(last.substring(3), 1);
                return new PciBdf(domain, bus, dev, fn);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new VmException(VmErrorId.InvalidVmReference, "not a PCI address: '" + text + "' (want 0000:01:00.0)");
    }

    private static int hex(String s, int maxLen) {
        if (s.isEmpty() || s.length() > maxLen) {
            throw new IllegalArgumentException(s);
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(s);
            }
        }
        return Integer.parseInt(s, 16);
    }

    /** The same slot (domain, bus, device), whatever the function. */
    public boolean sameSlot(PciBdf o) {
        return domain == o.domain && bus == o.bus && device == o.device;
    }

    @Override
    public int compareTo(PciBdf o) {
        int c = Integer.compare(domain, o.domain);
        if (c == 0) {
            c = Integer.compare(bus, o.bus);
        }
        if (c == 0) {
            c = Integer.compare(device, o.device);
        }
        return c != 0 ? c : Integer.compare(function, o.function);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", domain, bus, device, function);
    }
}
