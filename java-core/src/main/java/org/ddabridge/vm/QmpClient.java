package org.ddabridge.vm;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A client of QEMU's machine protocol on a UNIX socket ({@code -qmp unix:PATH,server=on,wait=off}).
 *
 * <p>The protocol is one JSON object per line. On connect QEMU sends a greeting ({@code {"QMP": {...}}}); the
 * client must send {@code qmp_capabilities} before any other command. Each command carries an {@code id} that
 * QEMU echoes in its {@code return} or {@code error} reply; events ({@code {"event": ...}}) can arrive at any
 * time, between replies, and are buffered here until {@link #awaitEvent} or {@link #drainEvents} takes them.
 *
 * <p>Every read has a deadline (non-blocking channel + selector: a UNIX {@link SocketChannel} has no read timeout).
 * Failures are {@link VmException}s: {@code QmpConnectFailed}, {@code QmpProtocol}, {@code QmpTimeout},
 * {@code QmpCommandFailed} (QEMU's error class in {@link VmException#detail()}). Not thread-safe: one caller at a time.
 */
public final class QmpClient implements AutoCloseable {
    /** Default limit for the greeting and for each command's reply. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_LINE = 16 * 1024 * 1024;
    private static final Gson GSON = new Gson();

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private final ByteBuffer readBuf = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> completeLines = new ArrayList<>();
    private final List<QmpEvent> events = new ArrayList<>();
    private QmpGreeting greeting;
    private long nextId = 1;

    private QmpClient(Path socket, SocketChannel channel, Selector selector, Duration timeout) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /** Connects, reads the greeting and negotiates capabilities ({@code qmp_capabilities}). */
    public static QmpClient connect(Path socket) {
        return connect(socket, DEFAULT_TIMEOUT);
    }

    /** As {@link #connect(Path)}, with {@code timeout} for the greeting and as every command's default limit. */
    public static QmpClient connect(Path socket, Duration timeout) {
        SocketChannel ch = null;
        Selector sel = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(ch, sel);
            throw new VmException(VmErrorId.QmpConnectFailed,
                    "cannot connect to the QMP socket " + socket + ": " + e.getMessage(), null, e);
        }
        QmpClient c = new QmpClient(socket, ch, sel, timeout);
        try {
            c.greeting = c.readGreeting(deadline(timeout));
            c.execute("qmp_capabilities", null);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public QmpGreeting greeting() {
        return greeting;
    }

    public Path socket() {
        return socket;
    }

    /** Runs a command with the default time limit; returns its {@code return} value (often an empty object). */
    public JsonElement execute(String command, JsonObject arguments) {
        return execute(command, arguments, timeout);
    }

    /** Runs a command, waiting at most {@code limit} for its reply; events that arrive meanwhile are buffered. */
    public JsonElement execute(String command, JsonObject arguments, Duration limit) {
        String id = "ddab-" + nextId++;
        JsonObject msg = new JsonObject();
        msg.addProperty("execute", command);
        if (arguments != null) {
            msg.add("arguments", arguments);
        }
        msg.addProperty("id", id);
        long deadline = deadline(limit);
        write(GSON.toJson(msg) + "\r\n", deadline, command);
        while (true) {
            JsonObject reply = readMessage(deadline, command);
            if (reply.has("event")) {
                events.add(toEvent(reply));
                continue;
            }
            if (!reply.has("return") && !reply.has("error")) {
                continue;   // nothing we know: ignore (QMP may grow new message kinds)
            }
            JsonElement rid = reply.get("id");
            // A reply to an earlier command whose wait timed out: skip it. A reply without id can only be an
            // error about our line (QEMU could not even read the id), which is ours: there is one at a time.
            if (rid != null && !(rid.isJsonPrimitive() && id.equals(rid.getAsString()))) {
                continue;
            }
            if (reply.has("error")) {
                JsonObject err = reply.get("error").isJsonObject() ? reply.getAsJsonObject("error") : new JsonObject();
                String cls = str(err, "class", "GenericError");
                String desc = str(err, "desc", "(no description)");
                throw new VmException(VmErrorId.QmpCommandFailed, command + " failed: " + desc + " [" + cls + "]", cls, null);
            }
            return reply.get("return");
        }
    }

    /**
     * Waits for the first event that {@code match} accepts: buffered ones first, then new ones. The matched
     * event is removed from the buffer; others stay. Empty when none came within {@code limit}.
     */
    public Optional<QmpEvent> awaitEvent(Predicate<QmpEvent> match, Duration limit) {
        long deadline = deadline(limit);
        while (true) {
            for (Iterator<QmpEvent> it = events.iterator(); it.hasNext(); ) {
                QmpEvent e = it.next();
                if (match.test(e)) {
                    it.remove();
                    return Optional.of(e);
                }
            }
            JsonObject msg;
            try {
                msg = readMessage(deadline, "event");
            } catch (VmException e) {
                if (e.id() == VmErrorId.QmpTimeout) {
                    return Optional.empty();
                }
                throw e;
            }
            if (msg.has("event")) {
                events.add(toEvent(msg));
            }
        }
    }

    /** Takes every event buffered so far (after reading whatever has already arrived on the socket). */
    public List<QmpEvent> drainEvents() {
        try {
            while (true) {
                JsonObject msg = readMessage(System.nanoTime(), "event");
                if (msg.has("event")) {
                    events.add(toEvent(msg));
                }
            }
        } catch (VmException e) {
            if (e.id() != VmErrorId.QmpTimeout) {
                throw e;
            }
        }
        List<QmpEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    // ---- typed commands ----------------------------------------------------------------------------------

    /** {@code query-status}: the run state ({@code running}, {@code prelaunch}, {@code paused}, ...). */
    public String runState() {
        JsonElement r = execute("query-status", null);
        return r != null && r.isJsonObject() ? str(r.getAsJsonObject(), "status", "") : "";
    }

    /** {@code query-pci}: every function on every bus, bridges' children included (flattened). */
    public List<QmpPciDevice> queryPci() {
        return parseQueryPci(execute("query-pci", null));
    }

    /** {@code qom-list PATH}. */
    public List<QomProperty> qomList(String path) {
        JsonObject a = new JsonObject();
        a.addProperty("path", path);
        JsonElement r = execute("qom-list", a);
        List<QomProperty> out = new ArrayList<>();
        if (r != null && r.isJsonArray()) {
            for (JsonElement e : r.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    out.add(new QomProperty(str(e.getAsJsonObject(), "name", ""), str(e.getAsJsonObject(), "type", "")));
                }
            }
        }
        return out;
    }

    /** {@code qom-get PATH PROPERTY}. */
    public JsonElement qomGet(String path, String property) {
        JsonObject a = new JsonObject();
        a.addProperty("path", path);
        a.addProperty("property", property);
        return execute("qom-get", a);
    }

    /** {@code device_add} with the given properties (driver, id, bus, addr, ...; values as strings or booleans). */
    public void deviceAdd(JsonObject properties) {
        execute("device_add", properties);
    }

    /** {@code device_del ID}: only a request; completion is the {@code DEVICE_DELETED} event. */
    public void deviceDel(String id) {
        JsonObject a = new JsonObject();
        a.addProperty("id", id);
        execute("device_del", a);
    }

    /** Parses a {@code query-pci} return value. Public for tests. */
    public static List<QmpPciDevice> parseQueryPci(JsonElement ret) {
        List<QmpPciDevice> out = new ArrayList<>();
        if (ret == null || !ret.isJsonArray()) {
            throw new VmException(VmErrorId.QmpProtocol, "query-pci did not return an array");
        }
        for (JsonElement bus : ret.getAsJsonArray()) {
            if (bus.isJsonObject() && bus.getAsJsonObject().get("devices") instanceof JsonArray devs) {
                collect(devs, out);
            }
        }
        return out;
    }

    private static void collect(JsonArray devices, List<QmpPciDevice> out) {
        for (JsonElement de : devices) {
            if (!de.isJsonObject()) {
                continue;
            }
            JsonObject d = de.getAsJsonObject();
            JsonObject id = d.get("id") instanceof JsonObject o ? o : new JsonObject();
            JsonObject cls = d.get("class_info") instanceof JsonObject o ? o : new JsonObject();
            QmpPciDevice.Bridge bridge = null;
            JsonArray children = null;
            if (d.get("pci_bridge") instanceof JsonObject pb) {
                JsonObject b = pb.get("bus") instanceof JsonObject o ? o : new JsonObject();
                children = pb.get("devices") instanceof JsonArray a ? a : new JsonArray();
                bridge = new QmpPciDevice.Bridge(num(b, "secondary"), num(b, "subordinate"), children.size());
            }
            out.add(new QmpPciDevice(num(d, "bus"), num(d, "slot"), num(d, "function"), num(id, "vendor"),
                    num(id, "device"), num(cls, "class"), str(d, "qdev_id", ""), bridge));
            if (children != null) {
                collect(children, out);
            }
        }
    }

    // ---- wire ----------------------------------------------------------------------------------------------

    private QmpGreeting readGreeting(long deadline) {
        JsonObject msg = readMessage(deadline, "greeting");
        if (!(msg.get("QMP") instanceof JsonObject qmp)) {
            throw new VmException(VmErrorId.QmpProtocol, "no QMP greeting on " + socket + " (got " + abbrev(msg) + ")");
        }
        int major = 0, minor = 0, micro = 0;
        String pkg = "";
        if (qmp.get("version") instanceof JsonObject v) {
            if (v.get("qemu") instanceof JsonObject q) {
                major = num(q, "major");
                minor = num(q, "minor");
                micro = num(q, "micro");
            }
            pkg = str(v, "package", "").trim();
        }
        List<String> caps = new ArrayList<>();
        if (qmp.get("capabilities") instanceof JsonArray a) {
            for (JsonElement e : a) {
                if (e.isJsonPrimitive()) {
                    caps.add(e.getAsString());
                }
            }
        }
        return new QmpGreeting(major, minor, micro, pkg, caps);
    }

    private JsonObject readMessage(long deadline, String waitingFor) {
        String line = readLine(deadline, waitingFor);
        try {
            JsonElement e = JsonParser.parseString(line);
            if (!e.isJsonObject()) {
                throw new VmException(VmErrorId.QmpProtocol, "QMP message is not a JSON object: " + abbrev(line));
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new VmException(VmErrorId.QmpProtocol, "QMP message is not JSON: " + abbrev(line), null, e);
        }
    }

    /** The next non-empty line; {@code QmpTimeout} at the deadline, {@code QmpProtocol} on end of stream. */
    private String readLine(long deadline, String waitingFor) {
        while (true) {
            while (!completeLines.isEmpty()) {
                String l = completeLines.remove(0).trim();
                if (!l.isEmpty()) {
                    return l;
                }
            }
            int n;
            try {
                readBuf.clear();
                n = channel.read(readBuf);
                if (n == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new VmException(VmErrorId.QmpTimeout, "no " + waitingFor + " from QMP " + socket
                                + " within the time limit");
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    continue;
                }
            } catch (IOException e) {
                throw new VmException(VmErrorId.QmpProtocol, "reading QMP " + socket + ": " + e.getMessage(), null, e);
            }
            if (n < 0) {
                throw new VmException(VmErrorId.QmpProtocol, "QMP " + socket + " closed the connection while waiting for "
                        + waitingFor);
            }
            readBuf.flip();
            while (readBuf.hasRemaining()) {
                byte b = readBuf.get();
                if (b == '\n') {
                    completeLines.add(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                } else {
                    partial.write(b);
                }
            }
            if (partial.size() > MAX_LINE) {
                throw new VmException(VmErrorId.QmpProtocol, "QMP line longer than " + MAX_LINE + " bytes");
            }
        }
    }

    private void write(String text, long deadline, String command) {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new VmException(VmErrorId.QmpTimeout, "cannot send " + command + " to QMP " + socket);
                    }
                    Thread.sleep(5);
                }
            }
        } catch (IOException e) {
            throw new VmException(VmErrorId.QmpProtocol, "sending " + command + " to QMP " + socket + ": " + e.getMessage(),
                    null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException(VmErrorId.QmpTimeout, "interrupted while sending " + command);
        }
    }

    private static QmpEvent toEvent(JsonObject msg) {
        long micros = 0;
        if (msg.get("timestamp") instanceof JsonObject ts) {
            micros = (long) num(ts, "seconds") * 1_000_000L + num(ts, "microseconds");
        }
        return new QmpEvent(str(msg, "event", ""), msg.get("data") instanceof JsonObject d ? d : null, micros);
    }

    private static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    static String str(JsonObject o, String key, String dflt) {
        JsonElement e = o.get(key);
        return e instanceof JsonPrimitive p ? p.getAsString() : dflt;
    }

    static int num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            return p.getAsInt();
        }
        return 0;
    }

    private static String abbrev(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void closeQuietly(SocketChannel ch, Selector sel) {
        try {
            if (sel != null) {
                sel.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closeQuietly(channel, selector);
    }
}
