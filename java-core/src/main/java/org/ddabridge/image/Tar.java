package org.ddabridge.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal POSIX tar (ustar + pax extended headers) writer and reader: host images hold only
 * directories, regular files and relative symlinks, and the JDK has no tar support of its own.
 */
public final class Tar {
    static final int BLOCK = 512;
    static final char FILE = '0';
    static final char SYMLINK = '2';
    static final char DIRECTORY = '5';
    static final char PAX_HEADER = 'x';
    static final char GNU_LONGNAME = 'L';
    static final char GNU_LONGLINK = 'K';

    private Tar() {
    }

    /** One archive member as read back. */
    public record Entry(String name, char type, String linkTarget, byte[] data) {
    }

    /** Streams entries into a tar stream; call {@link #finish()} at the end. */
    public static final class Writer {
        private final OutputStream out;
        private final long mtime;

        public Writer(OutputStream out, long mtimeSeconds) {
            this.out = out;
            this.mtime = mtimeSeconds;
        }

        public void directory(String name) throws IOException {
            entry(name.endsWith("/") ? name : name + "/", DIRECTORY, "", new byte[0], 0755);
        }

        public void file(String name, byte[] data) throws IOException {
            entry(name, FILE, "", data, 0644);
        }

        public void symlink(String name, String target) throws IOException {
            entry(name, SYMLINK, target, new byte[0], 0777);
        }

        private void entry(String name, char type, String link, byte[] data, int mode) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100 || linkBytes.length > 100) {
                StringBuilder pax = new StringBuilder();
                if (nameBytes.length > 100) {
                    pax.append(paxRecord("path", name));
                }
                if (linkBytes.length > 100) {
                    pax.append(paxRecord("linkpath", link));
                }
                byte[] paxData = pax.toString().getBytes(StandardCharsets.UTF_8);
                writeHeader("PaxHeader", PAX_HEADER, "", paxData.length, 0644);
                writeData(paxData);
            }
            writeHeader(name, type, link, data.length, mode);
            writeData(data);
        }

        /** A pax record "LEN key=value\n" where LEN counts itself. */
        private static String paxRecord(String key, String value) {
            int payload = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
            int len = payload + String.valueOf(payload).length();
            if (String.valueOf(len).length() != String.valueOf(payload).length()) {
                len++;
            }
            return len + " " + key + "=" + value + "\n";
        }

        private void writeHeader(String name, char type, String link, long size, int mode) throws IOException {
            byte[] h = new byte[BLOCK];
            put(h, 0, 100, truncate(name, 100));
            put(h, 100, 8, octal(mode, 7));
            put(h, 108, 8, octal(0, 7));
            put(h, 116, 8, octal(0, 7));
            put(h, 124, 12, octal(size, 11));
            put(h, 136, 12, octal(mtime, 11));
            Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, 100, truncate(link, 100));
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            put(h, 265, 32, "root");
            put(h, 297, 32, "root");
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, octal(sum, 6) + "\0 ");
            out.write(h);
        }

        private void writeData(byte[] data) throws IOException {
            out.write(data);
            int pad = (BLOCK - data.length % BLOCK) % BLOCK;
            out.write(new byte[pad]);
        }

        /** Two zero blocks end the archive. */
        public void finish() throws IOException {
            out.write(new byte[BLOCK * 2]);
            out.flush();
        }
    }

    /** An archive over one of the {@link Reader}'s caps. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Reads entries until the end-of-archive marker; pax and GNU long names are applied.
     *
     * <p>Bounded and strict: a member larger than {@code maxMemberBytes}, an archive whose headers and data
     * add up to more than {@code maxTotalBytes}, or one with more than {@code maxMembers} headers fails with
     * {@link TooLargeException}; a stream that ends before its two zero end-of-archive blocks (or in a
     * header, in member data or in padding) fails with {@link EOFException}. After the end-of-archive
     * blocks the rest of the stream is drained, so a gzip layer checks its trailer (CRC and length).
     */
    public static final class Reader {
        /**
         * Defaults of {@link #Reader(InputStream)}: 16 MiB per member, 256 MiB in all, 250 000 headers (a
         * capture of the 4,224-function benchmark host has 72 000 members and 76 MB).
         */
        public static final long MAX_MEMBER_BYTES = 16L << 20;
        public static final long MAX_TOTAL_BYTES = 256L << 20;
        public static final int MAX_MEMBERS = 250_000;
        /** Trailing bytes (record padding) read after the end-of-archive blocks to reach the stream's end. */
        private static final int MAX_DRAIN = 1 << 20;

        private final InputStream in;
        private final long maxMemberBytes;
        private final long maxTotalBytes;
        private final int maxMembers;
        private long total;
        private int members;
        private boolean ended;
        private String pendingName;
        private String pendingLink;

        public Reader(InputStream in) {
            this(in, MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, MAX_MEMBERS);
        }

        public Reader(InputStream in, long maxMemberBytes, long maxTotalBytes, int maxMembers) {
            this.in = in;
            this.maxMemberBytes = maxMemberBytes;
            this.maxTotalBytes = maxTotalBytes;
            this.maxMembers = maxMembers;
        }

        /** The next entry, or null at the end-of-archive marker. */
        public Entry next() throws IOException {
            if (ended) {
                return null;
            }
            while (true) {
                byte[] h = in.readNBytes(BLOCK);
                if (h.length == 0) {
                    throw new EOFException("the archive ends without its end-of-archive blocks (truncated)");
                }
                if (h.length < BLOCK) {
                    throw new EOFException("truncated tar header");
                }
                if (isZero(h)) {
                    byte[] second = in.readNBytes(BLOCK);
                    if (second.length < BLOCK) {
                        throw new EOFException("the archive ends inside its end-of-archive blocks (truncated)");
                    }
                    if (!isZero(second)) {
                        throw new IOException("a zero block inside the archive (corrupt)");
                    }
                    ended = true;
                    drain();
                    return null;
                }
                if (++members > maxMembers) {
                    throw new TooLargeException("the archive has more than " + maxMembers + " members");
                }
                count(BLOCK);
                verifyChecksum(h);
                String name = str(h, 0, 100);
                String prefix = str(h, 345, 155);
                if (!prefix.isEmpty() && "ustar".equals(str(h, 257, 5))) {
                    name = prefix + "/" + name;
                }
                char type = h[156] == 0 ? FILE : (char) h[156];
                String link = str(h, 157, 100);
                long size = parseOctal(h, 124, 12);
                if (size < 0) {
                    throw new IOException("unreadable size of tar member " + name);
                }
                if (size > maxMemberBytes) {
                    throw new TooLargeException("member " + name + " is " + size + " bytes, more than the "
                            + (maxMemberBytes >> 20) + " MiB a host image member may have");
                }
                long padding = (BLOCK - size % BLOCK) % BLOCK;
                count(size + padding);
                byte[] data = in.readNBytes((int) size);
                if (data.length < size) {
                    throw new EOFException("truncated tar member " + name);
                }
                if (in.readNBytes((int) padding).length < padding) {
                    throw new EOFException("truncated tar member " + name + " (padding)");
                }
                switch (type) {
                    case PAX_HEADER -> applyPax(data);
                    case GNU_LONGNAME -> pendingName = cString(data);
                    case GNU_LONGLINK -> pendingLink = cString(data);
                    case 'g' -> { } // global pax header: nothing we use
                    default -> {
                        if (pendingName != null) {
                            name = pendingName;
                        }
                        if (pendingLink != null) {
                            link = pendingLink;
                        }
                        pendingName = null;
                        pendingLink = null;
                        return new Entry(name, type, link, data);
                    }
                }
            }
        }

        private void count(long bytes) throws TooLargeException {
            total += bytes;
            if (total > maxTotalBytes) {
                throw new TooLargeException("the archive unpacks to more than " + (maxTotalBytes >> 20) + " MiB");
            }
        }

        /** Reads to the end of the stream (bounded), so a compression layer verifies its trailer. */
        private void drain() throws IOException {
            byte[] buf = new byte[8192];
            long left = MAX_DRAIN;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) >= 0) {
                left -= n;
            }
        }

        private void applyPax(byte[] data) {
            String s = new String(data, StandardCharsets.UTF_8);
            int pos = 0;
            while (pos < s.length()) {
                int space = s.indexOf(' ', pos);
                if (space < 0) {
                    break;
                }
                int len;
                try {
                    len = Integer.parseInt(s.substring(pos, space));
                } catch (NumberFormatException e) {
                    break;
                }
                if (len <= 0 || pos + len > s.length()) {
                    break;
                }
                String rec = s.substring(space + 1, pos + len - 1);
                int eq = rec.indexOf('=');
                if (eq > 0) {
                    String key = rec.substring(0, eq);
                    String value = rec.substring(eq + 1);
                    if ("path".equals(key)) {
                        pendingName = value;
                    } else if ("linkpath".equals(key)) {
                        pendingLink = value;
                    }
                }
                pos += len;
            }
        }
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long stored = parseOctal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (stored != sum) {
            throw new IOException("bad tar header checksum");
        }
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long parseOctal(byte[] h, int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = h[i] & 0xff;
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static String octal(long v, int digits) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static String truncate(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(b, 0, max, StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }
}
