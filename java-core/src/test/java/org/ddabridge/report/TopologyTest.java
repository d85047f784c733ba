package org.ddabridge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The drawing order, roles and group enclosures, on a real board (ASUS P6T6 dump) and the QEMU reference host. */
class TopologyTest {
    @Test
    void everyFunctionOnceBelowItsUpstreamBridgeInDepthFirstOrder() throws Exception {
        HostView h = SurveyParser.parse(SurveyParserTest.fixture("tree-asus-p6t6.survey.json"), "asus", "x");
        Topology t = Topology.of(h.functions());
        List<String> seen = new ArrayList<>();
        List<String> complexes = new ArrayList<>();
        for (Topology.Row r : t.rows()) {
            if (r.function() == null) {
                complexes.add(r.label());
                assertEquals(0, r.depth());
                continue;
            }
            seen.add(r.function().address());
            Topology.Row up = t.rows().get(r.parentRow());
            if (r.function().parent() == null) {
                assertEquals("root-complex", up.role(), r.toString());
            } else {
                assertEquals(r.function().parent(), up.function().address(), r.toString());
                assertEquals(up.depth() + 1, r.depth());
            }
        }
        assertEquals(List.of("0000:00", "0000:ff"), complexes);
        assertEquals(h.functions().size(), seen.size());
        assertEquals(h.functions().size(), seen.stream().distinct().count());
    }

    @Test
    void aGroupOfASubtreeIsOneEnclosure() throws Exception {
        HostView h = SurveyParser.parse(SurveyParserTest.fixture("tree-asus-p6t6.survey.json"), "asus", "x");
        Topology t = Topology.of(h.functions());
        Map<String, Integer> runs = new HashMap<>();
        for (Topology.GroupRun g : t.groups()) {
            runs.merge(g.groupKey(), 1, Integer::sum);
            for (int i = g.firstRow(); i <= g.lastRow(); i++) {
                assertEquals(g.groupKey(), t.rows().get(i).function().groupKey());
            }
        }
        // The ICH10's root ports 1c.0-1c.2 have no ACS: they and the two NICs below them are one predicted group.
        Topology.GroupRun ich = t.groups().stream().filter(g -> g.groupKey().equals("~0000:00:1c.0")).findFirst()
                .orElseThrow();
        assertEquals(5, ich.lastRow() - ich.firstRow() + 1);
        assertTrue(runs.values().stream().allMatch(n -> n == 1), "every group drawn as one enclosure: " + runs);
    }

    @Test
    void rolesFromThePortTypeEvidence() throws Exception {
        HostView h = SurveyParser.parse(SurveyParserTest.fixture("tree-asus-p6t6.survey.json"), "asus", "x");
        Map<String, String> role = new HashMap<>();
        for (Topology.Row r : Topology.of(h.functions()).rows()) {
            if (r.function() != null) {
                role.put(r.function().address(), r.role());
            }
        }
        assertEquals("host-bridge", role.get("0000:00:00.0"));
        assertEquals("root-port", role.get("0000:00:03.0"));
        assertEquals("switch-upstream", role.get("0000:02:00.0"));
        assertEquals("switch-downstream", role.get("0000:03:00.0"));
        assertEquals("bridge", role.get("0000:00:1e.0")); // the ICH10's PCI bridge (subtractive decode)
        assertEquals("endpoint", role.get("0000:04:00.0"));
    }
}
