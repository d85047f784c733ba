package org.ddabridge.driver.windows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTRByReference;
import com.sun.jna.platform.win32.Cfgmgr32;
import com.sun.jna.platform.win32.Cfgmgr32Util;
import com.sun.jna.ptr.IntByReference;

import org.ddabridge.model.windows.HostProperties;
import org.ddabridge.model.windows.MemoryRange;
/**
 * The live Windows source: walks the device node tree with CfgMgr32 (present nodes only: the tree holds
 * nothing else), keeps the nodes whose instance id starts with {@code PCI\}, and reads for each its DEVPKEY
 * properties ({@code CM_Get_DevNode_PropertyW}), status ({@code CM_Get_DevNode_Status}) and allocated
 * resources.
 *
 * <p>Allocated resources come from the node's allocated logical configuration
 * ({@code CM_Get_First_Log_Conf(ALLOC_LOG_CONF)} then {@code CM_Get_Next_Res_Des} for {@code ResType_Mem},
 * {@code ResType_MemLarge} and {@code ResType_IRQ}) rather than from WMI's {@code Win32_PnPAllocatedResource}:
 * it is the same data the WMI provider reports, read per node without one WMI query per device. A disabled
 * node has no allocated configuration, so its lists come back empty (the survey does not look at them then).
 *
 * <p>Host facts come from {@link HyperVWmi#hostProperties()} (WMI, fail-soft).
 */
public final class CfgMgrDeviceSource implements WindowsDeviceSource {
    private static final Cfgmgr32Ext CM = Cfgmgr32Ext.INSTANCE;
    /** Property buffers start here and grow to what CR_BUFFER_SMALL asks for. */
    private static final int INITIAL_BUFFER = 512;

    @Override
    public List<DeviceProperties> devices() {
        List<DeviceProperties> out = new ArrayList<>();
        IntByReference root = new IntByReference();
        if (CM.CM_Locate_DevNode(root, null, Cfgmgr32Ext.CM_LOCATE_DEVNODE_NORMAL) != Cfgmgr32.CR_SUCCESS) {
            return out;
        }
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(root.getValue());
        IntByReference next = new IntByReference();
        while (!todo.isEmpty()) {
            int node = todo.pop();
            if (CM.CM_Get_Child(next, node, 0) == Cfgmgr32.CR_SUCCESS) {
                int child = next.getValue();
                todo.push(child);
                while (CM.CM_Get_Sibling(next, child, 0) == Cfgmgr32.CR_SUCCESS) {
                    child = next.getValue();
                    todo.push(child);
                }
            }
            String id;
            try {
                id = Cfgmgr32Util.CM_Get_Device_ID(node);
            } catch (Cfgmgr32Util.Cfgmgr32Exception e) {
                continue;
            }
            if (id.toUpperCase(Locale.ROOT).startsWith("PCI\\")) {
                out.add(read(node, id));
            }
        }
        return out;
    }

    /** Everything about one node. */
    static DeviceProperties read(int node, String instanceId) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (DevPropKeys.Key key : DevPropKeys.ALL) {
            Object v = property(node, key);
            if (v != null) {
                props.put(key.name(), v);
            }
        }
        IntByReference status = new IntByReference();
        IntByReference problem = new IntByReference();
        Integer st = null;
        Integer pr = null;
        if (CM.CM_Get_DevNode_Status(status, problem, node, 0) == Cfgmgr32.CR_SUCCESS) {
            st = status.getValue();
            pr = (st & DevPropKeys.DN_HAS_PROBLEM) != 0 ? problem.getValue() : 0;
        }
        List<MemoryRange> memory = new ArrayList<>();
        List<Long> irqs = new ArrayList<>();
        allocatedResources(node, memory, irqs);
        return new DeviceProperties(instanceId, props, st, pr, memory, irqs);
    }

    /** One DEVPKEY, decoded; null when absent or unreadable. */
    static Object property(int node, DevPropKeys.Key key) {
        DevPropKeyStructure k = DevPropKeyStructure.of(key);
        IntByReference type = new IntByReference();
        IntByReference size = new IntByReference(INITIAL_BUFFER);
        Memory buf = new Memory(INITIAL_BUFFER);
        int cr = CM.CM_Get_DevNode_PropertyW(node, k, type, buf, size, 0);
        if (cr == Cfgmgr32.CR_BUFFER_SMALL && size.getValue() > 0) {
            buf = new Memory(size.getValue());
            cr = CM.CM_Get_DevNode_PropertyW(node, k, type, buf, size, 0);
        }
        if (cr != Cfgmgr32.CR_SUCCESS) {
            return null;
        }
        int len = size.getValue();
        byte[] bytes = len > 0 ? buf.getByteArray(0, len) : new byte[0];
        return DevPropType.decode(type.getValue(), bytes, len);
    }

    /** Walks the allocated logical configuration's memory and IRQ descriptors. */
    static void allocatedResources(int node, List<MemoryRange> memory, List<Long> irqs) {
        ULONG_PTRByReference logConf = new ULONG_PTRByReference();
        if (CM.CM_Get_First_Log_Conf(logConf, node, Cfgmgr32Ext.ALLOC_LOG_CONF) != Cfgmgr32.CR_SUCCESS) {
            return;
        }
        ULONG_PTR conf = logConf.getValue();
        try {
            ULONG_PTR cur = conf;
            ULONG_PTRByReference nextDes = new ULONG_PTRByReference();
            IntByReference resType = new IntByReference();
            boolean first = true;
            while (CM.CM_Get_Next_Res_Des(nextDes, cur, Cfgmgr32Ext.RES_TYPE_ALL, resType, 0) == Cfgmgr32.CR_SUCCESS) {
                if (!first) {
                    CM.CM_Free_Res_Des_Handle(cur);
                }
                first = false;
                cur = nextDes.getValue();
                int t = resType.getValue();
                if (t != Cfgmgr32Ext.RES_TYPE_MEM && t != Cfgmgr32Ext.RES_TYPE_MEM_LARGE
                        && t != Cfgmgr32Ext.RES_TYPE_IRQ) {
                    continue;
                }
                IntByReference sz = new IntByReference();
                if (CM.CM_Get_Res_Des_Data_Size(sz, cur, 0) != Cfgmgr32.CR_SUCCESS || sz.getValue() <= 0) {
                    continue;
                }
                Memory data = new Memory(sz.getValue());
                if (CM.CM_Get_Res_Des_Data(cur, data, sz.getValue(), 0) != Cfgmgr32.CR_SUCCESS) {
                    continue;
                }
                byte[] bytes = data.getByteArray(0, sz.getValue());
                if (t == Cfgmgr32Ext.RES_TYPE_IRQ) {
                    ResourceDescriptors.interrupt(bytes, bytes.length).ifPresent(irqs::add);
                } else {
                    ResourceDescriptors.memory(bytes, bytes.length).ifPresent(memory::add);
                }
            }
            if (!first) {
                CM.CM_Free_Res_Des_Handle(cur);
            }
        } finally {
            CM.CM_Free_Log_Conf_Handle(conf);
        }
    }

    /** Locates a present device node by instance id; -1 when there is none. */
    public static int locate(String instanceId) {
        IntByReference node = new IntByReference();
        int cr = CM.CM_Locate_DevNode(node, instanceId, Cfgmgr32Ext.CM_LOCATE_DEVNODE_NORMAL);
        return cr == Cfgmgr32.CR_SUCCESS ? node.getValue() : -1;
    }

    @Override
    public HostProperties host() {
        return HyperVWmi.hostProperties();
    }
}
