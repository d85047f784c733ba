/**
 * Small shared helpers: the host root (every host path goes through {@link org.ddabridge.util.HostRoot}), fail-soft file reads, hex, the one Gson setup, the I/O pool and the live-mutation guard. May import: api.
 */
package org.ddabridge.util;
