package org.ddabridge.check;

/**
 * One observed fact behind a check or reason.
 *
 * @param source where it was read: a file relative to the host root ({@code sys/firmware/acpi/tables/DMAR}),
 *               {@code config:0000:01:00.0} for config space, {@code dmesg}, {@code topology}
 * @param value  what was seen there ({@code flags=0x01})
 */
public record Evidence(String source, String value) {
    /**
     * Written out: a record's generated equals links through method handles on first use, spinning some twenty
     * classes in a cold start that no class-data sharing archive keeps (the generated hashCode, consistent with
     * this, is left as it is).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence e && java.util.Objects.equals(source, e.source)
                && java.util.Objects.equals(value, e.value);
    }
}
