package org.ddabridge.driver.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.platform.win32.Guid.GUID;

/**
 * JNA view of {@code DEVPROPKEY} (devpropdef.h): {@code GUID fmtid; DEVPROPID pid;} with DEVPROPID a
 * 32-bit {@code ULONG}: 16 + 4 = 20 bytes, no padding (GUID is 4-byte aligned). Checked on Linux by
 * {@code DevPropKeyStructureTest}; non-API until jna-platform ships one.
 */
@FieldOrder({"fmtid", "pid"})
public class DevPropKeyStructure extends Structure {
    public GUID fmtid;
    public int pid;

    public DevPropKeyStructure() {
        super();
    }

    public DevPropKeyStructure(Pointer p) {
        super(p);
        read();
    }

    /** The structure for one of {@link DevPropKeys}. */
    public static DevPropKeyStructure of(DevPropKeys.Key key) {
        DevPropKeyStructure s = new DevPropKeyStructure();
        s.fmtid = new GUID(Guids.canonical(key.fmtid()));
        s.pid = key.pid();
        s.write();
        return s;
    }

    /** Byte offset of a field (exposed for the layout test). */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
