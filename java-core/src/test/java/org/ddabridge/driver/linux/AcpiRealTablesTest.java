package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.environment.EnvironmentUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.model.DmarTable;

/**
 * Real firmware tables ({@code tests/fixtures/acpi}, SOURCES.md there names where each came from): every DMAR
 * parses without a finding, and its decoding agrees field by field with ACPICA's disassembler, {@code iasl -d}
 * (Debian's acpica-tools, installed by build.sh), run at test time: host address width, flags, every DRHD
 * (flags, segment, register base, device scopes) and every RMRR (segment, base, limit, device scopes).
 * A missing fixture folder, a changed number of tables or a missing iasl fail the test.
 */
class AcpiRealTablesTest {
    /** Files {@code *.DMAR} in tests/fixtures/acpi; update with the fixtures. */
    static final int DMAR_TABLES = 4;
    /** Files {@code *.IVRS} there (parsed by the IVRS reader's own tests). */
    static final int IVRS_TABLES = 4;
    private static final long TIMEOUT_MS = 30_000;
    /** One field line of iasl's data-table listing: {@code [024h 0036   1]  Host Address Width : 2D}. */
    private static final Pattern FIELD = Pattern.compile("^\\[([0-9A-F]+)h [0-9]+ +[0-9A-Fa-f]+h?\\]\\s+(.+?) : (\\S+)");

    static Path dataDir() {
        return Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "acpi").normalize();
    }

    static List<Path> tables(String suffix, int expected) throws IOException {
        Path dir = dataDir();
        assertTrue(Files.isDirectory(dir), "real ACPI tables not found at " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
        assertEquals(expected, files.size(), suffix + " tables in " + dir + ": " + files);
        return files;
    }

    @Test
    void everyRealDmarParsesWithoutFindings() throws IOException {
        for (Path p : tables(".DMAR", DMAR_TABLES)) {
            DmarTable t = AcpiDmar.parse(Files.readAllBytes(p));
            assertTrue(t.present(), p.getFileName() + " not recognised as DMAR");
            assertTrue(t.findings().isEmpty(), p.getFileName() + ": " + t.findings());
            assertTrue(!t.drhds().isEmpty(), p.getFileName() + ": no DRHD");
        }
    }

    @Test
    void ivrsTablesAreNotTakenForDmar() throws IOException {
        for (Path p : tables(".IVRS", IVRS_TABLES)) {
            assertTrue(!AcpiDmar.parse(Files.readAllBytes(p)).present(), p.getFileName().toString());
        }
    }

    @Test
    void dmarDecodingAgreesWithIasl(@TempDir Path tmp) throws IOException {
        assertTrue(onPath("iasl"), "iasl (acpica-tools) not on PATH: run ./build.sh, which installs it");
        List<String> mismatches = new ArrayList<>();
        int rmrrs = 0;
        int scopes = 0;
        for (Path p : tables(".DMAR", DMAR_TABLES)) {
            String name = p.getFileName().toString();
            Path copy = tmp.resolve(name.replace(".DMAR", ".dat"));
            Files.copy(p, copy);
            Dmar theirs = Dmar.fromIasl(iasl(copy));
            DmarTable t = AcpiDmar.parse(Files.readAllBytes(p));
            Dmar ours = Dmar.from(t);
            rmrrs += t.rmrrs().size();
            scopes += t.drhds().stream().mapToInt(d -> d.scopes().size()).sum()
                    + t.rmrrs().stream().mapToInt(r -> r.scopes().size()).sum();
            compare(name, "host address width", theirs.haw, ours.haw, mismatches);
            compare(name, "flags", theirs.flags, ours.flags, mismatches);
            compare(name, "DRHDs", theirs.drhds, ours.drhds, mismatches);
            compare(name, "RMRRs", theirs.rmrrs, ours.rmrrs, mismatches);
        }
        System.out.printf("DMAR vs iasl: %d tables, %d RMRRs, %d device scopes, %d mismatches%n", DMAR_TABLES, rmrrs,
                scopes, mismatches.size());
        assertTrue(rmrrs > 0 && scopes > 0, "the real tables must exercise RMRRs and scopes");
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static void compare(String table, String field, Object iasl, Object ours, List<String> out) {
        if (!Objects.equals(iasl, ours)) {
            out.add(table + " " + field + ":\n  iasl    " + iasl + "\n  decoder " + ours);
        }
    }

    /**
     * The compared fields, rendered the same way from either side: numbers as iasl prints them (upper-case
     * hex, its widths), one line per structure, scopes in table order.
     */
    record Dmar(String haw, String flags, List<String> drhds, List<String> rmrrs) {
        static Dmar from(DmarTable t) {
            return new Dmar(String.format("%02X", t.hostAddressWidth() - 1), String.format("%02X", t.flags()),
                    t.drhds().stream().map(d -> String.format("flags=%02X seg=%04X base=%016X scopes=%s",
                            d.includeAll() ? 1 : 0, d.segment(), d.registerBase(), scopes(d.scopes()))).toList(),
                    t.rmrrs().stream().map(r -> String.format("seg=%04X base=%016X limit=%016X scopes=%s",
                            r.segment(), r.base(), r.limit(), scopes(r.scopes()))).toList());
        }

        private static String scopes(List<DmarTable.DeviceScope> scopes) {
            return scopes.stream().map(s -> String.format("%02X/%02X/%02X:%s", s.type(), s.enumerationId(),
                    s.startBus(), s.path().stream().map(pp -> String.format("%02X,%02X", pp[0], pp[1]))
                            .collect(Collectors.joining(" ")))).collect(Collectors.joining(";", "[", "]"));
        }

        /** Walks iasl's listing: a "Subtable Type" line opens a structure, "Device Scope Type" a scope in it. */
        static Dmar fromIasl(String dsl) {
            String haw = null;
            String flags = null;
            List<String> drhds = new ArrayList<>();
            List<String> rmrrs = new ArrayList<>();
            String type = null;
            Map<String, String> fields = new HashMap<>();
            List<String> scopes = new ArrayList<>();
            Map<String, String> scope = null;
            List<String> path = new ArrayList<>();
            // a sentinel structure at the end closes the last real one
            for (String line : (dsl + "\n[FFFFh 0 0]  Subtable Type : FFFF").split("\n")) {
                Matcher m = FIELD.matcher(line.strip());
                if (!m.find()) {
                    continue;
                }
                int offset = Integer.parseInt(m.group(1), 16);
                String key = m.group(2).strip();
                String value = m.group(3);
                if (key.equals("Device Scope Type") || key.equals("Subtable Type")) {
                    if (scope != null) {
                        scopes.add(scope.get("type") + "/" + scope.get("Enumeration ID") + "/"
                                + scope.get("PCI Bus Number") + ":" + String.join(" ", path));
                    }
                    scope = null;
                    path.clear();
                }
                if (type == null && key.equals("Host Address Width")) {
                    haw = value;
                } else if (type == null && key.equals("Flags") && offset == 0x25) {
                    flags = value;
                } else if (key.equals("Subtable Type")) {
                    String list = "[" + String.join(";", scopes) + "]";
                    if ("0000".equals(type)) {
                        drhds.add(String.format("flags=%s seg=%s base=%s scopes=%s", fields.get("Flags"),
                                fields.get("PCI Segment Number"), fields.get("Register Base Address"), list));
                    } else if ("0001".equals(type)) {
                        rmrrs.add(String.format("seg=%s base=%s limit=%s scopes=%s", fields.get("PCI Segment Number"),
                                fields.get("Base Address"), fields.get("End Address (limit)"), list));
                    }
                    type = value;
                    fields.clear();
                    scopes.clear();
                } else if (key.equals("Device Scope Type")) {
                    scope = new HashMap<>(Map.of("type", value));
                } else if (scope != null && key.equals("PCI Path")) {
                    path.add(value);
                } else if (scope != null) {
                    scope.putIfAbsent(key, value);
                } else {
                    fields.putIfAbsent(key, value);
                }
            }
            return new Dmar(haw, flags, drhds, rmrrs);
        }
    }

    /** Runs {@code iasl -d file} (writes file.dsl next to it) and returns the listing. */
    static String iasl(Path file) throws IOException {
        CommandLine cmd = new CommandLine("iasl").addArgument("-d").addArgument(file.toString(), false);
        DefaultExecutor exec = new DefaultExecutor();
        exec.setWorkingDirectory(file.getParent().toFile());
        exec.setStreamHandler(new PumpStreamHandler(new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        exec.setWatchdog(new ExecuteWatchdog(TIMEOUT_MS));
        Map<String, String> env = EnvironmentUtils.getProcEnvironment();
        env.put("LC_ALL", "C");
        exec.execute(cmd, env);
        Path dsl = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.dat$", ".dsl"));
        return Files.readString(dsl, StandardCharsets.ISO_8859_1);
    }

    static boolean onPath(String tool) {
        return Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin").split(File.pathSeparator))
                .anyMatch(p -> Files.isExecutable(Path.of(p, tool)));
    }
}
