package org.ddabridge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PciAddressTest {
    @ParameterizedTest
    @CsvSource({
        "0000:01:00.0, 0, 1, 0, 0, 0000:01:00.0",
        "0001:ff:1f.7, 1, 255, 31, 7, 0001:ff:1f.7",
        "0000:0A:1B.3, 0, 10, 27, 3, 0000:0a:1b.3",
        "01:00.1, 0, 1, 0, 1, 0000:01:00.1",
        "10000:e1:00.0, 65536, 225, 0, 0, 10000:e1:00.0"})
    void parsesFullShortAndWideDomainForms(String text, int domain, int bus, int device, int function, String canonical) {
        PciAddress a = PciAddress.parse(text).orElseThrow();
        assertEquals(new PciAddress(domain, bus, device, function), a);
        assertEquals(canonical, a.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000:01:20.0", "0000:0g:00.0", "0000:01:00.8", "0000-01:00.0", "", "01:00", "0000:01:00.00"})
    void rejectsMalformedAddresses(String text) {
        assertTrue(PciAddress.parse(text).isEmpty(), text);
    }
}
