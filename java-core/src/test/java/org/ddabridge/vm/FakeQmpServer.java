package org.ddabridge.vm;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-test QMP peer on a UNIX socket: sends a greeting line (or whatever {@code greeting} says), then
 * answers each received JSON line with the lines {@code handler} returns (raw text, so tests can send events,
 * stale replies, garbage). Records every received message. One connection at a time.
 */
final class FakeQmpServer implements AutoCloseable {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}";

    final Path socket;
    final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile SocketChannel current;

    FakeQmpServer(Path dir, String greeting, Function<JsonObject, List<String>> handler) throws IOException {
        this.socket = dir.resolve("qmp.sock");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> serve(greeting, handler), "fake-qmp");
        thread.setDaemon(true);
        thread.start();
    }

    /** The standard handler's answer to a command: {@code {"return": RET, "id": ID}}. */
    static String reply(JsonObject cmd, String ret) {
        return "{\"return\": " + ret + ", \"id\": " + cmd.get("id") + "}";
    }

    static String error(JsonObject cmd, String cls, String desc) {
        return "{\"error\": {\"class\": \"" + cls + "\", \"desc\": \"" + desc + "\"}, \"id\": " + cmd.get("id") + "}";
    }

    static String event(String name, String data) {
        return "{\"timestamp\": {\"seconds\": 1764577000, \"microseconds\": 123}, \"event\": \"" + name
                + "\", \"data\": " + data + "}";
    }

    static String command(JsonObject cmd) {
        return cmd.has("execute") ? cmd.get("execute").getAsString() : "";
    }

    private void serve(String greeting, Function<JsonObject, List<String>> handler) {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                current = ch;
                OutputStream out = Channels.newOutputStream(ch);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                if (greeting != null) {
                    out.write((greeting + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                String line;
                while ((line = in.readLine()) != null) {
                    JsonObject cmd = JsonParser.parseString(line).getAsJsonObject();
                    received.add(cmd);
                    List<String> answer = handler.apply(cmd);
                    if (answer == null) {   // null: hang up
                        break;
                    }
                    for (String a : answer) {
                        out.write((a + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // server closed or client gone
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel c = current;
        if (c != null) {
            c.close();
        }
        Files.deleteIfExists(socket);
    }
}
