/**
 * {@code capture}: writes a host image (tar.gz) of exactly what the drivers read. May import: drivers, image, model, util, api.
 */
package org.ddabridge.capture;
