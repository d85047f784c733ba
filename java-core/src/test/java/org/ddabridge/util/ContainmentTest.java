package org.ddabridge.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Component-wise resolution inside an image root: links followed only while they stay inside. */
@Timeout(10)
class ContainmentTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectories(tmp.resolve("img")).toRealPath();
    }

    Path resolve(String rel, boolean follow) throws IOException {
        return Containment.resolve(root, List.of(), rel, follow);
    }

    @Test
    void theIssuesChainIsSeenForWhatItIs() throws IOException {
        Files.createSymbolicLink(root.resolve("s"), Path.of("."));
        Files.createSymbolicLink(root.resolve("esc"), Path.of("s/s/s/s/../../../.."));
        assertEquals(root, resolve("s/s/s", true));
        assertThrows(Containment.EscapeException.class, () -> resolve("esc", true));
        assertThrows(Containment.EscapeException.class, () -> resolve("esc", false));
        assertThrows(Containment.EscapeException.class, () -> resolve("esc/etc/passwd", false));
    }

    @Test
    void relativeLinksInsideResolvePhysically() throws IOException {
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve("c"));
        Files.createSymbolicLink(root.resolve("a/b/l"), Path.of("../../c"));
        assertEquals(root.resolve("c/x"), resolve("a/b/l/x", true));
        // ".." after a link climbs from where the link led, not from the link's text.
        assertEquals(root, resolve("a/b/l/..", true));
        assertEquals(root.resolve("a/b/l"), resolve("a/b/l", false));
    }

    @Test
    void absoluteLinksCountOnlyWhenTheyNameThisImage() throws IOException {
        Files.createDirectories(root.resolve("c"));
        Files.createSymbolicLink(root.resolve("in"), root.resolve("c"));
        Files.createSymbolicLink(root.resolve("out"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("sneaky"), Path.of(root + "/../img2"));
        assertEquals(root.resolve("c"), resolve("in", true));
        assertThrows(Containment.EscapeException.class, () -> resolve("out/passwd", true));
        assertThrows(Containment.EscapeException.class, () -> resolve("sneaky", true));
    }

    @Test
    void dotDotAboveTheRootAndLoopsAreRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertThrows(Containment.EscapeException.class, () -> resolve("..", true));
        assertThrows(Containment.EscapeException.class, () -> resolve("a", true));
    }

    @Test
    void aMissingComponentEndsTheWalkInsideTheImage() throws IOException {
        Path p = resolve("nope/../../../etc/passwd", true);
        assertTrue(p.startsWith(root), p.toString());
        assertFalse(Files.exists(p));
    }

    @Test
    void mkdirsFollowsLinksInsideAndNeverOutside() throws IOException {
        Files.createSymbolicLink(root.resolve("l"), Path.of("d/e"));
        assertEquals(root.resolve("d/e/x"), Containment.mkdirs(root, "l/x"));
        assertTrue(Files.isDirectory(root.resolve("d/e/x"), LinkOption.NOFOLLOW_LINKS));
        Path outside = tmp.resolve("outside");
        Files.createSymbolicLink(root.resolve("up"), Path.of("../outside"));
        assertThrows(Containment.EscapeException.class, () -> Containment.mkdirs(root, "up/x"));
        assertFalse(Files.exists(outside));
    }
}
