package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The archive's training run does what it is there for: each of its commands on the image runs to its end
 * (a command that failed on its arguments would train only the usage error), the deliberate errors included.
 */
class CdsTrainingTest {
    private static final Path IMAGE = Path.of("../tests/fixtures/hosts/qemu-reference.tar.gz");

    @Test
    void everyTrainingRunOnTheImageRunsToItsEnd() {
        assertTrue(Files.isRegularFile(IMAGE), "fixture missing: " + IMAGE);
        List<String[]> runs = CdsTraining.commands(IMAGE.toString());
        int onImage = 0;
        for (String[] run : runs) {
            if (!Arrays.asList(run).contains(IMAGE.toString()) && !run[0].equals("version")
                    && !Arrays.asList(run).contains("--no-such-option")) {
                continue;   // this machine: whatever it has
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(run, new PrintWriter(out, true), new PrintWriter(err, true));
            int expected = Arrays.asList(run).contains("0000:ff:1f.7") ? 3
                    : Arrays.asList(run).contains("--no-such-option") ? 2 : 0;
            assertEquals(expected, exit, Arrays.toString(run) + ": " + err);
            assertTrue(!out.toString().isEmpty() || !err.toString().isEmpty(), Arrays.toString(run));
            onImage++;
        }
        assertTrue(onImage >= 10, "runs checked: " + onImage);
    }
}
