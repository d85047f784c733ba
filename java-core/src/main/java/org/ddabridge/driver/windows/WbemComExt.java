package org.ddabridge.driver.windows;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid.CLSID;
import com.sun.jna.platform.win32.Guid.IID;
import com.sun.jna.platform.win32.Variant.VARIANT;
import com.sun.jna.platform.win32.WTypes.BSTR;
import com.sun.jna.platform.win32.WTypes.BSTRByReference;
import com.sun.jna.platform.win32.WinNT.HRESULT;
import com.sun.jna.platform.win32.COM.Unknown;
import com.sun.jna.platform.win32.COM.Wbemcli;
import com.sun.jna.ptr.PointerByReference;

/**
 * The COM methods WMI method calls need that jna-platform 5.13's {@link Wbemcli} does not map, called through
 * the interfaces' vtables like jna-platform itself does. Slot numbers count the methods in wbemcli.h's
 * declaration order, IUnknown's three first. Non-API; Windows only.
 */
public final class WbemComExt {
    /** wbemcli.h: CLSID_WbemObjectTextSrc. */
    public static final CLSID CLSID_WBEM_OBJECT_TEXT_SRC = new CLSID("{8D1C559D-84F0-4BB3-A7D5-56A7435A9BA6}");
    /** wbemcli.h: IID_IWbemObjectTextSrc. */
    public static final IID IID_IWBEM_OBJECT_TEXT_SRC = new IID("{BFBF883A-CAD7-11D3-A11B-00105A1F515A}");
    /** wbemcli.h WMI_OBJ_TEXT: CIM DTD 2.0 XML. */
    public static final int WMI_OBJ_TEXT_CIM_DTD_2_0 = 1;
    /** wbemcli.h WMI_OBJ_TEXT: WMI DTD 2.0 XML (what Hyper-V's samples send as embedded instances). */
    public static final int WMI_OBJ_TEXT_WMI_DTD_2_0 = 2;

    private WbemComExt() {
    }

    /** IWbemServices plus ExecMethod (slot 24). */
    public static final class Services extends Wbemcli.IWbemServices {
        public Services(Pointer p) {
            super(p);
        }

        /** {@code ExecMethod(BSTR path, BSTR method, long flags, IWbemContext*, IWbemClassObject* in, out, callResult)}. */
        public HRESULT ExecMethod(BSTR objectPath, BSTR methodName, int flags, Pointer ctx, Pointer inParams,
                PointerByReference outParams) {
            return (HRESULT) _invokeNativeObject(24,
                    new Object[] {getPointer(), objectPath, methodName, flags, ctx, inParams, outParams, null},
                    HRESULT.class);
        }
    }

    /** IWbemClassObject plus Put (5), GetObjectText (13), SpawnInstance (15), GetMethod (19). */
    public static final class ClassObject extends Wbemcli.IWbemClassObject {
        public ClassObject(Pointer p) {
            super(p);
        }

        public HRESULT Put(String name, VARIANT.ByReference value) {
            return (HRESULT) _invokeNativeObject(5, new Object[] {getPointer(), new WString(name), 0, value, 0},
                    HRESULT.class);
        }

        public HRESULT SpawnInstance(PointerByReference instance) {
            return (HRESULT) _invokeNativeObject(15, new Object[] {getPointer(), 0, instance}, HRESULT.class);
        }

        public HRESULT GetMethod(String name, PointerByReference inSignature, PointerByReference outSignature) {
            return (HRESULT) _invokeNativeObject(19,
                    new Object[] {getPointer(), new WString(name), 0, inSignature, outSignature}, HRESULT.class);
        }
    }

    /** IWbemObjectTextSrc: GetText (slot 3). */
    public static final class ObjectTextSrc extends Unknown {
        public ObjectTextSrc(Pointer p) {
            super(p);
        }

        public HRESULT GetText(Pointer object, int format, BSTRByReference text) {
            return (HRESULT) _invokeNativeObject(3, new Object[] {getPointer(), 0, object, format, null, text},
                    HRESULT.class);
        }
    }
}
