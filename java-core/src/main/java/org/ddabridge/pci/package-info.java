/**
 * The config-space decoder (table-driven, bounds-checked, loop-guarded capability walks) and {@link org.ddabridge.pci.PciClass}, the only place that knows bridge, host bridge and endpoint. Imports nothing of the engine.
 */
package org.ddabridge.pci;
