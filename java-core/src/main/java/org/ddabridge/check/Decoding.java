package org.ddabridge.check;

import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;


/** The one place the checker turns config bytes into a {@link DecodedFunction}. */
public final class Decoding {
    private Decoding() {
    }

    public static DecodedFunction decode(String address, byte[] config) {
        return ConfigDecoder.decode(address, config == null ? new byte[0] : config);
    }
}
