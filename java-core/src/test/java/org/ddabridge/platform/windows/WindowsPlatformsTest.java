package org.ddabridge.platform.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.platform.Platforms;
/** {@code --root *.windows.json} selects the Windows mapping. */
class WindowsPlatformsTest {
    @Test
    void windowsFixtureRootPicksWindowsBackend() {
        Path p = WindowsMapperTest.fixture("server-nvme.windows.json");
        var b = Platforms.forRoot(p.toString());
        WindowsPlatform w = assertInstanceOf(WindowsPlatform.class, b);
        assertEquals("windows", w.name());
        assertEquals(4, w.snapshot().devices().size());
    }

    @Test
    void brokenFixtureIsInvalidHostImage(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("x.windows.json");
        Files.writeString(p, "{\"format\":\"something-else\"}");
        EngineException e = assertThrows(EngineException.class, () -> Platforms.forRoot(p.toString()));
        assertEquals(ErrorId.HostImageInvalid, e.id());
        EngineException missing = assertThrows(EngineException.class,
                () -> Platforms.forRoot(dir.resolve("none.windows.json").toString()));
        assertEquals(ErrorId.HostImageNotFound, missing.id());
    }
}
