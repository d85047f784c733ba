/**
 * Facts as typed records, read by drivers and judged by rules: PCI functions and addresses, host snapshots, IOMMU evidence, host use, the DMAR table, the kernel command line, Windows identities. No I/O. May import: util, api.
 */
package org.ddabridge.model;
