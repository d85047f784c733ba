/**
 * The command table ({@link org.ddabridge.engine.Engine}) and the request handlers that are not assignment: devices, survey, decode, capture, report, groups, mmio, pnp, devpkeys, vmhost, vfio-status, version. May import everything below it.
 */
package org.ddabridge.engine;
