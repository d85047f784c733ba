package org.ddabridge.pci;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One row of a capability table: the id, its name, how many bytes the decoder reads, and the decoder.
 *
 * @param id        8-bit standard or 16-bit extended capability id
 * @param name      the capability's name in the PCI / PCIe specifications
 * @param minLength bytes from the capability header the decoder needs; fewer present is a truncation finding
 * @param decoder   adds the decoded fields to the capability's map
 */
record CapabilityType(int id, String name, int minLength, FieldDecoder decoder) {

    /** Decodes the fields of one capability instance into {@code out}; reads are already bounds-checked. */
    @FunctionalInterface
    interface FieldDecoder {
        void decode(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding);
    }

    /** Decoder for capabilities we only name. */
    static final FieldDecoder NAME_ONLY = (cs, at, out, finding) -> {
    };

    static CapabilityType named(int id, String name) {
        return new CapabilityType(id, name, 0, NAME_ONLY);
    }
}
