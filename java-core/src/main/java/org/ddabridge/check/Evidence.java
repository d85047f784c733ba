package org.ddabridge.check;

/**
 * One observed fact behind a check or reason.
 *
 * @param source where it was read: a file relative to the host root ({@code sys/firmware/acpi/tables/DMAR}),
 *               {@code config:0000:01:00.0} for config space, {@code dmesg}, {@code topology}
 * @param value  what was seen there ({@code flags=0x01})
 */
public record Evidence(String source, String value) {
}
