/**
 * The Linux backend: sysfs (live or image) to a snapshot, and the host facts (IOMMU, host use, DMAR) for the survey. May import: platform.spi, driver.linux, model, util, api.
 */
package org.ddabridge.platform.linux;
