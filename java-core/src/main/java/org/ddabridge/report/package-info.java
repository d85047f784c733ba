/**
 * {@code report}: the shareable HTML report of one host or a fleet. Reads survey documents (the
 * {@code survey --json} shape, saved or computed from a host image) into typed views
 * ({@link org.ddabridge.report.HostView}) and renders one self-contained HTML file: host readiness, the PCIe
 * topology drawn as SVG with IOMMU groups as enclosures, a device table, the MMIO settings and, for several
 * hosts, a fleet overview and a device-model matrix. May import: survey, check, platform, image, model, util, api.
 */
package org.ddabridge.report;
