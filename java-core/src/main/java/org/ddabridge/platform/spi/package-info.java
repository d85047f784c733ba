/**
 * The contract between the survey and the platform backends: {@link org.ddabridge.platform.spi.PlatformBackend},
 * the typed host-facts dispatch. May import: model.
 */
package org.ddabridge.platform.spi;
