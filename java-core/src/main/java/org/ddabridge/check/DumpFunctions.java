package org.ddabridge.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ddabridge.model.PciAddress;

/**
 * Reads {@code lspci -x/-xxx/-xxxx} text into address + config bytes. Stand-in with the shape of the
 * decoder developer's {@code org.ddabridge.dump.LspciDump.parse} until that is merged.
 */
final class DumpFunctions {
    private static final Pattern HEADER = Pattern.compile(
            "^((?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7])\\s.*");
    private static final Pattern HEX = Pattern.compile("^([0-9a-fA-F]{2,3}):((?:\\s[0-9a-fA-F]{2}){1,16})\\s*$");

    private DumpFunctions() {
    }

    /** Address (full form) -> config bytes, in file order; functions without hex lines are skipped. */
    static Map<String, byte[]> parse(String text) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        String current = null;
        byte[] buf = null;
        int max = 0;
        for (String line : text.split("\r?\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                flush(out, current, buf, max);
                current = PciAddress.parse(h.group(1)).map(PciAddress::toString).orElse(null);
                buf = new byte[4096];
                max = 0;
                continue;
            }
            Matcher x = HEX.matcher(line.trim());
            if (current != null && x.matches()) {
                int off = Integer.parseInt(x.group(1), 16);
                String[] bytes = x.group(2).trim().split("\\s+");
                for (int i = 0; i < bytes.length && off + i < 4096; i++) {
                    buf[off + i] = (byte) Integer.parseInt(bytes[i], 16);
                }
                max = Math.max(max, Math.min(4096, off + bytes.length));
            }
        }
        flush(out, current, buf, max);
        return out;
    }

    private static void flush(Map<String, byte[]> out, String address, byte[] buf, int max) {
        if (address != null && max >= 64) {
            // lspci prints whole 64/256/4096-byte blocks; keep what was printed.
            int size = max <= 64 ? 64 : max <= 256 ? 256 : 4096;
            byte[] c = new byte[size];
            System.arraycopy(buf, 0, c, 0, size);
            out.put(address, c);
        }
    }

    static List<PciAddress> addresses(Map<String, byte[]> configs) {
        List<PciAddress> out = new ArrayList<>();
        for (String a : configs.keySet()) {
            out.add(PciAddress.parse(a).orElseThrow());
        }
        out.sort(null);
        return out;
    }
}
