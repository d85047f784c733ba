/**
 * The rules: data in (facts), reports out. One file per device rule ({@code *Rule}) and the host checks, group prediction, the verify-boot check of persisted assignments, ACS quirks, MMIO arithmetic, verdicts and reason codes. Never imports drivers, platforms or images. May import: pci, model, util, api.
 */
package org.ddabridge.check;
