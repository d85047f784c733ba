package org.ddabridge.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.ddabridge.testing.ConfigSpaceBuilder;

/** Decoder tests on hand-made config spaces (see {@link ConfigSpaceBuilder}). */
class ConfigDecoderTest {
    private static final String ADDR = "0000:01:00.0";

    private static DecodedFunction decode(ConfigSpaceBuilder b) {
        return ConfigDecoder.decode(ADDR, b.build());
    }

    @Test
    void headerFields() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(0x8086, 0x10c9).classCode(0x020000).multiFunction()
                .u8(0x3d, 1));
        assertEquals("8086", f.vendorId());
        assertEquals("10c9", f.deviceId());
        assertEquals("020000", f.classCode());
        assertEquals(0, f.headerType());
        assertTrue(f.multiFunction());
        assertTrue(f.interruptPin());
        assertEquals(4096, f.configSize());
        assertNull(f.bridge());
        assertTrue(f.capabilities().isEmpty());
        assertTrue(f.findings().isEmpty(), f.findings().toString());
    }

    /**
     * The checker decodes each distinct config space once and hands the decoding to every function that reads
     * the same bytes ({@link DecodedFunction#at}): that is only right while nothing but the address field
     * depends on where the function sits, truncated and malformed spaces (findings) included.
     */
    @Test
    void aDecodingMovedToAnotherFunctionIsThatFunctionsDecoding() {
        List<byte[]> spaces = List.of(
                ConfigSpaceBuilder.endpoint(0x8086, 0x10c9).classCode(0x020000).msi().msix(10).pcie(0, true).build(),
                ConfigSpaceBuilder.bridge(0x8086, 0x3a40, 0x00, 0x02, 0x05).pcie(4, false).build(),
                java.util.Arrays.copyOf(ConfigSpaceBuilder.endpoint(0x1af4, 0x1041).build(), 40), // truncated
                new byte[0]);
        for (byte[] config : spaces) {
            DecodedFunction there = ConfigDecoder.decode("0000:3a:00.1", config);
            assertEquals(there, ConfigDecoder.decode(ADDR, config).at("0000:3a:00.1"));
            assertEquals("0000:3a:00.1", there.address());
        }
    }

    @Test
    void bridgeBusNumbers() {
        DecodedFunction f = decode(ConfigSpaceBuilder.bridge(0x8086, 0x3a40, 0x00, 0x02, 0x05));
        assertEquals(1, f.headerType());
        assertEquals(new Summaries.Bridge(0, 2, 5), f.bridge());
    }

    @Test
    void cardBusUsesPointerAt0x14() {
        ConfigSpaceBuilder b = ConfigSpaceBuilder.endpoint(0x1180, 0x0476).u8(0x0e, 2).u8(0x18, 0).u8(0x19, 3)
                .u8(0x1a, 6).pm(0x80, 2, false);
        DecodedFunction f = decode(b);
        assertEquals(2, f.headerType());
        assertEquals(new Summaries.Bridge(0, 3, 6), f.bridge());
        assertEquals(0x80, f.capabilities().get(0).get("offset"));
    }

    /**
     * A function that reads all ones (a powered-off GPU audio function in a real Latitude E6430 dump,
     * tests/fixtures/lspci-real) has header type 0x7f: no layout, so no capability list to walk (lspci walks
     * none either); the unknown header type is the finding.
     */
    @Test
    void allOnesFunctionHasNoCapabilityList() {
        byte[] cfg = new byte[256];
        java.util.Arrays.fill(cfg, (byte) 0xff);
        DecodedFunction f = ConfigDecoder.decode(ADDR, cfg);
        assertEquals("ffff", f.vendorId());
        assertEquals(0x7f, f.headerType());
        assertTrue(f.capabilities().isEmpty(), f.capabilities().toString());
        assertEquals(List.of("unknown header type 0x7f"), f.findings());
    }

    @Test
    void noCapabilitiesWithoutStatusBit() {
        byte[] cfg = ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false).patch8(0x06, 0).build();
        assertTrue(ConfigDecoder.decode(ADDR, cfg).capabilities().isEmpty());
    }

    @Test
    void pcieSummary() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x60, 2, 4, true).pcieLink(0x60, 3, 16, 2, 8)
                .u16(0x62, 2 | 4 << 4 | 0x100));
        assertEquals(new Summaries.Pcie(2, "RootPort", true, 3, 16, 2, 8, true), f.pcie());
    }

    @ParameterizedTest
    @CsvSource({"0,Endpoint", "1,LegacyEndpoint", "4,RootPort", "5,UpstreamPort", "6,DownstreamPort",
        "7,PciePciBridge", "8,PciPcieBridge", "9,RcIntegratedEndpoint", "10,RcEventCollector", "2,Unknown(2)",
        "15,Unknown(15)"})
    void portTypes(int code, String name) {
        assertEquals(name, decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, code, false)).pcie().portType());
    }

    @Test
    void flrClear() {
        assertFalse(decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 1, 0, false)).pcie().flr());
    }

    @ParameterizedTest
    @CsvSource({"0,1,false,false", "3,8,true,false", "5,32,true,true"})
    void msiSummary(int log2, int count, boolean is64, boolean mask) {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).msi(0x50, log2, is64, mask));
        assertEquals(new Summaries.Msi(count, is64, mask, false), f.msi());
    }

    @Test
    void msiReservedCountIsAFinding() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).msi(0x50, 7, false, false));
        assertEquals(128, f.msi().count());
        assertTrue(f.findings().get(0).contains("reserved"), f.findings().toString());
    }

    @Test
    void msixSummary() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).msix(0x70, 65, 3, 0x2000, 4, 0x3000, true));
        assertEquals(new Summaries.Msix(65, 3, 0x2000, 4, 0x3000, true), f.msix());
    }

    @ParameterizedTest
    @CsvSource({"3,true", "2,false"})
    void pmSummary(int version, boolean noSoftReset) {
        assertEquals(new Summaries.Pm(version, noSoftReset),
                decode(ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, version, noSoftReset)).pm());
    }

    @Test
    void acsSummary() {
        DecodedFunction f = decode(ConfigSpaceBuilder.bridge(1, 2, 0, 1, 1).pcie(0x40, 2, 4, false)
                .acs(0x100, 0x5f, 0x1d));
        assertEquals(new Summaries.Acs(AcsBits.of(0x5f), AcsBits.of(0x1d)), f.acs());
        assertTrue(f.acs().capability().directTrans());
        assertFalse(f.acs().control().transBlk());
        assertTrue(f.acs().control().hasKernelIsolation());
    }

    @Test
    void sriovAriAtsSummaries() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(0x8086, 0x10c9).pcie(0x40, 2, 0, true)
                .ari(0x100, 1).sriov(0x160, 8, 8, 1, 384, 2, 0x10ca).extendedCapability(0x1a0, 0x0f, 1));
        assertEquals(new Summaries.Sriov(8, 8, 1, 384, 2, "10ca"), f.sriov());
        assertTrue(f.ari());
        assertTrue(f.ats());
        assertEquals(List.of(0x100, 0x160, 0x1a0), f.extendedCapabilities().stream().map(m -> m.get("offset")).toList());
    }

    @Test
    void extendedCapabilitiesNeedPcieOrPcix() {
        // Conventional PCI: 0x100+ may alias the header, so it is not decoded at all.
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false).acs(0x100, 1, 1));
        assertTrue(f.extendedCapabilities().isEmpty());
        assertNull(f.acs());
        DecodedFunction pcix = decode(ConfigSpaceBuilder.endpoint(1, 2).capability(0x40, 0x07).acs(0x100, 1, 1));
        assertNotNull(pcix.acs());
    }

    @Test
    void extendedCapabilitiesNeedMoreThan256Bytes() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, 0, false).acs(0x100, 1, 1)
                .size(256));
        assertTrue(f.extendedCapabilities().isEmpty());
        assertTrue(f.findings().isEmpty());
    }

    @Test
    void capabilityMapShape() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, 0, false)
                .extendedCapability(0x100, 0x0b, 1).u32(0x104, 0x0100_1234L)
                .extendedCapability(0x140, 0x03, 1).u32(0x144, 0xff2b46e0L).u32(0x148, 0x001b21ffL)
                .extendedCapability(0x180, 0x7777, 2));
        Map<String, Object> pcie = f.capabilities().get(0);
        assertEquals(0x10, pcie.get("id"));
        assertEquals(0x40, pcie.get("offset"));
        assertEquals("PCI Express", pcie.get("name"));
        Map<String, Object> vsec = f.extendedCapabilities().get(0);
        assertEquals("1234", vsec.get("vsecId"));
        assertEquals(0x010, vsec.get("vsecLength"));
        assertEquals(1, vsec.get("version"));
        assertEquals("00-1b-21-ff-ff-2b-46-e0", f.extendedCapabilities().get(1).get("serialNumber"));
        assertEquals("Unknown extended capability 0x7777", f.extendedCapabilities().get(2).get("name"));
        assertEquals(2, f.extendedCapabilities().get(2).get("version"));
    }

    @Test
    void standardLoopIsAFinding() {
        byte[] cfg = ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false).msi(0x50, 0, true, false)
                .patch8(0x51, 0x40).build();
        DecodedFunction f = ConfigDecoder.decode(ADDR, cfg);
        assertEquals(2, f.capabilities().size());
        assertTrue(f.findings().get(0).contains("loop"), f.findings().toString());
    }

    @Test
    void selfLoopAndMisalignedPointer() {
        DecodedFunction f = ConfigDecoder.decode(ADDR, ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false)
                .patch8(0x41, 0x43).build());
        assertEquals(1, f.capabilities().size());
        assertEquals(2, f.findings().size(), f.findings().toString());
    }

    @Test
    void pointerIntoHeaderIsAFinding() {
        DecodedFunction f = ConfigDecoder.decode(ADDR, ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false)
                .patch8(0x41, 0x10).build());
        assertTrue(f.findings().get(0).contains("header"), f.findings().toString());
    }

    @Test
    void extendedLoopAndBadPointers() {
        DecodedFunction loop = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, 0, false).acs(0x100, 1, 1)
                .ari(0x140, 0).patch32(0x140, 0x1001_000eL));
        assertEquals(2, loop.extendedCapabilities().size());
        assertTrue(loop.findings().get(0).contains("loop"), loop.findings().toString());

        DecodedFunction below = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, 0, false).acs(0x100, 1, 1)
                .patch32(0x100, 0x0401_000dL));
        assertTrue(below.findings().get(0).contains("below 0x100"), below.findings().toString());

        DecodedFunction beyond = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, 0, false).acs(0x100, 1, 1)
                .ari(0x200, 0).size(0x202));
        assertEquals(1, beyond.extendedCapabilities().size());
        assertTrue(beyond.findings().get(0).contains("beyond"), beyond.findings().toString());
    }

    @Test
    void truncatedCapabilityIsMarkedAndSummaryOmitted() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0xf0, 2, 0, true).size(256));
        assertEquals(Boolean.TRUE, f.capabilities().get(0).get("truncated"));
        assertNull(f.pcie());
        assertTrue(f.findings().get(0).contains("truncated"), f.findings().toString());
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "14", "63", "64", "0x35", "100"})
    void shortConfigNeverThrows(String lengthText) {
        int length = Integer.decode(lengthText);
        byte[] cfg = ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false).size(length).build();
        DecodedFunction f = ConfigDecoder.decode(ADDR, cfg);
        assertEquals(length, f.configSize());
        // Below 0x48 either the header or the 8-byte PM capability at 0x40 is cut short.
        assertEquals(length < 0x48, !f.findings().isEmpty(), f.findings().toString());
    }

    @Test
    void emptyAndNullConfig() {
        DecodedFunction f = ConfigDecoder.decode(ADDR, new byte[0]);
        assertEquals("", f.vendorId());
        assertEquals(-1, f.headerType());
        assertEquals(1, ConfigDecoder.decode(ADDR, null).findings().size());
    }

    @Test
    void resizableBar() {
        DecodedFunction f = decode(ConfigSpaceBuilder.endpoint(1, 2).pcie(0x40, 2, 0, false)
                .extendedCapability(0x100, 0x15, 1).u32(0x104, 0x0000_00f0L).u32(0x108, 1 << 5 | 2 << 8));
        Map<String, Object> rebar = f.extendedCapabilities().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> bar0 = ((List<Map<String, Object>>) rebar.get("bars")).get(0);
        assertEquals(4L, bar0.get("currentSizeMb"));
        assertEquals(List.of(1L, 2L, 4L, 8L), bar0.get("supportedSizesMb"));
    }

    @Test
    void configSpaceReadsPastEndReturnSentinel() {
        ConfigSpace cs = new ConfigSpace(new byte[] {1, 2, 3});
        assertEquals(0x0201, cs.u16(0));
        assertEquals(ConfigSpace.ABSENT, cs.u16(2));
        assertEquals(ConfigSpace.ABSENT, cs.u32(0));
        assertEquals(ConfigSpace.ABSENT, cs.u8(-1));
        assertEquals(ConfigSpace.ABSENT, cs.u8(Integer.MAX_VALUE));
        assertFalse(cs.has(Integer.MAX_VALUE, 4));
    }
}
