/**
 * Facts a Windows host reports (DEVPKEY properties, Hyper-V host properties, allocated memory), typed but not judged. May import: model, util, api.
 */
package org.ddabridge.model.windows;
