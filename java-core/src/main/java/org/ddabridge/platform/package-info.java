/**
 * {@link org.ddabridge.platform.Platforms}: the one place that decides the operating system and chooses the backend for a request. May import: platform backends, platform.spi, drivers, image, model, util, api.
 */
package org.ddabridge.platform;
