/**
 * Hyper-V assignment: dismount/mount/VM add and remove through the Hyper-V control, with plans and rollback mirrored from Linux. May import: assign, survey, driver.windows, platform.spi, model, util, api.
 */
package org.ddabridge.assign.windows;
