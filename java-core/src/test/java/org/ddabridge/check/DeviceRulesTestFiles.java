package org.ddabridge.check;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's fixtures; a missing one fails the test that wants it. */
final class DeviceRulesTestFiles {
    private DeviceRulesTestFiles() {
    }

    static Path lspci(String name) {
        Path p = Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "lspci", name);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing fixture " + p);
        }
        return p;
    }
}
