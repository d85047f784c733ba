package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.Bar;
import org.ddabridge.model.PciAddress;
class SysfsPciTest {
    private static PciAddress addr(String s) {
        return PciAddress.parse(s).orElseThrow();
    }

    @Test
    void parsesBarsOfAnNvmeControllerAndSkipsEmptyAndNonBarLines() {
        // Fixture: resource file of a QEMU NVMe controller (BAR0 64-bit memory, BAR4 32-bit memory),
        // followed by an empty ROM line and a bridge-window style line that must not become a BAR.
        List<String> lines = List.of(
                "0x00000000fe800000 0x00000000fe803fff 0x0000000000140204",
                "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                "0x00000000fe804000 0x00000000fe804fff 0x0000000000040200",
                "0x000000000000c000 0x000000000000c01f 0x0000000000040101",
                "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                "0x00000000fe000000 0x00000000fe7fffff 0x0000000000042208");
        List<Bar> bars = SysfsPci.parseResource(lines);
        assertEquals(3, bars.size());
        Bar b0 = bars.get(0);
        assertEquals(0, b0.index());
        assertEquals(0xfe800000L, b0.start());
        assertEquals(0x4000, b0.size());
        assertTrue(b0.is64Bit());
        assertFalse(b0.prefetchable());
        assertEquals(Bar.MEMORY, b0.type());
        assertEquals(4, bars.get(1).index());
        assertFalse(bars.get(1).is64Bit());
        assertEquals(Bar.IO, bars.get(2).type());
        assertEquals(0x20, bars.get(2).size());
    }

    @Test
    void parsesPrefetchable64BitBarAboveFourGiB() {
        List<Bar> bars = SysfsPci.parseResource(List.of("0x0000038000000000 0x00000387ffffffff 0x000000000014220c"));
        assertEquals(1, bars.size());
        assertEquals(0x800000000L, bars.get(0).size());
        assertTrue(bars.get(0).prefetchable());
        assertTrue(bars.get(0).is64Bit());
    }

    @Test
    void malformedResourceLinesAreIgnored() {
        assertEquals(List.of(), SysfsPci.parseResource(List.of("garbage", "0x10 0x0f 0x200", "")));
    }

    @Test
    void topologyFollowsTheBridgeChainFromTheRootBus() {
        SysfsPci.Topology t = SysfsPci.parseTopology(addr("0000:02:00.0"),
                "../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:00.0");
        assertEquals(0, t.rootDomain());
        assertEquals(0, t.rootBus());
        assertEquals(List.of(addr("0000:00:1c.0"), addr("0000:01:00.0"), addr("0000:02:00.0")), t.chain());
        assertEquals(List.of(addr("0000:01:00.0"), addr("0000:00:1c.0")), t.upstreamBridges());
    }

    @Test
    void topologyOfANonZeroRootBusAndDomain() {
        SysfsPci.Topology t = SysfsPci.parseTopology(addr("0001:41:00.0"),
                "../../../devices/pci0001:40/0001:40:01.1/0001:41:00.0");
        assertEquals(1, t.rootDomain());
        assertEquals(0x40, t.rootBus());
        assertEquals(2, t.chain().size());
    }

    @Test
    void topologyBehindAVmdDomainStartsAtTheInnerRoot() {
        // Intel VMD: the VMD endpoint 0000:00:0e.0 hosts its own PCI domain 10000.
        SysfsPci.Topology t = SysfsPci.parseTopology(addr("10000:e1:00.0"),
                "../../../devices/pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0/10000:e1:00.0");
        assertEquals(0x10000, t.rootDomain());
        assertEquals(0xe0, t.rootBus());
        assertEquals(List.of(addr("10000:e0:06.0"), addr("10000:e1:00.0")), t.chain());
    }

    @Test
    void missingLinkLeavesTheFunctionOnItsOwnRootBus() {
        SysfsPci.Topology t = SysfsPci.parseTopology(addr("0000:03:00.0"), "");
        assertEquals(3, t.rootBus());
        assertEquals(List.of(addr("0000:03:00.0")), t.chain());
    }

    @Test
    void irqAndMsiIrqsParseTheKernelsAllocation() {
        org.junit.jupiter.api.Assertions.assertEquals(Integer.valueOf(22), SysfsPci.parseIrq("22\n"));
        org.junit.jupiter.api.Assertions.assertNull(SysfsPci.parseIrq("0"));
        org.junit.jupiter.api.Assertions.assertNull(SysfsPci.parseIrq(""));
        org.junit.jupiter.api.Assertions.assertNull(SysfsPci.parseIrq("x1"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(27, 28, 120),
                SysfsPci.parseMsiIrqs(java.util.List.of("120", "28", "27", ".hidden")));
    }
}
