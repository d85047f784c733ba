import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times commands for the benchmark and prints medians. Modes:
 *   oneshot RUNS -- CMD...            median wall time of CMD (stdout discarded)
 *   serve RUNS REQUEST_JSON -- CMD... median time of one request through a warm serve process CMD
 * Prints "median_ms=<n>" on the last line.
 */
public final class Timing {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int runs = Integer.parseInt(args[1]);
        int dash = Arrays.asList(args).indexOf("--");
        List<String> cmd = Arrays.asList(args).subList(dash + 1, args.length);
        double[] ms = mode.equals("serve") ? serve(runs, args[2], cmd) : oneshot(runs, cmd);
        Arrays.sort(ms);
        // The serve process's peak resident set (VmHWM), read just before it is told to end.
        String rss = mode.equals("serve") ? String.format(" peak_rss_mb=%.0f", peakRssKb / 1024.0) : "";
        System.out.printf("runs=%d min_ms=%.1f%s median_ms=%.1f%n", runs, ms[0], rss, ms[ms.length / 2]);
    }

    static double[] oneshot(int runs, List<String> cmd) throws Exception {
        run(cmd); // warm the page cache, not the process
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            int rc = run(cmd);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (rc != 0) {
                throw new IllegalStateException(cmd + " exited " + rc);
            }
        }
        return ms;
    }

    static int run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    /**
     * Times requests through a running serve process. Like lspci's output (sent to /dev/null), the answer is
     * consumed without being parsed: bytes are read up to the end of the answer line and only its head is
     * checked for "ok":true, so the figure is the engine's, not a client's JSON parsing.
     */
    static long peakRssKb = -1;

    static double[] serve(int runs, String request, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintWriter in = new PrintWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        LineHeads out = new LineHeads(p.getInputStream());
        int warmup = Integer.getInteger("warmup", 5);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long t = System.nanoTime();
            in.println(request);
            in.flush();
            String head;
            do {
                head = out.nextLineHead();
                if (head == null) {
                    throw new IllegalStateException("serve ended early");
                }
            } while (head.contains("\"event\":\"progress\""));
            if (!head.contains("\"ok\":true")) {
                throw new IllegalStateException("request failed: " + head);
            }
            if (i >= warmup) {
                times.add((System.nanoTime() - t) / 1e6);
            }
        }
        peakRssKb = peakRssKb(p.pid());
        in.close();
        p.waitFor();
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Reads lines as bytes, keeping only the first 300 bytes of each. */
    static final class LineHeads {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int len;

        LineHeads(InputStream in) {
            this.in = in;
        }

        String nextLineHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(300);
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        return null;
                    }
                }
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                int take = Math.min(pos - start, 300 - head.size());
                if (take > 0) {
                    head.write(buf, start, take);
                }
                if (pos < len) {
                    pos++;
                    return head.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }

    /** VmHWM of a live process in KiB (the launcher execs java, so its pid is the JVM's), -1 if unreadable. */
    static long peakRssKb(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
