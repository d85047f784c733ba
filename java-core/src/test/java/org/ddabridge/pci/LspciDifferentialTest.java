package org.ddabridge.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.environment.EnvironmentUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.driver.dump.LspciDump;
import org.ddabridge.model.PciAddress;
/**
 * Differential test: for every dump of pciutils' test suite, and for every whole-machine dump of real
 * hardware, the decoder must agree with the real {@code lspci -vvv -nn -F <dump>} on every field in
 * {@link #ROWS}. The dumps live in the repository: {@code tests/fixtures/lspci} (copied from pciutils'
 * tests/, see the README there) and {@code tests/fixtures/lspci-real} (coreboot porting logs of laptops,
 * desktops, an X99 workstation and a POWER9 server, gzipped byte for byte; SOURCES.md there names each
 * one's repository, path and commit). lspci itself is run at test time (pciutils is installed by build.sh).
 * A missing dump folder, a missing lspci, a changed number of dumps, a field never compared, or a field
 * lspci prints whose regex finds nothing all FAIL the test.
 */
class LspciDifferentialTest {
    private static final long TIMEOUT_MS = 30_000;
    /** Files in tests/fixtures/lspci (the README excluded); update with the fixtures. */
    static final int DUMPS = 41;
    /** Files {@code *.gz} in tests/fixtures/lspci-real; update with the fixtures and SOURCES.md there. */
    static final int REAL_DUMPS = 6;
    /** What a row's lspci side returns when lspci printed the field but the row's regex did not match it. */
    static final String NO_MATCH = "<row regex matched nothing>";

    /** lspci's port-type wording -> ours. */
    private static final Map<String, String> PORT_TYPES = Map.of(
            "Endpoint", "Endpoint", "Legacy Endpoint", "LegacyEndpoint", "Root Port", "RootPort",
            "Upstream Port", "UpstreamPort", "Downstream Port", "DownstreamPort",
            "PCI-Express to PCI/PCI-X Bridge", "PciePciBridge", "PCI/PCI-X to PCI-Express Bridge", "PciPcieBridge",
            "Root Complex Integrated Endpoint", "RcIntegratedEndpoint",
            "Root Complex Event Collector", "RcEventCollector");

    /** Title prefixes of capability lines -> capability id ("s" standard, "e" extended). */
    private static final Map<String, String> TITLE_IDS = new LinkedHashMap<>();

    static {
        TITLE_IDS.put("s:Power Management", "s01");
        TITLE_IDS.put("s:MSI-X:", "s11");
        TITLE_IDS.put("s:MSI:", "s05");
        TITLE_IDS.put("s:Express", "s10");
        TITLE_IDS.put("s:PCI-X", "s07");
        TITLE_IDS.put("s:Vendor Specific Information", "s09");
        TITLE_IDS.put("s:HyperTransport", "s08");
        TITLE_IDS.put("s:Subsystem", "s0d");
        TITLE_IDS.put("s:Debug port", "s0a");
        TITLE_IDS.put("s:Vital Product Data", "s03");
        TITLE_IDS.put("s:AGP", "s02");
        TITLE_IDS.put("s:PCI Advanced Features", "s13");
        TITLE_IDS.put("s:Enhanced Allocation", "s14");
        TITLE_IDS.put("e:Advanced Error Reporting", "e0001");
        TITLE_IDS.put("e:Device Serial Number", "e0003");
        TITLE_IDS.put("e:Vendor Specific Information", "e000b");
        TITLE_IDS.put("e:Access Control Services", "e000d");
        TITLE_IDS.put("e:Alternative Routing-ID Interpretation", "e000e");
        TITLE_IDS.put("e:Address Translation Service", "e000f");
        TITLE_IDS.put("e:Single Root I/O Virtualization", "e0010");
        TITLE_IDS.put("e:Page Request Interface", "e0013");
        TITLE_IDS.put("e:Physical Resizable BAR", "e0015");
        TITLE_IDS.put("e:Process Address Space ID", "e001b");
        TITLE_IDS.put("e:Designated Vendor-Specific", "e0023");
        TITLE_IDS.put("e:Latency Tolerance Reporting", "e0018");
        TITLE_IDS.put("e:L1 PM Substates", "e001e");
        TITLE_IDS.put("e:Secondary PCI Express", "e0019");
        // lspci titles both VC ids (0x0002, and 0x0009 used when MFVC is present) "Virtual Channel".
        TITLE_IDS.put("e:Virtual Channel", "e0002|e0009");
        TITLE_IDS.put("e:Power Budgeting", "e0004");
        TITLE_IDS.put("e:Root Complex Link", "e0005");
        TITLE_IDS.put("e:Multicast", "e0012");
        TITLE_IDS.put("e:Precision Time Measurement", "e001f");
        TITLE_IDS.put("e:Data Object Exchange", "e002e");
        TITLE_IDS.put("e:Transaction Processing Hints", "e0017");
    }

    /** lspci's port types whose Express title carries "(Slot+/-)" (lspci.c cap_express). */
    static final Set<String> SLOT_TYPES = Set.of("Root Port", "Downstream Port", "PCI/PCI-X to PCI-Express Bridge");
    /** lspci's port types whose DevCap line carries FLReset (lspci 3.9 cap_express_dev). */
    static final Set<String> FLR_TYPES = Set.of("Endpoint", "Legacy Endpoint", "Root Complex Integrated Endpoint");
    /** lspci's port types without link registers: no LnkCap/LnkSta lines. */
    static final Set<String> NO_LINK_TYPES = Set.of("Root Complex Integrated Endpoint", "Root Complex Event Collector");
    private static final Pattern IDS = Pattern.compile("\\[([0-9a-f]{4}:[0-9a-f]{4})\\]( \\(rev| \\(prog-if|$)");
    private static final Pattern PORT_TYPE = Pattern.compile("^Express \\(v\\d+\\) (.+?)(?: \\(Slot[+-]\\))?(,|$)");

    /**
     * One compared field: what lspci printed and what we decoded. The lspci side returns null only where lspci
     * does not print the field for that function (no such capability, or a port type lspci omits it for); where
     * lspci prints it but the row's regex finds nothing it returns {@link #NO_MATCH}, which is a mismatch.
     */
    record Row(String field, Function<LspciFunction, String> lspci, BiFunction<DecodedFunction, LspciFunction, String> ours) {
    }

    static final List<Row> ROWS = List.of(
            // lspci cuts names longer than its buffer to "...", ids included ("[8086..."): then its own -x bytes.
            new Row("ids", l -> l.headerLine.contains("...") && l.header(IDS, 1).equals(NO_MATCH)
                    ? l.hexIds() : l.header(IDS, 1), (d, l) -> d.vendorId() + ":" + d.deviceId()),
            new Row("class", l -> l.header(Pattern.compile("\\[([0-9a-f]{4})\\]:"), 1),
                    (d, l) -> d.classCode().substring(0, 4)),
            // lspci prints "(prog-if NN ...)" unless NN is 00 without a name.
            new Row("prog-if", l -> l.headerLine.contains("(prog-if ")
                    ? l.header(Pattern.compile("\\(prog-if ([0-9a-f]{2})[ )]"), 1) : "00",
                    (d, l) -> d.classCode().substring(4, 6)),
            // lspci -vvv has no header-type line; the layout it chose says it: BridgeCtl with 16bInt is its CardBus
            // view, BridgeCtl otherwise its PCI-bridge view, none the normal view; other types get a "!!!" line.
            new Row("headerType", LspciFunction::headerType, (d, l) -> String.format("%02x", d.headerType())),
            // lspci -vvv prints no multifunction flag: the reference is the header byte of lspci's own -x dump.
            new Row("multiFunction", l -> l.hex.containsKey(0x0e) ? sign((l.hex.get(0x0e) & 0x80) != 0) : NO_MATCH,
                    (d, l) -> sign(d.multiFunction())),
            // "Interrupt: pin A..D routed to IRQ n"; pin 0 prints "pin ?" (when the IRQ line is set) or no line.
            new Row("interruptPin", l -> l.headerType().matches("0[0-2]")
                    ? sign(Objects.requireNonNullElse(l.line(Pattern.compile("^\tInterrupt: pin (.)"), "%s"), "?")
                            .matches("[A-Z]")) : null,
                    (d, l) -> sign(d.interruptPin())),
            new Row("bridge buses", l -> Objects.requireNonNullElse(l.line(Pattern.compile(
                    "^\tBus: primary=(\\w\\w), secondary=(\\w\\w), subordinate=(\\w\\w)"), "%s/%s/%s"), "none"),
                    (d, l) -> d.bridge() == null ? "none" : String.format("%02x/%02x/%02x",
                            d.bridge().primaryBus(), d.bridge().secondaryBus(), d.bridge().subordinateBus())),
            new Row("std capability offsets", l -> l.offsets(false),
                    (d, l) -> d.capabilities().stream().map(c -> String.format("%02x", (Integer) c.get("offset")))
                            .collect(Collectors.joining(","))),
            new Row("ext capability offsets+versions", l -> l.offsets(true),
                    (d, l) -> d.extendedCapabilities().stream().map(c -> String.format("%03x v%s",
                            (Integer) c.get("offset"), c.get("version"))).collect(Collectors.joining(","))),
            new Row("capability ids", LspciFunction::knownIds, LspciDifferentialTest::ourKnownIds),
            // Both ways: lspci marking a list broken (or a header layout it cannot read, "!!! Unknown header
            // type") means a finding, a list lspci walks cleanly means none.
            new Row("malformed list <-> finding", l -> l.text.matches("(?s).*Capabilities: .*<(chain|access).*")
                    || l.text.contains("\t!!! Unknown header type") ? "finding" : "none",
                    (d, l) -> d.findings().isEmpty() ? "none" : "finding"),
            new Row("pcie version", l -> l.cap("Express", Pattern.compile("^Express \\(v(\\d+)\\)"), "%s"),
                    (d, l) -> d.pcie() == null ? null : String.valueOf(d.pcie().version())),
            new Row("pcie port type", l -> {
                String t = l.cap("Express", PORT_TYPE, "%s");
                return t == null || t.equals(NO_MATCH) ? t : PORT_TYPES.getOrDefault(t, "?" + t);
            }, (d, l) -> d.pcie() == null ? null : d.pcie().portType()),
            new Row("pcie slot", l -> l.express(t -> SLOT_TYPES.contains(t), Pattern.compile("\\(Slot([+-])\\)"), "%s"),
                    (d, l) -> d.pcie() == null ? null : sign(d.pcie().slotImplemented())),
            new Row("pcie FLReset (DevCap)", l -> l.express(t -> FLR_TYPES.contains(t), Pattern.compile(
                    "DevCap:.*?FLReset([+-])(?s:.*)DevCtl:", Pattern.DOTALL), "%s"),
                    (d, l) -> d.pcie() == null ? null : sign(d.pcie().flr())),
            new Row("pcie LnkCap", l -> l.express(t -> !NO_LINK_TYPES.contains(t), Pattern.compile(
                    "LnkCap:\\s+Port #\\d+, Speed ([^,]+), Width x(\\d+)"), "%s x%s"),
                    (d, l) -> d.pcie() == null ? null : StandardCapabilities.linkSpeedName(d.pcie().linkSpeedMax())
                    + " x" + d.pcie().linkWidthMax()),
            new Row("pcie LnkSta", l -> l.express(t -> !NO_LINK_TYPES.contains(t), Pattern.compile(
                    "LnkSta:\\s+Speed ([^,( ]+)[^,]*, Width x(\\d+)"), "%s x%s"),
                    (d, l) -> d.pcie() == null ? null : StandardCapabilities.linkSpeedName(d.pcie().linkSpeed())
                    + " x" + d.pcie().linkWidth()),
            new Row("MSI Count/64bit/Maskable/Enable", l -> l.cap("MSI:", Pattern.compile(
                    "^MSI: Enable([+-]) Count=\\d+/(\\d+) Maskable([+-]) 64bit([+-])"), "E%s n=%s mask%s 64%s"),
                    (d, l) -> d.msi() == null ? null : String.format("E%s n=%d mask%s 64%s", sign(d.msi().enabled()),
                            d.msi().count(), sign(d.msi().perVectorMask()), sign(d.msi().is64Bit()))),
            new Row("MSI-X Count/Enable", l -> l.cap("MSI-X:", Pattern.compile("^MSI-X: Enable([+-]) Count=(\\d+)"),
                    "E%s n=%s"), (d, l) -> d.msix() == null ? null
                    : String.format("E%s n=%d", sign(d.msix().enabled()), d.msix().tableSize())),
            new Row("MSI-X table/PBA", l -> l.cap("MSI-X:", Pattern.compile(
                    "Vector table: BAR=(\\d) offset=([0-9a-f]+)\\s+PBA: BAR=(\\d) offset=([0-9a-f]+)"), "%s@%s %s@%s"),
                    (d, l) -> d.msix() == null ? null : String.format("%d@%08x %d@%08x", d.msix().tableBar(),
                            d.msix().tableOffset(), d.msix().pbaBar(), d.msix().pbaOffset())),
            new Row("PM version", l -> l.cap("Power Management", Pattern.compile("^Power Management version (\\d+)"), "%s"),
                    (d, l) -> d.pm() == null ? null : String.valueOf(d.pm().version())),
            new Row("PM NoSoftRst", l -> l.cap("Power Management", Pattern.compile("NoSoftRst([+-])"), "%s"),
                    (d, l) -> d.pm() == null ? null : sign(d.pm().noSoftReset())),
            new Row("AFCap TP/FLR", l -> l.cap("PCI Advanced Features", Pattern.compile("AFCap: TP([+-]) FLR([+-])"),
                    "TP%s FLR%s"), (d, l) -> {
                        Map<String, Object> m = ConfigDecoder.first(d.capabilities(),
                                StandardCapabilities.ADVANCED_FEATURES);
                        return m == null ? null : String.format("TP%s FLR%s",
                                sign((Boolean) m.get("transactionsPending")), sign((Boolean) m.get("flr")));
                    }),
            new Row("ACSCap", l -> l.cap("Access Control Services", Pattern.compile("ACSCap:\\s+(.*)"), "%s"),
                    (d, l) -> d.acs() == null ? null : acs(d.acs().capability())),
            new Row("ACSCtl", l -> l.cap("Access Control Services", Pattern.compile("ACSCtl:\\s+(.*)"), "%s"),
                    (d, l) -> d.acs() == null ? null : acs(d.acs().control())),
            new Row("SR-IOV VFs", l -> l.cap("Single Root I/O Virtualization", Pattern.compile(
                    "Initial VFs: (\\d+), Total VFs: (\\d+), Number of VFs: (\\d+)"), "%s/%s/%s"),
                    (d, l) -> d.sriov() == null ? null : d.sriov().initialVfs() + "/" + d.sriov().totalVfs() + "/"
                            + d.sriov().numVfs()),
            new Row("SR-IOV VF offset/stride/Device ID", l -> l.cap("Single Root I/O Virtualization", Pattern.compile(
                    "VF offset: (\\d+), stride: (\\d+), Device ID: ([0-9a-f]{4})"), "%s/%s/%s"),
                    (d, l) -> d.sriov() == null ? null : d.sriov().vfOffset() + "/" + d.sriov().vfStride() + "/"
                            + d.sriov().vfDeviceId()),
            new Row("ARI present", l -> String.valueOf(l.text.contains("] Alternative Routing-ID Interpretation")),
                    (d, l) -> String.valueOf(d.ari())),
            new Row("ATS present", l -> String.valueOf(l.text.contains("] Address Translation Service")),
                    (d, l) -> String.valueOf(d.ats())),
            new Row("DSN", l -> l.cap("Device Serial Number", Pattern.compile("^Device Serial Number (\\S+)"), "%s"),
                    (d, l) -> ext(d, ExtendedCapabilities.DSN, "serialNumber")),
            new Row("PASID Exec/Priv/Width/Enable", l -> l.cap("Process Address Space ID", Pattern.compile(
                    "PASIDCap: Exec([+-]) Priv([+-]), Max PASID Width: ([0-9a-f]+)\\s+PASIDCtl: Enable([+-])"),
                    "Exec%s Priv%s %s En%s"), (d, l) -> {
                        Map<String, Object> m = ConfigDecoder.first(d.extendedCapabilities(), ExtendedCapabilities.PASID);
                        return m == null ? null : String.format("Exec%s Priv%s %02x En%s",
                                sign((Boolean) m.get("executePermission")), sign((Boolean) m.get("privilegedMode")),
                                (Integer) m.get("maxPasidWidth"), sign((Boolean) m.get("enabled")));
                    }),
            new Row("PRI Enable/Capacity/Allocation", l -> l.cap("Page Request Interface", Pattern.compile(
                    "PRICtl: Enable([+-])(?s:.*)Page Request Capacity: ([0-9a-f]+), Page Request Allocation: ([0-9a-f]+)"),
                    "En%s %s %s"), (d, l) -> {
                        Map<String, Object> m = ConfigDecoder.first(d.extendedCapabilities(), ExtendedCapabilities.PRI);
                        return m == null ? null : String.format("En%s %08x %08x", sign((Boolean) m.get("enabled")),
                                (Long) m.get("outstandingPageRequestCapacity"),
                                (Long) m.get("outstandingPageRequestAllocation"));
                    }),
            new Row("ATS queue depth/Enable/STU", l -> l.cap("Address Translation Service", Pattern.compile(
                    "Invalidate Queue Depth: ([0-9a-f]+)(?s:.*)ATSCtl:\\s+Enable([+-]), Smallest Translation Unit: "
                    + "([0-9a-f]+)"), "%s En%s %s"), (d, l) -> {
                        Map<String, Object> m = ConfigDecoder.first(d.extendedCapabilities(), ExtendedCapabilities.ATS);
                        // lspci prints the raw 5-bit field, where 0 encodes a depth of 32.
                        return m == null ? null : String.format("%02x En%s %02x",
                                (Integer) m.get("invalidateQueueDepth") & 0x1f, sign((Boolean) m.get("enabled")),
                                (Integer) m.get("smallestTranslationUnit"));
                    }),
            new Row("Resizable BAR first entry", l -> l.cap("Physical Resizable BAR", Pattern.compile(
                    "BAR (\\d): current size: (\\S+), supported: (.*)"), "%s %s %s"), (d, l) -> {
                        Map<String, Object> m = ConfigDecoder.first(d.extendedCapabilities(),
                                ExtendedCapabilities.RESIZABLE_BAR);
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> bars = m == null ? List.of() : (List<Map<String, Object>>) m.get("bars");
                        if (bars.isEmpty()) {
                            return null;
                        }
                        Map<String, Object> b = bars.get(0);
                        @SuppressWarnings("unchecked")
                        List<Long> sizes = (List<Long>) b.get("supportedSizesMb");
                        return b.get("bar") + " " + size((Long) b.get("currentSizeMb")) + " "
                                + sizes.stream().map(LspciDifferentialTest::size).collect(Collectors.joining(" "));
                    }));

    private static String size(long mb) {
        return mb >= 1L << 20 ? (mb >> 20) + "TB" : mb >= 1024 ? (mb >> 10) + "GB" : mb + "MB";
    }

    static boolean lspciAvailable() {
        return Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin").split(File.pathSeparator))
                .anyMatch(p -> Files.isExecutable(Path.of(p, "lspci")));
    }

    static Path dataDir() {
        return Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "lspci").normalize();
    }

    static Path realDataDir() {
        return Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "lspci-real").normalize();
    }

    /** The real-machine dumps ({@code *.gz}); fails unless all {@link #REAL_DUMPS} are there. */
    static List<Path> realCorpus() throws IOException {
        Path dir = realDataDir();
        assertTrue(Files.isDirectory(dir), "real-hardware dumps not found at " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".gz")).sorted().toList();
        }
        assertEquals(REAL_DUMPS, files.size(), "dumps in " + dir + ": " + files);
        return files;
    }

    /** The corpus files (every regular file but the README); fails unless all {@link #DUMPS} are there. */
    static List<Path> corpus() throws IOException {
        Path dir = dataDir();
        assertTrue(Files.isDirectory(dir), "pciutils test dumps not found at " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("README"))
                    .sorted().toList();
        }
        assertEquals(DUMPS, files.size(), "dumps in " + dir + ": " + files);
        return files;
    }

    @Test
    void everyDumpAgreesWithLspci() throws IOException {
        assertAgrees(corpus(), DUMPS);
    }

    /**
     * The real machines: lspci reads the same unpacked text the decoder reads. The rows that never occur on
     * these machines (PRI, PASID, ...) are covered by pciutils' corpus above, so here only what was compared
     * must agree; at least the header fields must have been compared on every function.
     */
    @Test
    void everyRealMachineDumpAgreesWithLspci(@TempDir Path tmp) throws IOException {
        List<Path> unpacked = new ArrayList<>();
        for (Path gz : realCorpus()) {
            Path out = tmp.resolve(gz.getFileName().toString().replaceFirst("\\.gz$", ""));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                Files.copy(in, out);
            }
            unpacked.add(out);
        }
        assertAgrees(unpacked, REAL_DUMPS);
    }

    private static void assertAgrees(List<Path> corpus, int expectedDumps) throws IOException {
        assertTrue(lspciAvailable(), "lspci (pciutils) not on PATH: run ./build.sh, which installs it");
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> perField = new TreeMap<>();
        int dumps = 0;
        int functions = 0;
        int compared = 0;
        List<String> findings = new ArrayList<>();
        for (Path file : corpus) {
            dumps++;
            Map<String, LspciFunction> theirs = LspciFunction.split(lspci(file));
            List<LspciDump.Function> ours = LspciDump.parse(Files.readString(file, StandardCharsets.ISO_8859_1));
            if (ours.size() != theirs.size()) {
                mismatches.add(file.getFileName() + ": lspci lists " + theirs.size() + " functions, the dump parser "
                        + ours.size());
            }
            for (LspciDump.Function f : ours) {
                functions++;
                DecodedFunction d = ConfigDecoder.decode(f.address(), f.config());
                d.findings().forEach(s -> findings.add(file.getFileName() + " " + d.address() + ": " + s));
                LspciFunction l = theirs.get(f.address());
                if (l == null) {
                    mismatches.add(file.getFileName() + " " + f.address() + ": lspci did not list the function");
                    continue;
                }
                for (Row row : ROWS) {
                    String expected = row.lspci().apply(l);
                    if (expected == null) {
                        continue; // lspci does not print the field for this function (see the row)
                    }
                    compared++;
                    perField.merge(row.field(), 1, Integer::sum);
                    String actual = row.ours().apply(d, l);
                    if (!expected.equals(actual)) {
                        mismatches.add(String.format("%s %s %s: lspci '%s', decoder '%s'", file.getFileName(),
                                f.address(), row.field(), expected, actual));
                    }
                }
            }
        }
        System.out.printf("lspci differential: %d dumps, %d functions, %d field comparisons, %d mismatches%n",
                dumps, functions, compared, mismatches.size());
        perField.forEach((k, v) -> System.out.printf("  %-36s %d%n", k, v));
        findings.forEach(s -> System.out.println("  finding: " + s));
        assertEquals(expectedDumps, dumps, "dumps compared");
        boolean pciutils = expectedDumps == DUMPS;
        int everyFunction = functions;
        List<String> neverCompared = pciutils
                ? ROWS.stream().map(Row::field).filter(f -> !perField.containsKey(f)).toList()
                : Stream.of("ids", "class", "headerType", "multiFunction", "std capability offsets")
                        .filter(f -> perField.getOrDefault(f, 0) < everyFunction).toList();
        assertTrue(mismatches.isEmpty() && neverCompared.isEmpty(), mismatches.size() + " disagreement(s) with lspci:\n"
                + String.join("\n", mismatches) + "\nfields never compared (lspci printed them nowhere, or their "
                + "regex broke): " + neverCompared);
    }

    /** Runs {@code lspci -vvv -nn -x -F file} through commons-exec: argument vector, C locale, watchdog. */
    static String lspci(Path file) throws IOException {
        CommandLine cmd = new CommandLine("lspci").addArgument("-vvv").addArgument("-nn").addArgument("-x")
                .addArgument("-F")
                .addArgument(file.toString(), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DefaultExecutor exec = new DefaultExecutor();
        exec.setStreamHandler(new PumpStreamHandler(out, new ByteArrayOutputStream()));
        exec.setWatchdog(new ExecuteWatchdog(TIMEOUT_MS));
        Map<String, String> env = EnvironmentUtils.getProcEnvironment();
        env.put("LC_ALL", "C");
        exec.execute(cmd, env);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String ourKnownIds(DecodedFunction d, LspciFunction l) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> c : d.capabilities()) {
            titleIdFor(String.format("s%02x", (Integer) c.get("id")))
                    .ifPresent(id -> out.add(String.format("%02x=%s", (Integer) c.get("offset"), id)));
        }
        for (Map<String, Object> c : d.extendedCapabilities()) {
            titleIdFor(String.format("e%04x", (Integer) c.get("id")))
                    .ifPresent(id -> out.add(String.format("%03x=%s", (Integer) c.get("offset"), id)));
        }
        return String.join(",", out);
    }

    /** The TITLE_IDS value ("e0002|e0009") that covers {@code id}, if lspci has a title for it. */
    private static java.util.Optional<String> titleIdFor(String id) {
        return TITLE_IDS.values().stream().filter(v -> List.of(v.split("\\|")).contains(id)).findFirst();
    }

    private static String ext(DecodedFunction d, int id, String key) {
        Map<String, Object> m = ConfigDecoder.first(d.extendedCapabilities(), id);
        return m == null || m.get(key) == null ? null : m.get(key).toString();
    }

    private static String acs(AcsBits b) {
        return String.format("SrcValid%s TransBlk%s ReqRedir%s CmpltRedir%s UpstreamFwd%s EgressCtrl%s DirectTrans%s",
                sign(b.srcValid()), sign(b.transBlk()), sign(b.reqRedir()), sign(b.cmpltRedir()),
                sign(b.upstreamFwd()), sign(b.egressCtrl()), sign(b.directTrans()));
    }

    private static String sign(boolean b) {
        return b ? "+" : "-";
    }

    /** One function of lspci's verbose output, split into its capability blocks. */
    static final class LspciFunction {
        private static final Pattern HEADER = Pattern.compile("^((?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]) ");
        private static final Pattern CAP = Pattern.compile("^\tCapabilities: \\[([0-9a-f]+)( v\\d+)?\\] (.*)$");
        /** A line of lspci's -x hex dump ("00: 86 80 ..."), kept apart from the verbose text. */
        private static final Pattern HEX = Pattern.compile("^([0-9a-f]{2,3}): ((?:[0-9a-f]{2} ){15}[0-9a-f]{2})$");

        final String text;
        final String headerLine;
        /** Config-space bytes lspci printed with -x: offset -> value. */
        final Map<Integer, Integer> hex = new TreeMap<>();
        /** offset text ("40" / "100 v1") -> block: the title line then its indented lines. */
        final Map<String, String> caps = new LinkedHashMap<>();

        LspciFunction(List<String> all) {
            List<String> lines = new ArrayList<>();
            for (String line : all) {
                Matcher h = HEX.matcher(line);
                if (h.matches()) {
                    String[] bytes = h.group(2).split(" ");
                    for (int i = 0; i < bytes.length; i++) {
                        hex.put(Integer.parseInt(h.group(1), 16) + i, Integer.parseInt(bytes[i], 16));
                    }
                } else {
                    lines.add(line);
                }
            }
            this.text = String.join("\n", lines);
            this.headerLine = lines.get(0);
            String key = null;
            StringBuilder block = null;
            for (String line : lines.subList(1, lines.size())) {
                Matcher m = CAP.matcher(line);
                if (m.matches()) {
                    if (key != null) {
                        caps.put(key, block.toString());
                    }
                    key = m.group(1) + Objects.requireNonNullElse(m.group(2), "");
                    block = new StringBuilder(m.group(3));
                } else if (key != null && line.startsWith("\t\t")) {
                    block.append('\n').append(line.strip());
                } else if (key != null) {
                    caps.put(key, block.toString());
                    key = null;
                }
            }
            if (key != null) {
                caps.put(key, block.toString());
            }
        }

        static Map<String, LspciFunction> split(String output) {
            Map<String, List<String>> lines = new LinkedHashMap<>();
            List<String> current = null;
            for (String line : output.split("\n")) {
                Matcher m = HEADER.matcher(line);
                if (m.find()) {
                    current = new ArrayList<>();
                    lines.put(PciAddress.parse(m.group(1)).orElseThrow().toString(), current);
                }
                if (current != null) {
                    current.add(line);
                }
            }
            Map<String, LspciFunction> out = new LinkedHashMap<>();
            lines.forEach((address, ls) -> out.put(address, new LspciFunction(ls)));
            return out;
        }

        /** Vendor:device from lspci's -x bytes 0-3, NO_MATCH when lspci printed no such bytes. */
        String hexIds() {
            if (!hex.keySet().containsAll(List.of(0, 1, 2, 3))) {
                return NO_MATCH;
            }
            return String.format("%02x%02x:%02x%02x", hex.get(1), hex.get(0), hex.get(3), hex.get(2));
        }

        /** A field every header line carries: NO_MATCH (a mismatch) when the regex finds nothing. */
        String header(Pattern p, int group) {
            Matcher m = p.matcher(headerLine);
            return m.find() ? m.group(group) : NO_MATCH;
        }

        /** Formats the groups of the first matching line of the function's own (single-tab) lines. */
        String line(Pattern p, String format) {
            for (String l : text.split("\n")) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    return format(m, format);
                }
            }
            return null;
        }

        /**
         * Formats the groups of {@code p} found in the first capability block whose title starts with
         * {@code title}: null when there is no such block (nothing to compare), NO_MATCH (a mismatch) when the
         * block is there but the regex finds nothing in it.
         */
        String cap(String title, Pattern p, String format) {
            String block = block(title);
            if (block == null) {
                return null;
            }
            Matcher m = p.matcher(block);
            return m.find() ? format(m, format) : NO_MATCH;
        }

        /**
         * {@link #cap} on the Express block for the port types {@code applies} accepts (lspci's wording), null for
         * the others (lspci does not print the field for them) and without an Express capability.
         */
        String express(java.util.function.Predicate<String> applies, Pattern p, String format) {
            String type = cap("Express", PORT_TYPE, "%s");
            if (type == null || type.equals(NO_MATCH)) {
                return type;
            }
            return applies.test(type) ? cap("Express", p, format) : null;
        }

        /** The header type lspci's layout shows (see the headerType row), as two hex digits. */
        String headerType() {
            String bang = line(Pattern.compile("^\t!!! (?:Unknown header type|Invalid class [0-9a-f]{4} for header "
                    + "type) ([0-9a-f]{2})"), "%s");
            if (bang != null) {
                return bang;
            }
            String bridgeCtl = line(Pattern.compile("^\tBridgeCtl:(.*)"), "%s");
            return bridgeCtl == null ? "00" : bridgeCtl.contains(" 16bInt") ? "02" : "01";
        }

        /** The first capability block whose title starts with {@code title}, or null. */
        String block(String title) {
            for (String block : caps.values()) {
                if (block.startsWith(title)) {
                    return block;
                }
            }
            return null;
        }

        /** Offsets of real capabilities (not "<chain looped>" markers); extended ones carry " vN". */
        String offsets(boolean extended) {
            return caps.entrySet().stream()
                    .filter(e -> !e.getValue().startsWith("<"))
                    .map(Map.Entry::getKey)
                    .filter(k -> extended == k.contains(" v"))
                    .collect(Collectors.joining(","));
        }

        String knownIds() {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> e : caps.entrySet()) {
                boolean extended = e.getKey().contains(" v");
                String prefix = (extended ? "e:" : "s:");
                for (Map.Entry<String, String> t : TITLE_IDS.entrySet()) {
                    if (t.getKey().startsWith(prefix) && e.getValue().startsWith(t.getKey().substring(2))) {
                        out.add(e.getKey().split(" ")[0] + "=" + t.getValue());
                        break;
                    }
                }
                if (extended) {
                    Matcher m = Pattern.compile("^Extended Capability ID (0x[0-9a-f]+)").matcher(e.getValue());
                    if (m.find()) {
                        String id = String.format("e%04x", Integer.decode(m.group(1)));
                        titleIdFor(id).ifPresent(v -> out.add(e.getKey().split(" ")[0] + "=" + v));
                    }
                }
            }
            return String.join(",", out);
        }

        private static String format(Matcher m, String format) {
            Object[] groups = new Object[m.groupCount()];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = m.group(i + 1);
            }
            return String.format(format, groups);
        }
    }
}
