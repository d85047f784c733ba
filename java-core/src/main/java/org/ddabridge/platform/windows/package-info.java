/**
 * The Windows backend: CfgMgr32/WMI property bags mapped to the snapshot and Windows facts. May import: platform.spi, driver.windows, model, util, api.
 */
package org.ddabridge.platform.windows;
