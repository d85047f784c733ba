package org.ddabridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's layout rules, checked on the compiled classes with the JDK's own {@code jdeps} (bytecode, so
 * fully qualified names and inner classes count too, and unused imports do not):
 * no package cycle, each layer imports only layers below it, JNA only in {@code driver.*} and
 * {@code platform.*}, and no source file over 500 lines.
 */
class ArchitectureTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String PREFIX = "org.ddabridge.";

    /**
     * Layers from the bottom up; a package may import its own layer's packages only where listed in
     * {@link #SAME_LAYER_ALLOWED}, and any lower layer. Sub-packages belong to the layer of their first name
     * ({@code driver.linux} is in {@code driver}) unless named here themselves.
     */
    private static final List<List<String>> LAYERS = List.of(
            List.of("api"),
            List.of("util"),
            List.of("model", "model.windows"),
            List.of("pci"),
            List.of("image"),
            List.of("driver.linux", "driver.windows", "driver.dump"),
            List.of("platform.spi"),
            List.of("platform.linux", "platform.windows", "platform.dump"),
            List.of("platform"),
            List.of("check"),
            List.of("survey"),
            List.of("capture", "report"),
            List.of("assign", "assign.linux", "assign.windows"),
            List.of("vm"),
            List.of("engine"),
            List.of("cli"));

    /** Same-layer edges that are part of the design (model.windows uses model's records). */
    private static final Set<String> SAME_LAYER_ALLOWED = Set.of("model.windows->model", "assign.linux->assign",
            "assign.windows->assign");

    private static Map<String, Set<String>> edges;

    @BeforeAll
    static void readDependencies() {
        assertTrue(Files.isDirectory(CLASSES.resolve("org/ddabridge")), "compiled classes missing: " + CLASSES);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = jdeps.run(new PrintWriter(out, true), new PrintWriter(System.err, true), "-verbose:package",
                CLASSES.toString());
        assertEquals(0, rc, "jdeps failed");
        edges = parse(out.toString());
        assertTrue(edges.size() >= 10, "jdeps output not understood: " + edges.keySet());
    }

    /** {@code   org.ddabridge.a -> org.ddabridge.b   classes} lines into package -> packages. */
    static Map<String, Set<String>> parse(String jdepsOutput) {
        Map<String, Set<String>> g = new TreeMap<>();
        Matcher m = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)", Pattern.MULTILINE).matcher(jdepsOutput);
        while (m.find()) {
            String from = m.group(1);
            String to = m.group(2);
            if (from.startsWith(PREFIX)) {
                g.computeIfAbsent(from.substring(PREFIX.length()), k -> new TreeSet<>())
                        .add(to.startsWith(PREFIX) ? to.substring(PREFIX.length()) : "ext:" + to);
            }
        }
        return g;
    }

    @Test
    void noPackageCycle() {
        List<List<String>> cycles = cycles(internalOnly(edges));
        assertTrue(cycles.isEmpty(), "package cycles: " + cycles);
    }

    @Test
    void cycleDetectionFindsACycle() {
        // The detector itself must be able to fail: a two-package cycle and a three-package one.
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(g));
        assertTrue(cycles(Map.of("x", Set.of("y"), "y", Set.of())).isEmpty());
    }

    @Test
    void everyPackageHasALayerAndImportsOnlyBelowIt() {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : internalOnly(edges).entrySet()) {
            int from = layer(e.getKey());
            assertTrue(from >= 0, "package " + e.getKey() + " has no layer in ArchitectureTest.LAYERS");
            for (String to : e.getValue()) {
                int target = layer(to);
                boolean sameAllowed = SAME_LAYER_ALLOWED.contains(e.getKey() + "->" + to);
                if (target > from || (target == from && !sameAllowed)) {
                    violations.add(e.getKey() + " -> " + to);
                }
            }
        }
        assertTrue(violations.isEmpty(), "imports upwards or sideways: " + violations);
    }

    @Test
    void jnaOnlyInDriversAndPlatforms() {
        List<String> offenders = new ArrayList<>();
        edges.forEach((pkg, deps) -> {
            boolean jna = deps.stream().anyMatch(d -> d.startsWith("ext:com.sun.jna"));
            if (jna && !(pkg.startsWith("driver.") || pkg.startsWith("platform."))) {
                offenders.add(pkg);
            }
        });
        assertTrue(offenders.isEmpty(), "JNA used outside driver/platform packages: " + offenders);
        assertTrue(edges.keySet().stream().anyMatch(p -> edges.get(p).contains("ext:com.sun.jna")),
                "no package uses JNA at all: the check reads nothing");
    }

    @Test
    void checkRulesReadDataOnly() {
        Set<String> deps = edges.getOrDefault("check", Set.of());
        assertFalse(deps.isEmpty(), "package check not found");
        for (String d : deps) {
            assertFalse(d.startsWith("driver") || d.startsWith("platform") || d.startsWith("image"),
                    "check imports " + d + ": rules take facts as data");
        }
    }

    @Test
    void noSourceFileOver500Lines() throws IOException {
        List<String> big = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long n = Files.readAllLines(p).size();
                if (n > 500) {
                    big.add(SOURCES.relativize(p) + " (" + n + " lines)");
                }
            }
        }
        assertTrue(big.isEmpty(), "files over 500 lines: " + big);
    }

    @Test
    void everyPackageSaysWhatItOwns() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(SOURCES.resolve("org/ddabridge"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                boolean hasClasses;
                try (Stream<Path> l = Files.list(d)) {
                    hasClasses = l.anyMatch(f -> f.toString().endsWith(".java"));
                }
                if (hasClasses && !Files.exists(d.resolve("package-info.java"))) {
                    missing.add(SOURCES.relativize(d).toString());
                }
            }
        }
        assertTrue(missing.isEmpty(), "packages without package-info.java: " + missing);
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Set<String>> internalOnly(Map<String, Set<String>> g) {
        Map<String, Set<String>> out = new TreeMap<>();
        g.forEach((k, v) -> {
            Set<String> s = new TreeSet<>();
            v.stream().filter(d -> !d.startsWith("ext:") && !d.equals(k)).forEach(s::add);
            out.put(k, s);
        });
        return out;
    }

    /** Strongly connected components of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : new TreeSet<>(g.keySet())) {
            if (!index.containsKey(v)) {
                strongConnect(v, g, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void strongConnect(String v, Map<String, Set<String>> g, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] c) {
        index.put(v, c[0]);
        low.put(v, c[0]);
        c[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, g, index, low, stack, onStack, out, c);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> scc = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1) {
                scc.sort(null);
                out.add(scc);
            }
        }
    }
}
