package org.ddabridge.driver.windows;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.model.windows.MemoryRange;
/**
 * What Windows says about one present PCI device node, before any interpretation: a property bag keyed by
 * DEVPKEY name ({@link DevPropKeys.Key#name()}) plus the node's allocated resources and status.
 *
 * <p>Values are the decoded forms of {@link DevPropType#decode}: {@link Long}, {@link Boolean}, {@link String},
 * {@code List<String>}. Absent properties are absent keys.
 *
 * @param instanceId    device instance id ({@code PCI\VEN_…\…})
 * @param properties    DEVPKEY name -> value
 * @param status        {@code CM_Get_DevNode_Status} status bits, or null when unknown
 * @param problem       {@code CM_Get_DevNode_Status} problem code (0 = none), or null when unknown
 * @param memory        allocated memory ranges; empty when none; null when not read
 * @param interrupts    allocated interrupt numbers as Windows numbers them (message-signalled ones near
 *                      2^32); empty when none; null when not read
 */
public record DeviceProperties(String instanceId, Map<String, Object> properties, Integer status, Integer problem,
        List<MemoryRange> memory, List<Long> interrupts) {
    public DeviceProperties {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        memory = memory == null ? null : List.copyOf(memory);
        interrupts = interrupts == null ? null : List.copyOf(interrupts);
    }

    /** The raw value, or null. */
    public Object get(DevPropKeys.Key key) {
        return properties.get(key.name());
    }

    /** A string property, or null (the first element of a list). */
    public String string(DevPropKeys.Key key) {
        Object v = get(key);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof List<?> l && !l.isEmpty()) {
            return String.valueOf(l.get(0));
        }
        return null;
    }

    /** A string-list property; empty when absent, one element for a plain string. */
    public List<String> strings(DevPropKeys.Key key) {
        Object v = get(key);
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return v instanceof String s ? List.of(s) : List.of();
    }

    /** An integer property (booleans count as 0/1), or null. */
    public Integer integer(DevPropKeys.Key key) {
        Object v = get(key);
        if (v instanceof Number n) {
            return (int) n.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Integer.decode(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A boolean property (numbers: non-zero is true), or null. */
    public Boolean bool(DevPropKeys.Key key) {
        Object v = get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        return null;
    }
}
