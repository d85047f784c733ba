package org.ddabridge.check;

import java.util.List;

/**
 * One survey rule: looks at a device's {@link DeviceFacts} in context and returns its reasons (empty when it
 * has nothing to say). Rules read only the facts view, so one rule set judges every platform.
 */
@FunctionalInterface
public interface DeviceRule {
    List<Reason> check(DeviceContext ctx);
}
