package org.ddabridge.driver.linux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** The kernel log: {@code dmesg} on the live host (argument vector, timeout, fail-soft). */
public final class Dmesg {
    private static final long TIMEOUT_MS = 5_000;

    private Dmesg() {
    }

    /** The live kernel log, or {@code ""} when dmesg is missing or not permitted. */
    public static String readLive() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DefaultExecutor exec = new DefaultExecutor();
        exec.setStreamHandler(new PumpStreamHandler(out, new ByteArrayOutputStream()));
        exec.setWatchdog(new ExecuteWatchdog(TIMEOUT_MS));
        exec.setExitValues(null);
        try {
            int rc = exec.execute(new CommandLine("dmesg"), Map.of("LC_ALL", "C", "PATH", "/usr/bin:/bin:/usr/sbin:/sbin"));
            return rc == 0 ? out.toString(StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
