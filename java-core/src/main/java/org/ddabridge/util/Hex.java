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

    private static final char[] LOWER = "0123456789abcdef".toCharArray();
    private static final char[] UPPER = "0123456789ABCDEF".toCharArray();

    /** Lower-case hex, zero-padded to {@code digits} (wider values keep all their digits). */
    public static String pad(long value, int digits) {
        return append(new StringBuilder(digits), value, digits, LOWER).toString();
    }

    /** Upper-case hex, zero-padded to {@code digits}. */
    public static String padUpper(long value, int digits) {
        return append(new StringBuilder(digits), value, digits, UPPER).toString();
    }

    /** Appends {@code value} as hex without {@code String.format}, which dominates hot loops. */
    public static StringBuilder append(StringBuilder sb, long value, int digits, boolean upper) {
        return append(sb, value, digits, upper ? UPPER : LOWER);
    }

    private static StringBuilder append(StringBuilder sb, long value, int digits, char[] alphabet) {
        int needed = Math.max(digits, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int shift = (needed - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(alphabet[(int) (value >>> shift) & 0xf]);
        }
        return sb;
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
