package org.ddabridge.driver.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * GUID text and memory forms without JNA. In memory a GUID is {@code Data1} (uint32), {@code Data2} and
 * {@code Data3} (uint16), all little-endian on Windows, then {@code Data4} as 8 bytes in text order
 * (guiddef.h). Text is {@code {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}}, braces optional when parsing.
 */
public final class Guids {
    /** Bytes a GUID occupies (guiddef.h). */
    public static final int SIZE = 16;
    private static final Pattern FORM = Pattern.compile(
            "\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}?");

    private Guids() {
    }

    /** True for a well-formed GUID string. */
    public static boolean isGuid(String text) {
        return text != null && FORM.matcher(text.trim()).matches();
    }

    /** The 16 bytes of a GUID as Windows lays it out in memory; throws on malformed text. */
    public static byte[] toBytes(String text) {
        if (!isGuid(text)) {
            throw new IllegalArgumentException("not a GUID: " + text);
        }
        String hex = text.trim().replace("{", "").replace("}", "").replace("-", "");
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) Long.parseLong(hex.substring(0, 8), 16));
        b.putShort((short) Integer.parseInt(hex.substring(8, 12), 16));
        b.putShort((short) Integer.parseInt(hex.substring(12, 16), 16));
        for (int i = 16; i < 32; i += 2) {
            b.put((byte) Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return b.array();
    }

    /** Upper-case braced text of the GUID at {@code offset} in {@code bytes}. */
    public static String fromBytes(byte[] bytes, int offset) {
        if (bytes == null || offset < 0 || bytes.length - offset < SIZE) {
            throw new IllegalArgumentException("a GUID needs 16 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder(38);
        sb.append('{').append(String.format("%08X", b.getInt() & 0xffffffffL)).append('-');
        sb.append(String.format("%04X", b.getShort() & 0xffff)).append('-');
        sb.append(String.format("%04X", b.getShort() & 0xffff)).append('-');
        for (int i = 0; i < 8; i++) {
            if (i == 2) {
                sb.append('-');
            }
            sb.append(String.format("%02X", b.get() & 0xff));
        }
        return sb.append('}').toString();
    }

    /** Canonical (upper-case, braced) form of a GUID string. */
    public static String canonical(String text) {
        return fromBytes(toBytes(text), 0).toUpperCase(Locale.ROOT);
    }
}
