package org.ddabridge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.ddabridge.cli.Main;
import org.ddabridge.testing.Chromium;

/**
 * The fleet report opened in Debian's real headless Chromium: five hosts (two QEMU host images, a hand-made Windows
 * host, a saved survey of pciutils' ASUS P6T6 dump and a saved per-target survey). Every function's address and
 * every host appear in the rendered DOM, with and without JavaScript; the page logs nothing to the console and asks
 * the network for nothing; the target switch and the filter work; screenshots stay under
 * {@code target/report/} as CI artefacts. The harness is proven able to see a console message and a request on a
 * doctored copy of the page.
 */
class ReportChromiumTest {
    static final Path REPO = Path.of(System.getProperty("ddabridge.repo", ".."));
    static final Path OUT = Path.of("target", "report");
    static final Path FIXTURES = REPO.resolve("tests/fixtures");

    /** Host name -> the input it comes from (names: the survey's hostname, else the input's file name). */
    static final Map<String, Path> INPUTS = new LinkedHashMap<>();
    static Path fleet;

    @BeforeAll
    static void writeFleetReport() throws Exception {
        INPUTS.put("qemu-reference", FIXTURES.resolve("hosts/qemu-reference.tar.gz"));
        INPUTS.put("qemu-noacs", FIXTURES.resolve("hosts/qemu-noacs.tar.gz"));
        INPUTS.put("SRV-NVME01", FIXTURES.resolve("windows/server-nvme.windows.json"));
        INPUTS.put("tree-asus-p6t6", FIXTURES.resolve("surveys/tree-asus-p6t6.survey.json"));
        INPUTS.put("gpu-node-7", FIXTURES.resolve("surveys/per-target.survey.json"));
        for (Path p : INPUTS.values()) {
            assertTrue(Files.isRegularFile(p), "fixture missing: " + p);
        }
        Files.createDirectories(OUT);
        fleet = OUT.resolve("fleet.html");
        List<String> args = new ArrayList<>(List.of("report", "--output", fleet.toString()));
        INPUTS.values().forEach(p -> args.add(p.toString()));
        String[] r = run(args.toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("5 host(s)"), r[1]);
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    /** The addresses each host has, from the survey itself: saved files read as they are, images surveyed by the CLI. */
    static List<String> expectedAddresses(Path input) throws Exception {
        String json;
        if (input.toString().endsWith(".survey.json")) {
            json = Files.readString(input, StandardCharsets.UTF_8);
        } else {
            String[] r = run("survey", "--json", "--root", input.toString());
            assertEquals("0", r[0], r[2]);
            json = r[1];
        }
        List<String> out = new ArrayList<>();
        for (JsonElement d : JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("result")
                .getAsJsonArray("devices")) {
            out.add(d.getAsJsonObject().get("address").getAsString());
        }
        assertTrue(out.size() >= 2, input + ": " + out);
        return out;
    }

    /** The rendered section of one host (between its opening tag and the next section). */
    static String section(String dom, String host) {
        Matcher m = Pattern.compile("<section class=\"host\" id=\"host-\\d+\" data-host=\"" + Pattern.quote(host) + "\">")
                .matcher(dom);
        assertTrue(m.find(), "no section for host " + host);
        int end = dom.indexOf("</section>", m.end());
        return dom.substring(m.start(), end);
    }

    @Test
    void everyHostAndEveryFunctionIsRenderedWithoutConsoleOutputOrNetwork(@org.junit.jupiter.api.io.TempDir Path work)
            throws Exception {
        Chromium.Run run = Chromium.dumpDom(fleet, work);
        Files.writeString(OUT.resolve("fleet.dom.html"), run.dom());
        assertEquals(List.of(), run.console(), "console messages");
        assertEquals(List.of(), run.pageRequests(), "network requests of the page");
        String dom = run.dom();
        // Defence in depth: even a future change that adds a fetch is blocked by the page's own policy.
        assertTrue(dom.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"), "CSP");
        for (Map.Entry<String, Path> e : INPUTS.entrySet()) {
            String host = e.getKey();
            assertTrue(dom.contains("<tr data-host=\"" + host + "\">"), "fleet row of " + host);
            String s = section(dom, host);
            List<String> addresses = expectedAddresses(e.getValue());
            for (String a : addresses) {
                assertTrue(s.contains("data-address=\"" + a + "\""), host + ": topology node " + a);
                assertTrue(s.contains(">" + a + "</a></td>"), host + ": table row " + a);
            }
            // The script ran in this section: it counts the rows the filter shows.
            assertTrue(s.contains(addresses.size() + " of " + addresses.size() + " shown"), host + ": filter count");
        }
    }

    /**
     * Chromium's {@code --dump-dom} needs scripts itself, so "JavaScript off" is the page with its script taken
     * out: what a mail client or a browser with scripts disabled shows.
     */
    @Test
    void theTableAndTheTopologyAreThereWithoutJavaScript(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        String html = Files.readString(fleet, StandardCharsets.UTF_8);
        String noScript = html.replaceAll("(?s)<script>.*?</script>", "");
        assertTrue(noScript.length() < html.length() && !noScript.contains("<script"), "script not removed");
        Path page = work.resolve("noscript.html");
        Files.writeString(page, noScript);
        Chromium.Run run = Chromium.dumpDom(page, work);
        assertEquals(List.of(), run.console(), "console messages");
        assertEquals(List.of(), run.pageRequests(), "network requests of the page");
        for (Map.Entry<String, Path> e : INPUTS.entrySet()) {
            String s = section(run.dom(), e.getKey());
            assertTrue(s.contains("<span class=\"shown\"></span>"), "a script ran: " + e.getKey());
            for (String a : expectedAddresses(e.getValue())) {
                assertTrue(s.contains(">" + a + "</a></td>"), e.getKey() + ": table row " + a);
                assertTrue(s.contains("data-address=\"" + a + "\""), e.getKey() + ": topology node " + a);
                assertTrue(s.contains("<details id=\"fn-"), e.getKey() + ": details");
            }
        }
    }

    @Test
    void targetSwitchFilterAndClickWork(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        String html = Files.readString(fleet, StandardCharsets.UTF_8);
        int host = html.indexOf("data-host=\"gpu-node-7\"");
        assertTrue(host > 0);
        // What a user does: choose the VFIO target and filter for the GPU's driver, in the per-target host.
        String act = "<script>(function(){var s=document.querySelector('section[data-host=\"gpu-node-7\"]');"
                + "var t=s.querySelector('select.target');t.value='vfio';t.dispatchEvent(new Event('change'));"
                + "var f=s.querySelector('input.filter');f.value='nvidia';f.dispatchEvent(new Event('input'));"
                + "s.querySelector('svg g[data-address=\"0000:01:00.0\"]').parentNode.dispatchEvent("
                + "new MouseEvent('click',{bubbles:true,cancelable:true}));}());"
                + "</script></body>";
        Path page = work.resolve("acted.html");
        Files.writeString(page, html.replace("</body>", act));
        Chromium.Run run = Chromium.dumpDom(page, work);
        assertEquals(List.of(), run.console(), "console messages");
        String s = section(run.dom(), "gpu-node-7");
        Matcher gpu = Pattern.compile("<g class=\"([^\"]*)\" data-address=\"0000:01:00.0\"").matcher(s);
        assertTrue(gpu.find(), s);
        assertTrue(gpu.group(1).contains("v-Assignable") && !gpu.group(1).contains("v-AssignableWith"),
                "VFIO takes the GPU: " + gpu.group(1));
        assertTrue(s.contains("1 of 2 shown"), "filter");
        // A click on the GPU's node opens the panel with its reasons and next commands.
        int panel = s.indexOf("<aside class=\"panel noprint\">");
        assertTrue(panel > 0, "panel still hidden");
        String shown = s.substring(panel, s.indexOf("</aside>", panel));
        assertTrue(shown.contains("MmioAboveHyperVDefault") && shown.contains("ddabridge dismount 0000:01:00.0 --what-if"),
                shown);
    }

    @Test
    void theHarnessSeesConsoleMessagesAndRequests(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        String html = Files.readString(fleet, StandardCharsets.UTF_8)
                .replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "")
                .replace("</body>", "<img src=\"http://203.0.113.9/canary.png\"><script>console.log('canary')</script></body>");
        Path page = work.resolve("doctored.html");
        Files.writeString(page, html);
        Chromium.Run run = Chromium.dumpDom(page, work);
        assertTrue(run.console().stream().anyMatch(l -> l.contains("canary")), run.stderr());
        assertTrue(run.pageRequests().stream().anyMatch(u -> u.contains("203.0.113.9")), run.pageRequests().toString());
    }

    @Test
    void screenshotsOfTheFleetAndOfOneHost(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        Chromium.screenshot(fleet, work, OUT.resolve("fleet.png"), 1400, 2400);
        Path one = OUT.resolve("host.html");
        String[] r = run("report", "--output", one.toString(), "--root", INPUTS.get("qemu-reference").toString());
        assertEquals("0", r[0], r[2]);
        Chromium.screenshot(one, work, OUT.resolve("host.png"), 1400, 1800);
        String html = Files.readString(one);
        assertTrue(html.contains("data-host=\"qemu-reference\"") && !html.contains("id=\"fleet\""), "one-host report");
    }
}
