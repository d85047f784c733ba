package org.ddabridge.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ddabridge.util.Hex;
/**
 * A PCI function address {@code domain:bus:device.function}, always printed in the full
 * {@code 0000:01:00.0} form sysfs uses.
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {
    private static final Pattern FORM =
            Pattern.compile("(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    public PciAddress {
        if (domain < 0 || bus < 0 || bus > 0xff || device < 0 || device > 0x1f || function < 0 || function > 7) {
            throw new IllegalArgumentException("not a PCI address: " + domain + ":" + bus + ":" + device + "." + function);
        }
    }

    /** Parses {@code 0000:01:00.0} or the short {@code 01:00.0} (domain 0); empty when malformed. */
    public static Optional<PciAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        // The canonical sysfs form "dddd:bb:dd.f" is parsed without a regex: the checker parses addresses
        // of every function many times.
        if (text.length() == 12 && text.charAt(4) == ':' && text.charAt(7) == ':' && text.charAt(10) == '.') {
            int domain = hex(text, 0, 4);
            int bus = hex(text, 5, 7);
            int device = hex(text, 8, 10);
            int function = hex(text, 11, 12);
            if (domain >= 0 && bus >= 0 && device >= 0 && device <= 0x1f && function >= 0 && function <= 7) {
                return Optional.of(new PciAddress(domain, bus, device, function));
            }
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int device = Integer.parseInt(m.group(3), 16);
        if (device > 0x1f) {
            return Optional.empty();
        }
        long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
        if (domain > Integer.MAX_VALUE) {
            // ffffffff is no domain the kernel makes (they are 16 bits, VMD's 0x10000+ at most 32 signed).
            return Optional.empty();
        }
        return Optional.of(new PciAddress((int) domain, Integer.parseInt(m.group(2), 16), device,
                Integer.parseInt(m.group(4))));
    }

    private static int hex(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Device and function as Windows' {@code PCI(ddff)} hop writes them: {@code 0200}. */
    public String slotHex() {
        StringBuilder sb = new StringBuilder(4);
        Hex.append(sb, device, 2, true);
        return Hex.append(sb, function, 2, true).toString();
    }

    /**
     * Written out: a record's generated equals links through method handles on first use, spinning some twenty
     * classes in a cold start that no class-data sharing archive keeps (the generated hashCode, consistent with
     * this, is left as it is).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PciAddress a && domain == a.domain && bus == a.bus && device == a.device
                && function == a.function;
    }

    @Override
    public int compareTo(PciAddress o) {
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
        StringBuilder sb = new StringBuilder(12);
        Hex.append(sb, domain, 4, false).append(':');
        Hex.append(sb, bus, 2, false).append(':');
        Hex.append(sb, device, 2, false).append('.');
        return Hex.append(sb, function, 1, false).toString();
    }
}
