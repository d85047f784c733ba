package org.ddabridge.assign.linux;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/**
 * The two names sysfs paths are built from, checked where the paths are built: a PCI address in the
 * canonical form and a plain driver name. Whatever their source (a request, the journal, a link in the
 * tree), {@code ../../x} can never become part of a path.
 */
final class Names {
    private Names() {
    }

    static String address(String a) {
        if (!JournalCodec.isAddress(a)) {
            throw new EngineException(ErrorId.InvalidArgument, "'" + JournalCodec.clip(a)
                    + "' is not a PCI address (0000:01:00.0).", JournalCodec.clip(a));
        }
        return a;
    }

    static String driver(String d) {
        if (d == null || d.isEmpty() || !JournalCodec.isDriver(d)) {
            throw new EngineException(ErrorId.InvalidArgument, "'" + JournalCodec.clip(d) + "' is not a driver name.",
                    JournalCodec.clip(d));
        }
        return d;
    }
}
