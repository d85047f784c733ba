/**
 * {@code lspci -xxx} dump text as a data source (parsing only). May import: model, util, api.
 */
package org.ddabridge.driver.dump;
