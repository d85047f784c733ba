package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.HostSnapshot;
import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.StandardCapabilities;
import org.ddabridge.platform.Platforms;
import org.ddabridge.platform.spi.PlatformBackend;

/** What the checker keeps of a decoded function, and the group-mates view every member of a group carries. */
class DecodingAndMatesTest {
    private static final Path IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-reference.tar.gz");

    @Test
    void theRulesViewKeepsEverySummaryAndTheAdvancedFeaturesCapability() {
        assertTrue(Files.exists(IMAGE), "fixture missing: " + IMAGE);
        PlatformBackend b = Platforms.forRoot(IMAGE.toString());
        HostSnapshot snap = b.snapshot();
        int withCaps = 0;
        for (var e : snap.configSpaces().entrySet()) {
            DecodedFunction full = Decoding.decode(e.getKey(), e.getValue());
            DecodedFunction slim = Decoding.decodeForRules(e.getKey(), e.getValue());
            withCaps += full.capabilities().isEmpty() ? 0 : 1;
            assertEquals(List.of(), slim.extendedCapabilities());
            assertEquals(ConfigDecoder.first(full.capabilities(), StandardCapabilities.ADVANCED_FEATURES),
                    ConfigDecoder.first(slim.capabilities(), StandardCapabilities.ADVANCED_FEATURES));
            // Everything else the rules read is the full decode's.
            DecodedFunction expect = new DecodedFunction(full.address(), full.vendorId(), full.deviceId(),
                    full.classCode(), full.headerType(), full.multiFunction(), full.configSize(), full.interruptPin(),
                    slim.capabilities(), List.of(), full.pcie(), full.msi(), full.msix(), full.pm(), full.acs(),
                    full.sriov(), full.bridge(), full.ari(), full.ats(), full.findings());
            assertEquals(expect, slim, e.getKey());
        }
        assertTrue(withCaps > 5, "the image's functions have capabilities");
    }

    @Test
    void anAdvancedFeaturesCapabilitySurvivesTheRulesView() {
        byte[] c = new byte[256];
        c[0] = (byte) 0x86;
        c[1] = (byte) 0x80;
        c[0x06] = 0x10; // capability list
        c[0x34] = 0x40;
        c[0x40] = 0x13; // Advanced Features, last in the list
        c[0x41] = 0x00;
        c[0x42] = 0x06;
        c[0x43] = 0x03; // TP and FLR capable
        DecodedFunction slim = Decoding.decodeForRules("0000:00:01.0", c);
        assertTrue(ConfigDecoder.first(slim.capabilities(), StandardCapabilities.ADVANCED_FEATURES) != null,
                slim.capabilities().toString());
    }

    @Test
    void groupMatesViewIsTheGroupWithoutTheDevice() {
        List<String> group = List.of("a", "b", "c", "d");
        for (int skip = 0; skip < group.size(); skip++) {
            List<String> expect = new ArrayList<>(group);
            expect.remove(skip);
            IommuGroupRule.AllBut v = new IommuGroupRule.AllBut(group, skip);
            assertEquals(expect, v);
            assertEquals(expect.size(), v.size());
            int s = skip;
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(group.size() - 1));
            assertThrows(UnsupportedOperationException.class, () -> v.add("x"), "unmodifiable " + s);
        }
    }
}
