package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.ddabridge.testing.ConfigSpaceBuilder;


/** Grouping corner cases of pci_device_group on small hand-made trees. */
class GroupPredictorTest {
    static byte[] rootPort(int sec, boolean acs) {
        ConfigSpaceBuilder t = ConfigSpaceBuilder.bridge(0x1b36, 0xc, 0, sec, sec + 4).pcie(4, false);
        return (acs ? t.acs(0x1f, 0x1d) : t).build();
    }

    static byte[] ep(boolean mf) {
        ConfigSpaceBuilder t = ConfigSpaceBuilder.endpoint(0x1234, 0x5678, 0x020000).pcie(0, true).msi();
        return (mf ? t.multifunction() : t).build();
    }

    @Test
    void switchWithAcsOnDownstreamPortsSplitsGroups() {
        Map<String, DeviceReport> m = new MiniHost()
                .add("00:01.0", null, rootPort(1, true))
                .add("01:00.0", "00:01.0", ConfigSpaceBuilder.bridge(0x10b5, 0x8747, 1, 2, 4).pcie(5, false).build())
                .add("02:08.0", "01:00.0", ConfigSpaceBuilder.bridge(0x10b5, 0x8747, 2, 3, 3).pcie(6, false)
                        .acs(0x5f, 0x1d).build())
                .add("02:10.0", "01:00.0", ConfigSpaceBuilder.bridge(0x10b5, 0x8747, 2, 4, 4).pcie(6, false)
                        .acs(0x5f, 0x1d).build())
                .add("03:00.0", "02:08.0", ep(false))
                .add("04:00.0", "02:10.0", ep(false))
                .iommu(IommuFactsFixtures.active())
                .run();
        assertEquals(List.of("0000:03:00.0"), m.get("0000:03:00.0").predictedIommuGroup());
        assertEquals(List.of("0000:04:00.0"), m.get("0000:04:00.0").predictedIommuGroup());
        assertEquals(List.of("0000:01:00.0"), m.get("0000:01:00.0").predictedIommuGroup());
    }

    @Test
    void multifunctionEndpointWithAcsKeepsFunctionsApart() {
        byte[] withAcs = ConfigSpaceBuilder.endpoint(0x15b3, 0x1017, 0x020000).multifunction().pcie(0, true).msix(4)
                .acs(0x7f, 0x1d).build();
        Map<String, DeviceReport> m = new MiniHost().add("00:01.0", null, rootPort(1, true))
                .add("01:00.0", "00:01.0", withAcs).add("01:00.1", "00:01.0", withAcs).run();
        assertEquals(List.of("0000:01:00.0"), m.get("0000:01:00.0").predictedIommuGroup());
        Map<String, DeviceReport> n = new MiniHost().add("00:01.0", null, rootPort(1, true))
                .add("01:00.0", "00:01.0", ep(true)).add("01:00.1", "00:01.0", ep(true)).run();
        assertEquals(List.of("0000:01:00.0", "0000:01:00.1"), n.get("0000:01:00.0").predictedIommuGroup());
    }

    @Test
    void functionsAboveZeroCountAsMultifunctionWhateverTheirHeaderSays() {
        // Found by the QEMU e2e run: e1000e function 1 leaves the header bit clear, the kernel still groups
        // it with function 0 (pci_scan_slot marks every function above 0 multifunction).
        Map<String, DeviceReport> m = new MiniHost().add("00:01.0", null, rootPort(1, true))
                .add("01:00.0", "00:01.0", ep(true)).add("01:00.1", "00:01.0", ep(false)).run();
        assertEquals(List.of("0000:01:00.0", "0000:01:00.1"), m.get("0000:01:00.1").predictedIommuGroup());
    }

    @Test
    void quirkedMultifunctionNicStaysSplit() {
        // Intel I350 (8086:1521) is in the kernel's multifunction-endpoint ACS quirk list
        byte[] i350 = ConfigSpaceBuilder.endpoint(0x8086, 0x1521, 0x020000).multifunction().pcie(0, true).msix(10).build();
        Map<String, DeviceReport> m = new MiniHost().add("00:01.0", null, rootPort(1, true))
                .add("01:00.0", "00:01.0", i350).add("01:00.1", "00:01.0", i350).run();
        assertEquals(List.of("0000:01:00.1"), m.get("0000:01:00.1").predictedIommuGroup());
    }

    @Test
    void rootPortsWithoutAcsOnOneSlotMergeTheirSubtrees() {
        byte[] mfPort = ConfigSpaceBuilder.bridge(0x8086, 0x3a40, 0, 1, 1).multifunction().pcie(4, false).build();
        byte[] mfPort2 = ConfigSpaceBuilder.bridge(0x8086, 0x3a42, 0, 2, 2).multifunction().pcie(4, false).build();
        Map<String, DeviceReport> m = new MiniHost().add("00:1c.0", null, mfPort).add("00:1c.1", null, mfPort2)
                .add("01:00.0", "00:1c.0", ep(false)).add("02:00.0", "00:1c.1", ep(false)).run();
        assertEquals(List.of("0000:00:1c.0", "0000:00:1c.1", "0000:01:00.0", "0000:02:00.0"),
                m.get("0000:02:00.0").predictedIommuGroup());
        assertEquals(List.of("0000:01:00.0"), m.get("0000:02:00.0").mustMoveWith());
    }

    @Test
    void liveGroupOverridesPredictionForMustMoveWith() {
        byte[] port = rootPort(1, true);
        Map<String, DeviceReport> m = new MiniHost()
                .add("00:01.0", null, port, List.of(), List.of(), 1)
                .add("01:00.0", "00:01.0", ep(false), List.of(), List.of(), 7)
                .add("00:02.0", null, ep(false), List.of(), List.of(), 7) // e.g. an ACS override merged them
                .iommu(IommuFactsFixtures.active()).run();
        DeviceReport d = m.get("0000:01:00.0");
        assertEquals(List.of("0000:01:00.0"), d.predictedIommuGroup());
        assertEquals(List.of("0000:00:02.0"), d.mustMoveWith());
        assertEquals(Severity.INFO, DeviceRulesTest.reason(d, ReasonCode.IOMMU_GROUP_PREDICTION_DIFFERS).severity());
    }
}
