package org.ddabridge.check;

import java.util.List;
import java.util.Map;

import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.StandardCapabilities;


/** The one place the checker turns config bytes into a {@link DecodedFunction}. */
public final class Decoding {
    private Decoding() {
    }

    public static DecodedFunction decode(String address, byte[] config) {
        return ConfigDecoder.decode(address, config == null ? new byte[0] : config);
    }

    /**
     * {@link #decode}, keeping of the capability lists only what a rule reads (the Advanced Features
     * capability, for reset): the rules read the summaries, and the full per-field maps of every capability
     * of every function were the largest part of a survey's memory while it was being judged (about 5 KB a
     * function; see tests/bench's growth figures).
     */
    public static DecodedFunction decodeForRules(String address, byte[] config) {
        return forRules(decode(address, config));
    }

    /** {@code d} without the capability maps no rule reads. */
    static DecodedFunction forRules(DecodedFunction d) {
        Map<String, Object> af = ConfigDecoder.first(d.capabilities(), StandardCapabilities.ADVANCED_FEATURES);
        return new DecodedFunction(d.address(), d.vendorId(), d.deviceId(), d.classCode(), d.headerType(),
                d.multiFunction(), d.configSize(), d.interruptPin(), af == null ? List.of() : List.of(af), List.of(),
                d.pcie(), d.msi(), d.msix(), d.pm(), d.acs(), d.sriov(), d.bridge(), d.ari(), d.ats(), d.findings());
    }
}
