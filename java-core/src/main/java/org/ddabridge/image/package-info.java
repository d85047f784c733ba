/**
 * Host images: a directory or {@code .tar.gz} treated as a host's root (tar reading and safe extraction). May import: util, api.
 */
package org.ddabridge.image;
