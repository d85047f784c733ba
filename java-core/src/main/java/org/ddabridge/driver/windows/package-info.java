/**
 * Windows data sources and Hyper-V control: CfgMgr32 device tree and properties, resource descriptors, WMI (JNA/COM), recorded hosts in JSON. May import: model, util, api.
 */
package org.ddabridge.driver.windows;
