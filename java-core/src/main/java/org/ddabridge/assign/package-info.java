/**
 * Changing which driver holds a function, platform-neutral parts: typed plan steps ({@link
 * org.ddabridge.assign.StepAction}, {@link org.ddabridge.assign.PlannedStep}), guards ({@link
 * org.ddabridge.assign.GuardCode}) and the host-use guards built from the survey's reasons. Executors live
 * in {@code assign.linux} (sysfs, journal, lock, rollback, repair, pool) and {@code assign.windows}
 * (Hyper-V). May import: survey, check, platform, driver, model, util, api.
 */
package org.ddabridge.assign;
