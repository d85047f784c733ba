package org.ddabridge.driver.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs {@code modprobe <module>} as an argument vector (never a shell string) with a watchdog timeout. */
public final class Modprobe {
    private Modprobe() {
    }

    /** Loads {@code module}; throws with modprobe's output when it fails or times out. */
    public static void load(String module, long timeoutMillis) throws IOException {
        if (!module.matches("[A-Za-z0-9_-]+")) {
            throw new IOException("not a module name: " + module);
        }
        CommandLine cl = new CommandLine("modprobe");
        cl.addArgument(module, false);
        DefaultExecutor ex = new DefaultExecutor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ex.setStreamHandler(new PumpStreamHandler(out));
        ExecuteWatchdog dog = new ExecuteWatchdog(timeoutMillis);
        ex.setWatchdog(dog);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LC_ALL", "C");
        try {
            ex.execute(cl, env);
        } catch (ExecuteException e) {
            String why = dog.killedProcess() ? "timed out after " + timeoutMillis + " ms" : "exit " + e.getExitValue();
            throw new IOException("modprobe " + module + " failed (" + why + "): " + out.toString().trim());
        }
    }
}
