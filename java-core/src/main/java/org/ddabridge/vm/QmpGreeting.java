package org.ddabridge.vm;

import java.util.List;

/**
 * What QEMU says first on a QMP connection: its version and the protocol capabilities it offers.
 *
 * @param major        QEMU major version
 * @param minor        minor version
 * @param micro        micro version
 * @param packageName  the distribution's package string (e.g. {@code Debian 1:7.2+dfsg-7}), may be empty
 * @param capabilities offered capabilities (e.g. {@code oob})
 */
public record QmpGreeting(int major, int minor, int micro, String packageName, List<String> capabilities) {
    public QmpGreeting {
        capabilities = List.copyOf(capabilities);
        packageName = packageName == null ? "" : packageName;
    }

    public String version() {
        return major + "." + minor + "." + micro;
    }
}
