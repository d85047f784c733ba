package org.ddabridge.check;

import java.util.List;

/** One survey rule: looks at a device in context and returns its reasons (empty when it has nothing to say). */
@FunctionalInterface
public interface DeviceRule {
    List<Reason> check(DeviceContext ctx);
}
