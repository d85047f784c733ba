package org.ddabridge.driver.dump;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.model.PciAddress;
/**
 * Parses the hex dumps of {@code lspci -x / -xxx / -xxxx} (the format {@code lspci -F} reads back): a
 * header line starting with the function's address, then rows {@code "40: 01 50 23 c8 ..."} with the
 * row's offset in hex. The human-readable lines of {@code -v} output may sit in between and are ignored.
 */
public final class LspciDump {
    /** {@code 00:1f.3 ...} or {@code 0000:00:1f.3 ...} at the start of an unindented line. */
    private static final Pattern HEADER =
            Pattern.compile("^((?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7])(?:\\s.*)?$");
    /** A line that claims to be a hex row: an offset of 1-3 hex digits, a colon, then something. */
    private static final Pattern ROW_START = Pattern.compile("^([0-9a-fA-F]{1,3}):(?:\\s(.*))?$");
    private static final Pattern BYTE = Pattern.compile("[0-9a-fA-F]{2}");
    /** The largest config space, PCI Express extended (4 KiB). */
    private static final int MAX_CONFIG = 4096;

    /** One function of a dump. */
    public record Function(String address, byte[] config) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Function f && f.address.equals(address) && Arrays.equals(f.config, config);
        }

        @Override
        public int hashCode() {
            return address.hashCode() * 31 + Arrays.hashCode(config);
        }

        @Override
        public String toString() {
            return "Function[" + address + ", " + config.length + " bytes]";
        }
    }

    /** A function whose rows are damaged: left out, with what was wrong. */
    public record Damaged(String address, String reason) {
    }

    /** A whole dump: the intact functions in file order and the damaged ones. */
    public record Dump(List<Function> functions, List<Damaged> damaged) {
    }

    private LspciDump() {
    }

    /**
     * Parses a dump strictly: any damage anywhere is an error.
     *
     * @throws EngineException {@link ErrorId#DumpInvalid} when a row is malformed, precedes every header,
     *                         leaves a gap, runs past 4 KiB, a function has no rows, an address repeats, or
     *                         the text holds no function at all
     */
    public static List<Function> parse(String text) {
        Dump d = read(text);
        if (!d.damaged().isEmpty()) {
            Damaged first = d.damaged().get(0);
            throw new EngineException(ErrorId.DumpInvalid, "Invalid lspci dump: " + first.reason() + ".",
                    first.address());
        }
        return d.functions();
    }

    /**
     * Parses every function of a dump, in file order, the way lspci reads one: a function whose rows are
     * damaged (a malformed row, a gap, a row past 4 KiB, no rows at all) is left out and listed in
     * {@link Dump#damaged()}, the others decode. Addresses are normalised to the full {@code 0000:00:1f.3}
     * form (a missing domain is 0000).
     *
     * @throws EngineException {@link ErrorId#DumpInvalid} when the text is not a dump: a row precedes every
     *                         header, an address repeats, or no intact function is left
     */
    public static Dump read(String text) {
        List<Function> out = new ArrayList<>();
        List<Damaged> damaged = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Builder current = null;
        String[] lines = text == null ? new String[0] : text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            boolean indented = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            String trimmed = line.strip();
            Matcher header = HEADER.matcher(line);
            if (!indented && header.matches()) {
                if (current != null) {
                    current.finish(out, damaged);
                }
                String address = PciAddress.parse(header.group(1))
                        .orElseThrow(() -> invalid("not a PCI address", header.group(1), 0))
                        .toString();
                if (!seen.add(address)) {
                    throw invalid("function " + address + " appears twice", address, 0);
                }
                current = new Builder(address, n + 1);
                continue;
            }
            Matcher row = ROW_START.matcher(trimmed);
            if (!row.matches()) {
                continue;
            }
            String[] bytes = row.group(2) == null ? new String[0] : row.group(2).strip().split("\\s+");
            boolean allHex = bytes.length > 0 && Arrays.stream(bytes).allMatch(b -> BYTE.matcher(b).matches());
            if (!allHex) {
                // An indented "key: value" line is human text of -v output; unindented, it is a broken row.
                if (indented) {
                    continue;
                }
                if (current == null) {
                    throw invalid("malformed hex row", trimmed, n + 1);
                }
                current.damage(String.format("malformed hex row '%s' (line %d)", trimmed, n + 1));
                continue;
            }
            if (current == null) {
                throw invalid("hex row before any function header line", trimmed, n + 1);
            }
            current.row(Integer.parseInt(row.group(1), 16), bytes, n + 1);
        }
        if (current != null) {
            current.finish(out, damaged);
        }
        if (out.isEmpty()) {
            if (!damaged.isEmpty()) {
                throw invalid("every function is damaged; the first: " + damaged.get(0).reason(),
                        damaged.get(0).address(), 0);
            }
            throw invalid("no function found (expected lines like '00:1f.3 ...' followed by hex rows)", "", 0);
        }
        return new Dump(List.copyOf(out), List.copyOf(damaged));
    }

    private static EngineException invalid(String why, String target, int line) {
        String where = line > 0 ? " (line " + line + ")" : "";
        return new EngineException(ErrorId.DumpInvalid, "Invalid lspci dump" + where + ": " + why + ".", target);
    }

    /** Collects one function's rows; rows may come in any order but must cover 0..length without gaps. */
    private static final class Builder {
        private final String address;
        private final int line;
        private final byte[] data = new byte[MAX_CONFIG];
        private final boolean[] present = new boolean[MAX_CONFIG];
        private int length;
        /** The first damage seen, or null while the rows are intact. */
        private String damage;

        Builder(String address, int line) {
            this.address = address;
            this.line = line;
        }

        void damage(String why) {
            if (damage == null) {
                damage = why;
            }
        }

        void row(int offset, String[] bytes, int lineNo) {
            if (offset + bytes.length > MAX_CONFIG) {
                damage(String.format("row at offset 0x%x runs past 4096 bytes (line %d)", offset, lineNo));
                return;
            }
            for (int i = 0; i < bytes.length; i++) {
                data[offset + i] = (byte) Integer.parseInt(bytes[i], 16);
                present[offset + i] = true;
            }
            length = Math.max(length, offset + bytes.length);
        }

        /** Adds the function to {@code out}, or (damaged) to {@code damaged}. */
        void finish(List<Function> out, List<Damaged> damaged) {
            if (damage == null && length == 0) {
                damage = "function " + address + " has no hex rows (dump made without -x?)";
            }
            for (int i = 0; damage == null && i < length; i++) {
                if (!present[i]) {
                    damage = String.format("function %s has a gap at offset 0x%x", address, i);
                }
            }
            if (damage != null) {
                damaged.add(new Damaged(address, damage.startsWith("function ") ? damage
                        : "function " + address + " (line " + line + "): " + damage));
            } else {
                out.add(new Function(address, Arrays.copyOf(data, length)));
            }
        }
    }
}
