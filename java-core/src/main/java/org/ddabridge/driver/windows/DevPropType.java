package org.ddabridge.driver.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * DEVPROPTYPE values (devpropdef.h) and the decoding of a raw property buffer, as
 * {@code CM_Get_DevNode_PropertyW} fills it, into plain Java values. Pure Java so it is tested on Linux.
 *
 * <p>Decoded forms: integer types as {@link Long} (unsigned types never negative), {@code BOOLEAN} as
 * {@link Boolean} ({@code DEVPROP_TRUE} is {@code 0xFF}, anything non-zero is taken as true), {@code STRING}
 * as {@link String}, {@code STRING_LIST} (REG_MULTI_SZ: UTF-16LE strings each ending in NUL, the list ending
 * in an extra NUL) as {@code List<String>}, {@code GUID} as its braced upper-case text, everything else as
 * lower-case hex text of the bytes.
 */
public final class DevPropType {
    // Base types, devpropdef.h.
    public static final int EMPTY = 0x00;
    public static final int NULL = 0x01;
    public static final int SBYTE = 0x02;
    public static final int BYTE = 0x03;
    public static final int INT16 = 0x04;
    public static final int UINT16 = 0x05;
    public static final int INT32 = 0x06;
    public static final int UINT32 = 0x07;
    public static final int INT64 = 0x08;
    public static final int UINT64 = 0x09;
    public static final int GUID = 0x0D;
    public static final int FILETIME = 0x10;
    public static final int BOOLEAN = 0x11;
    public static final int STRING = 0x12;
    public static final int DEVPROPKEY = 0x15;
    public static final int NTSTATUS = 0x18;
    // Type modifiers, devpropdef.h.
    public static final int MODIFIER_ARRAY = 0x1000;
    public static final int MODIFIER_LIST = 0x2000;
    public static final int MASK_TYPE = 0x0FFF;
    public static final int MASK_TYPE_MOD = 0xF000;
    /** {@code DEVPROP_TYPE_STRING_LIST}: STRING | LIST. */
    public static final int STRING_LIST = STRING | MODIFIER_LIST;
    /** {@code DEVPROP_TYPE_BINARY}: BYTE | ARRAY. */
    public static final int BINARY = BYTE | MODIFIER_ARRAY;

    private DevPropType() {
    }

    /** Decodes the first {@code length} bytes of {@code buf} holding a value of {@code type}; null for EMPTY/NULL. */
    public static Object decode(int type, byte[] buf, int length) {
        int len = Math.max(0, Math.min(length, buf == null ? 0 : buf.length));
        ByteBuffer b = ByteBuffer.wrap(buf == null ? new byte[0] : buf, 0, len).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case EMPTY:
            case NULL:
                return null;
            case SBYTE:
                return len >= 1 ? (long) b.get() : null;
            case BYTE:
                return len >= 1 ? (long) (b.get() & 0xff) : null;
            case INT16:
                return len >= 2 ? (long) b.getShort() : null;
            case UINT16:
                return len >= 2 ? (long) (b.getShort() & 0xffff) : null;
            case INT32:
            case NTSTATUS:
                return len >= 4 ? (long) b.getInt() : null;
            case UINT32:
                return len >= 4 ? b.getInt() & 0xffffffffL : null;
            case INT64:
            case UINT64:
            case FILETIME:
                // UINT64 above 2^63 wraps; no PCI property comes near that.
                return len >= 8 ? b.getLong() : null;
            case BOOLEAN:
                return len >= 1 ? b.get() != 0 : null;
            case GUID:
                return len >= Guids.SIZE ? Guids.fromBytes(buf, 0) : null;
            case STRING:
                return utf16z(buf, 0, len);
            case STRING_LIST:
                return stringList(buf, len);
            default:
                return HexFormat.of().formatHex(buf == null ? new byte[0] : buf, 0, len);
        }
    }

    /** One NUL-terminated UTF-16LE string starting at {@code from} (the whole range when no NUL). */
    static String utf16z(byte[] buf, int from, int len) {
        int end = from;
        while (end + 1 < len && (buf[end] != 0 || buf[end + 1] != 0)) {
            end += 2;
        }
        return new String(buf, from, end - from, StandardCharsets.UTF_16LE);
    }

    /** REG_MULTI_SZ: strings until an empty one (or the buffer's end). */
    static List<String> stringList(byte[] buf, int len) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos + 1 < len) {
            String s = utf16z(buf, pos, len);
            if (s.isEmpty()) {
                break;
            }
            out.add(s);
            pos += (s.length() + 1) * 2;
        }
        return out;
    }

    /** Encodes a string list as REG_MULTI_SZ (used by tests and fixtures writers). */
    public static byte[] encodeStringList(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String s : items) {
            sb.append(s).append('\0');
        }
        sb.append('\0');
        return sb.toString().getBytes(StandardCharsets.UTF_16LE);
    }

    /**
     * The name Windows PowerShell's Get-PnpDeviceProperty shows in {@code Type} (its DevPropType enumeration):
     * {@code UInt32}, {@code StringList}, …; {@code Empty} for an absent property.
     */
    public static String psName(int type) {
        return switch (type) {
            case EMPTY -> "Empty";
            case NULL -> "Null";
            case SBYTE -> "SByte";
            case BYTE -> "Byte";
            case INT16 -> "Int16";
            case UINT16 -> "UInt16";
            case INT32 -> "Int32";
            case UINT32 -> "UInt32";
            case INT64 -> "Int64";
            case UINT64 -> "UInt64";
            case GUID -> "Guid";
            case FILETIME -> "FileTime";
            case BOOLEAN -> "Boolean";
            case STRING -> "String";
            case STRING_LIST -> "StringList";
            case DEVPROPKEY -> "DevPropKey";
            case NTSTATUS -> "NTStatus";
            default -> "Unknown";
        };
    }
}
