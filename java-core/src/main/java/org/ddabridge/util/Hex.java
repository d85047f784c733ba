package org.ddabridge.util;

/** Small hexadecimal helpers shared by parsers. */
public final class Hex {
    private Hex() {
    }

    /** Parses {@code 0x1af4} / {@code 1af4}; returns {@code fallback} on anything else. */
    public static long parse(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        String s = text.trim();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (s.isEmpty() || s.length() > 16) {
            return fallback;
        }
        try {
            return Long.parseUnsignedLong(s, 16);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Lower-case hex, zero-padded to {@code digits}. */
    public static String pad(long value, int digits) {
        String s = Long.toHexString(value);
        if (s.length() >= digits) {
            return s;
        }
        return "0".repeat(digits - s.length()) + s;
    }

    /** Decimal integer or {@code fallback}. */
    public static Integer parseDecimal(String text, Integer fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
