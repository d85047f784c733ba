package org.ddabridge.driver.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.model.Finding;
import org.ddabridge.platform.dump.DumpPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;

/**
 * A real dump (pciutils' tree-fujitsu-p8010, 4096-byte rows) with one function damaged and one absent
 * function added: the damaged one is a finding, the absent one is no device, every other function decodes.
 */
class LspciDumpDamageTest {
    static String fujitsu() throws IOException {
        Path p = Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "lspci", "tree-fujitsu-p8010");
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    /** Drops the hex row at {@code offset} of the function whose header starts with {@code address}. */
    static String dropRow(String text, String address, String offset) {
        StringBuilder out = new StringBuilder();
        boolean in = false;
        boolean dropped = false;
        for (String line : text.split("\n", -1)) {
            if (line.matches("^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7] .*")) {
                in = line.startsWith(address + " ");
            }
            if (in && !dropped && line.startsWith(offset + ": ")) {
                dropped = true;
                continue;
            }
            out.append(line).append('\n');
        }
        assertTrue(dropped, "row " + offset + " of " + address + " not in the fixture");
        return out.toString();
    }

    static String allOnes(String address) {
        StringBuilder sb = new StringBuilder(address + " Non-VGA unclassified device: Device ffff:ffff (rev ff)\n");
        for (int row = 0; row < 256; row += 16) {
            sb.append(String.format("%02x:", row)).append(" ff".repeat(16)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void damagedFunctionIsAFindingAndTheOthersDecode() throws IOException {
        String intact = fujitsu();
        int all = LspciDump.parse(intact).size();
        String damaged = dropRow(intact, "00:1b.0", "20");
        LspciDump.Dump d = LspciDump.read(damaged);
        assertEquals(all - 1, d.functions().size());
        assertEquals(1, d.damaged().size());
        assertEquals("0000:00:1b.0", d.damaged().get(0).address());
        assertTrue(d.damaged().get(0).reason().contains("gap at offset 0x20"), d.damaged().get(0).reason());
        EngineException strict = assertThrows(EngineException.class, () -> LspciDump.parse(damaged));
        assertEquals(ErrorId.DumpInvalid, strict.id(), "decode stays strict");
    }

    @Test
    void surveyOfADamagedDumpWithAnAbsentFunction() throws IOException {
        String text = dropRow(fujitsu(), "00:1b.0", "20") + allOnes("00:1f.7");
        SurveyReport r = Survey.ofHost(new DumpPlatform(text, "dump:fujitsu"), l -> l);
        List<String> shown = r.reports().stream().map(DeviceReport::device).map(x -> x.address()).toList();
        assertFalse(shown.contains("0000:00:1b.0"), "damaged");
        assertFalse(shown.contains("0000:00:1f.7"), "absent");
        assertTrue(shown.contains("0000:00:1f.3") && shown.contains("0000:14:00.0"), shown.toString());
        assertEquals(2, r.findings().size(), r.findings().toString());
        Finding gap = r.findings().stream().filter(f -> f.source().endsWith("0000:00:1b.0")).findFirst().orElseThrow();
        assertTrue(gap.message().contains("damaged"), gap.message());
        Finding absent = r.findings().stream().filter(f -> f.source().endsWith("0000:00:1f.7")).findFirst()
                .orElseThrow();
        assertTrue(absent.message().contains("absent"), absent.message());
        assertEquals(2, r.toJson().getAsJsonArray("findings").size());
    }

    @Test
    void onlyDamageIsStillInvalid() {
        EngineException e = assertThrows(EngineException.class, () -> LspciDump.read("00:00.0 x\n00: 86 80\n10: 00\n"));
        assertEquals(ErrorId.DumpInvalid, e.id());
        EngineException absent = assertThrows(EngineException.class,
                () -> new DumpPlatform(allOnes("00:02.0"), "dump:x").snapshot());
        assertEquals(ErrorId.DumpInvalid, absent.id());
    }
}
