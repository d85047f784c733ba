/**
 * The lspci-dump backend: a dump is one more host, with unknown IOMMU facts and host use. May import: platform.spi, driver.dump, driver.linux (pci.ids), pci, model, util, api.
 */
package org.ddabridge.platform.dump;
