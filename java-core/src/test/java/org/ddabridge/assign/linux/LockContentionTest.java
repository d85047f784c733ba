package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/**
 * The host lock between real processes (the CLI, started by the test) on one fake tree: of 2..5 identical
 * requests started together, exactly one runs steps; the others get {@code Busy} or, coming after it, find
 * the work done and answer with no steps. And deleting the lock file does not let a second writer in.
 */
class LockContentionTest {
    private static final int TRIALS = 20;
    @TempDir
    Path tmp;

    /** A CLI process of this build (the test's own classpath), with the launcher's fast start-up flags. */
    private static Process cli(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.ddabridge.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(
                new File(out + ".err"));
        pb.environment().remove("DDABRIDGE_ALLOW_LIVE_MUTATION");
        return pb.start();
    }

    private record Answer(int exit, JsonObject json) {
        boolean ranSteps() {
            return json.get("ok").getAsBoolean() && !json.getAsJsonObject("result").getAsJsonArray("steps").isEmpty();
        }

        String error() {
            return json.get("ok").getAsBoolean() ? null : json.getAsJsonObject("error").get("id").getAsString();
        }
    }

    private static Answer answer(Process p, Path out) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a CLI process hung");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        try {
            return new Answer(p.exitValue(), JsonParser.parseString(text).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new AssertionError("not an envelope (exit " + p.exitValue() + "): " + text + "\n"
                    + Files.readString(Path.of(out + ".err")), e);
        }
    }

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exactlyOneOfSeveralProcessesRunsStepsEveryTime() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("tree")).reference(true);
        String root = h.root.toString();
        long t0 = System.nanoTime();
        for (int trial = 0; trial < TRIALS; trial++) {
            int n = 2 + trial % 4;
            String verb = trial % 2 == 0 ? "dismount" : "mount";
            List<Process> procs = new ArrayList<>();
            List<Path> outs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path out = tmp.resolve("out-" + trial + "-" + i + ".json");
                outs.add(out);
                procs.add(verb.equals("dismount") ? cli(out, verb, "--root", root, "--force", "--json", FakeHost.NVME)
                        : cli(out, verb, "--root", root, "--json", FakeHost.NVME));
            }
            int ran = 0;
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Answer a = answer(procs.get(i), outs.get(i));
                seen.add(a.exit() + ":" + (a.error() == null ? (a.ranSteps() ? "steps" : "no-op") : a.error()));
                if (a.ranSteps()) {
                    ran++;
                } else if (a.error() != null) {
                    assertEquals("Busy", a.error(), "trial " + trial + ": " + a.json());
                    assertEquals(ErrorId.Busy.exitCode(), a.exit());
                }
            }
            assertEquals(1, ran, "trial " + trial + " (" + n + "x " + verb + "): " + seen);
            System.out.println("LockContentionTest trial " + trial + " " + verb + ": " + seen);
            assertEquals(verb.equals("dismount") ? "vfio-pci|vfio-pci" : "nvme|", h.driverState().get(FakeHost.NVME),
                    "trial " + trial);
        }
        System.out.println("LockContentionTest: " + TRIALS + " trials in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deletingTheLockFileDoesNotLetASecondWriterIn() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("del")).reference(true);
        Path stateDir = h.root.resolve("var/lib/ddabridge");
        try (HostLock held = HostLock.acquire(stateDir)) {
            Files.delete(stateDir.resolve("lock"));
            // another process
            Path out = tmp.resolve("del.json");
            Answer a = answer(cli(out, "dismount", "--root", h.root.toString(), "--force", "--json", FakeHost.NVME),
                    out);
            assertEquals("Busy", a.error(), a.json().toString());
            assertEquals(5, a.exit());
            // another thread of this process
            EngineException e = CompletableFuture.supplyAsync(() -> {
                try {
                    HostLock.acquire(stateDir).close();
                    return null;
                } catch (EngineException x) {
                    return x;
                }
            }).get();
            assertEquals(ErrorId.Busy, e == null ? null : e.id());
            assertEquals("nvme|", h.driverState().get(FakeHost.NVME), "nothing ran");
        }
        // released: the next request runs
        Path out = tmp.resolve("after.json");
        Answer a = answer(cli(out, "dismount", "--root", h.root.toString(), "--force", "--json", FakeHost.NVME), out);
        assertTrue(a.ranSteps(), a.json().toString());
    }
}
