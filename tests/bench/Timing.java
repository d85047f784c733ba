import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
        System.out.printf("runs=%d min_ms=%.1f median_ms=%.1f%n", runs, ms[0], ms[ms.length / 2]);
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

    static double[] serve(int runs, String request, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintWriter in = new PrintWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 20);
        int warmup = 5;
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long t = System.nanoTime();
            in.println(request);
            in.flush();
            String line;
            do {
                line = out.readLine();
                if (line == null) {
                    throw new IllegalStateException("serve ended early");
                }
            } while (line.contains("\"event\":\"progress\""));
            if (!line.contains("\"ok\":true")) {
                throw new IllegalStateException("request failed: " + line.substring(0, Math.min(300, line.length())));
            }
            if (i >= warmup) {
                times.add((System.nanoTime() - t) / 1e6);
            }
        }
        in.close();
        p.waitFor();
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
