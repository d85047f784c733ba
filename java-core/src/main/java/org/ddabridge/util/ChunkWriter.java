package org.ddabridge.util;

import java.io.IOException;
import java.io.Writer;

/**
 * An unsynchronised character buffer in front of another writer, for JSON written a few characters at a time.
 * Gson's writer makes several small writes per string; straight into a {@code PrintWriter} each one took two
 * locks and an open check (PrintWriter, then BufferedWriter), which showed as the top frame of a warm survey's
 * profile. One thread only. {@link #flush} hands the buffered characters on without flushing the writer below
 * (the caller flushes that when an answer is complete).
 */
public final class ChunkWriter extends Writer {
    private final Writer out;
    private final char[] buf;
    private int n;

    public ChunkWriter(Writer out, int size) {
        this.out = out;
        this.buf = new char[size];
    }

    @Override
    public void write(int c) throws IOException {
        if (n == buf.length) {
            drain();
        }
        buf[n++] = (char) c;
    }

    @Override
    public void write(char[] c, int off, int len) throws IOException {
        if (!makeRoom(len)) {
            out.write(c, off, len);
            return;
        }
        System.arraycopy(c, off, buf, n, len);
        n += len;
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        if (!makeRoom(len)) {
            out.write(s, off, len);
            return;
        }
        s.getChars(off, off + len, buf, n);
        n += len;
    }

    /**
     * Room for {@code len} more characters in the buffer, draining it first when they do not fit; false when
     * they would not fit even in an empty buffer (then, drained, they go straight to the writer below).
     */
    private boolean makeRoom(int len) throws IOException {
        if (len >= buf.length) {
            drain();
            return false;
        }
        if (len > buf.length - n) {
            drain();
        }
        return true;
    }

    @Override
    public Writer append(CharSequence csq) throws IOException {
        String s = String.valueOf(csq);
        write(s, 0, s.length());
        return this;
    }

    @Override
    public void write(String s) throws IOException {
        write(s, 0, s.length());
    }

    private void drain() throws IOException {
        if (n > 0) {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    /** Hands what is buffered to the writer below (which is not flushed). */
    @Override
    public void flush() throws IOException {
        drain();
    }

    /** Hands on what is buffered; the writer below stays open. */
    @Override
    public void close() throws IOException {
        drain();
    }
}
