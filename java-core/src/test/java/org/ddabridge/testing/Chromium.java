package org.ddabridge.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Debian's real Chromium, headless, started by the test: the rendered DOM ({@code --dump-dom}), the page's console
 * messages (Chromium logs each as a {@code CONSOLE} line on stderr), the network requests the page made (from a
 * {@code --log-net-log} capture: requests whose network isolation key is the page's {@code file://} site, so
 * Chromium's own background traffic does not count), and screenshots. Every run has its own profile and a proxy
 * on a closed loopback port, so nothing can leave the machine even if a request were made.
 */
public final class Chromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");

    /** What one headless run saw. */
    public record Run(String dom, List<String> console, List<String> pageRequests, String stderr) {
    }

    private Chromium() {
    }

    public static void requireInstalled() {
        assertTrue(Files.isExecutable(BINARY), "Debian's chromium is missing: ./build.sh installs it for the tests");
    }

    /** Loads {@code page} and returns its DOM after the scripts ran. */
    public static Run dumpDom(Path page, Path work) throws IOException, InterruptedException {
        Path netLog = work.resolve("net-" + System.nanoTime() + ".json");
        Result r = run(page, work, List.of("--log-net-log=" + netLog, "--dump-dom"));
        return new Run(r.stdout, console(r.stderr), pageRequests(netLog), r.stderr);
    }

    /** Writes a PNG screenshot of {@code page} at {@code width} x {@code height}. */
    public static void screenshot(Path page, Path work, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        Result r = run(page, work, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
        assertTrue(Files.size(png) > 10_000, "no screenshot written: " + r.stderr);
    }

    private record Result(String stdout, String stderr) {
    }

    private static Result run(Path page, Path work, List<String> extra) throws IOException, InterruptedException {
        requireInstalled();
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
        cmd.addAll(extra);
        cmd.add(page.toAbsolutePath().toUri().toString());
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish in 180 s: " + cmd);
        }
        return new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The page's console messages (errors, warnings, CSP violations and plain logs alike). */
    static List<String> console(String stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.contains(":CONSOLE")) {
                out.add(line);
            }
        }
        return out;
    }

    /** URLs the page itself asked the network stack for (file: loads of the page do not go through it). */
    static List<String> pageRequests(Path netLog) throws IOException {
        assertTrue(Files.isRegularFile(netLog), "chromium wrote no net log: " + netLog);
        String text = Files.readString(netLog, StandardCharsets.UTF_8).trim();
        if (!text.endsWith("}")) {
            // Chromium ends the file with the events array still open when it is killed at exit.
            text = text.replaceAll(",\\s*$", "") + "]}";
        }
        JsonObject log = JsonParser.parseString(text).getAsJsonObject();
        List<String> out = new ArrayList<>();
        for (JsonElement e : log.getAsJsonArray("events")) {
            JsonObject params = e.getAsJsonObject().getAsJsonObject("params");
            if (params == null || !params.has("url") || !params.has("network_isolation_key")) {
                continue;
            }
            String url = params.get("url").getAsString();
            if (params.get("network_isolation_key").getAsString().contains("file://") && !url.startsWith("file:")
                    && !url.startsWith("data:")) {
                out.add(url);
            }
        }
        return out;
    }
}
