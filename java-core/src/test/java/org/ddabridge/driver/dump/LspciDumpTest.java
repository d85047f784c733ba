package org.ddabridge.driver.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
class LspciDumpTest {
    // Fixture: lspci -vvv -xxx style, two functions, human lines between (hand-made bytes)
    private static final String VERBOSE = """
            00:1c.0 PCI bridge: Example Root Port (rev 02)
            \tControl: I/O+ Mem+ BusMaster+
            \tBus: primary=00, secondary=02, subordinate=02, sec-latency=0
            \tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00
            00: 86 80 40 3a 07 04 10 00 02 00 04 06 10 00 81 00
            10: 00 00 00 00 00 00 00 00 00 02 02 00 f0 00 00 20

            0001:02:00.0 Ethernet controller: Example NIC
            \t\tMasking: 00000000  Pending: 00000000
            00: 86 80 c9 10
            """;

    @Test
    void parsesFunctionsAndIgnoresHumanText() {
        List<LspciDump.Function> fs = LspciDump.parse(VERBOSE);
        assertEquals(2, fs.size());
        assertEquals("0000:00:1c.0", fs.get(0).address());
        assertEquals(32, fs.get(0).config().length);
        assertEquals((byte) 0x81, fs.get(0).config()[0x0e]);
        assertEquals("0001:02:00.0", fs.get(1).address());
        assertEquals(4, fs.get(1).config().length);
    }

    @Test
    void rowsOutOfOrderAndCrLf() {
        List<LspciDump.Function> fs = LspciDump.parse("01:00.0 x\r\n10: 02\r\n00: 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\r\n");
        assertEquals(17, fs.get(0).config().length);
        assertEquals(2, fs.get(0).config()[16]);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "just some text\n",
        "00: 86 80\n",                               // row before any header
        "00:00.0 x\n00: 86 8g\n",                    // bad byte
        "00:00.0 x\n00: 86 80\n10: 00\n",            // gap 0x02..0x0f
        "00:00.0 x\nff8: 00 00 00 00 00 00 00 00 00\n", // past 4 KiB
        "00:00.0 x\n\tControl: I/O+\n",              // header without rows
        "00:00.0 x\n00: 00\n00:00.0 y\n00: 00\n"     // duplicate address
    })
    void badInputIsDumpInvalid(String text) {
        EngineException e = assertThrows(EngineException.class, () -> LspciDump.parse(text));
        assertEquals(ErrorId.DumpInvalid, e.id());
    }
}
