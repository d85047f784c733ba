package org.ddabridge.driver.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTRByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.W32APIOptions;

/**
 * CfgMgr32 functions jna-platform 5.13's {@link com.sun.jna.platform.win32.Cfgmgr32} lacks. Declarations follow
 * cfgmgr32.h (Windows SDK); {@code DEVINST} is a 32-bit {@code DWORD}, {@code LOG_CONF} and {@code RES_DES}
 * are pointer-sized {@code DWORD_PTR}s, {@code RESOURCEID} and {@code DEVPROPTYPE} are {@code ULONG}s.
 *
 * <p>This interface should be considered non-API; it may go away once jna-platform maps these functions.
 * Loading it ({@link #INSTANCE}) only works on Windows.
 */
public interface Cfgmgr32Ext extends com.sun.jna.platform.win32.Cfgmgr32 {
    /** The loaded library (Windows only: touching this elsewhere throws UnsatisfiedLinkError). */
    Cfgmgr32Ext INSTANCE = Native.load("Cfgmgr32", Cfgmgr32Ext.class, W32APIOptions.DEFAULT_OPTIONS);

    // cfgmgr32.h: CM_Get_First_Log_Conf flags.
    int BASIC_LOG_CONF = 0x00000000;
    int FILTERED_LOG_CONF = 0x00000001;
    int ALLOC_LOG_CONF = 0x00000002;
    int BOOT_LOG_CONF = 0x00000003;

    // cfgmgr32.h: resource types.
    int RES_TYPE_ALL = 0x00000000;
    int RES_TYPE_MEM = 0x00000001;
    int RES_TYPE_IO = 0x00000002;
    int RES_TYPE_DMA = 0x00000003;
    int RES_TYPE_IRQ = 0x00000004;
    int RES_TYPE_MEM_LARGE = 0x00000007;

    // cfgmgr32.h: CM_Disable_DevNode flags.
    int CM_DISABLE_POLITE = 0x00000000;
    int CM_DISABLE_ABSOLUTE = 0x00000001;
    int CM_DISABLE_HARDWARE = 0x00000002;
    int CM_DISABLE_UI_NOT_OK = 0x00000004;
    int CM_DISABLE_PERSIST = 0x00000008;

    // cfgmgr32.h: CM_Locate_DevNode flags.
    int CM_LOCATE_DEVNODE_NORMAL = 0x00000000;

    /** cfgmgr32.h: {@code CM_Get_DevNode_PropertyW(DEVINST, const DEVPROPKEY*, DEVPROPTYPE*, PBYTE, PULONG, ULONG)}. */
    int CM_Get_DevNode_PropertyW(int dnDevInst, DevPropKeyStructure propertyKey, IntByReference propertyType,
            Pointer propertyBuffer, IntByReference propertyBufferSize, int ulFlags);

    /** cfgmgr32.h: {@code CM_Get_DevNode_Status(PULONG, PULONG, DEVINST, ULONG)}. */
    int CM_Get_DevNode_Status(IntByReference pulStatus, IntByReference pulProblemNumber, int dnDevInst, int ulFlags);

    /** cfgmgr32.h: {@code CM_Disable_DevNode(DEVINST, ULONG)}. */
    int CM_Disable_DevNode(int dnDevInst, int ulFlags);

    /** cfgmgr32.h: {@code CM_Enable_DevNode(DEVINST, ULONG)}. */
    int CM_Enable_DevNode(int dnDevInst, int ulFlags);

    /** cfgmgr32.h: {@code CM_Get_First_Log_Conf(PLOG_CONF, DEVINST, ULONG)}. */
    int CM_Get_First_Log_Conf(ULONG_PTRByReference plcLogConf, int dnDevInst, int ulFlags);

    /** cfgmgr32.h: {@code CM_Get_Next_Res_Des(PRES_DES, RES_DES, RESOURCEID, PRESOURCEID, ULONG)}. */
    int CM_Get_Next_Res_Des(ULONG_PTRByReference prdResDes, ULONG_PTR rdResDes, int forResource,
            IntByReference pResourceId, int ulFlags);

    /** cfgmgr32.h: {@code CM_Get_Res_Des_Data_Size(PULONG, RES_DES, ULONG)}. */
    int CM_Get_Res_Des_Data_Size(IntByReference pulSize, ULONG_PTR rdResDes, int ulFlags);

    /** cfgmgr32.h: {@code CM_Get_Res_Des_Data(RES_DES, PVOID, ULONG, ULONG)}. */
    int CM_Get_Res_Des_Data(ULONG_PTR rdResDes, Pointer buffer, int bufferLen, int ulFlags);

    /** cfgmgr32.h: {@code CM_Free_Res_Des_Handle(RES_DES)}. */
    int CM_Free_Res_Des_Handle(ULONG_PTR rdResDes);

    /** cfgmgr32.h: {@code CM_Free_Log_Conf_Handle(LOG_CONF)}. */
    int CM_Free_Log_Conf_Handle(ULONG_PTR lcLogConf);
}
