package org.ddabridge.driver.windows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.jna.platform.win32.COM.COMException;
import com.sun.jna.platform.win32.COM.COMUtils;
import com.sun.jna.platform.win32.COM.Wbemcli;
import com.sun.jna.platform.win32.COM.WbemcliUtil;
import com.sun.jna.platform.win32.OaIdl.SAFEARRAY;
import com.sun.jna.platform.win32.Ole32;
import com.sun.jna.platform.win32.OleAuto;
import com.sun.jna.platform.win32.Variant;
import com.sun.jna.platform.win32.Variant.VARIANT;
import com.sun.jna.platform.win32.WTypes;
import com.sun.jna.platform.win32.WTypes.BSTR;
import com.sun.jna.platform.win32.WTypes.BSTRByReference;
import com.sun.jna.platform.win32.WinNT.HRESULT;
import com.sun.jna.ptr.PointerByReference;

/**
 * The one way into WMI (after OSHI's {@code WmiQueryHandler}): every call runs on a dedicated thread that
 * initialises COM (multithreaded apartment) and process security, is bounded by a timeout, and fails soft:
 * {@link #run} returns empty and records why in {@link #failures()} instead of throwing. A namespace whose
 * transport failed (COM, connection) is remembered and not asked again; a method's own failure is not.
 * Windows only.
 *
 * <p>Method calls ({@link Session#execMethod}) use {@code IWbemServices::ExecMethod} through
 * {@link WbemComExt}; asynchronous Hyper-V jobs (return value 4096) are polled until they finish.
 */
public final class WmiHandler {
    /** Hyper-V's namespace. */
    public static final String VIRTUALIZATION = "ROOT\\virtualization\\v2";
    /** WMI's default namespace. */
    public static final String CIMV2 = "ROOT\\CIMV2";
    // winerror.h / objbase.h values used below.
    private static final int COINIT_MULTITHREADED = 0x0;
    private static final int RPC_C_AUTHN_LEVEL_DEFAULT = 0;
    private static final int RPC_C_IMP_LEVEL_IMPERSONATE = 3;
    private static final int EOAC_NONE = 0;
    private static final int RPC_E_TOO_LATE = 0x80010119;
    /** Hyper-V method return: job started. */
    public static final int JOB_STARTED = 4096;
    // CIM_ConcreteJob JobState: 7 Completed, 8 Terminated, 9 Killed, 10 Exception (11 Service, 12 Query
    // Pending and 2-6 are a job still under way).
    private static final int JOB_COMPLETED = 7;
    private static final int JOB_TERMINATED = 8;
    private static final int JOB_KILLED = 9;
    private static final int JOB_EXCEPTION = 10;

    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ddabridge-wmi");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private final Apartment apartment;

    public WmiHandler(Duration timeout) {
        this(timeout, WmiHandler::comApartment);
    }

    /** With another apartment: tests run the handler's bookkeeping without COM. */
    WmiHandler(Duration timeout, Apartment apartment) {
        this.timeout = timeout;
        this.apartment = apartment;
    }

    /** Enters the thread's COM apartment; the returned handle leaves it. */
    @FunctionalInterface
    interface Apartment {
        AutoCloseable enter() throws Exception;
    }

    private static AutoCloseable comApartment() {
        HRESULT hr = Ole32.INSTANCE.CoInitializeEx(null, COINIT_MULTITHREADED);
        boolean uninit = COMUtils.SUCCEEDED(hr);
        HRESULT sec = Ole32.INSTANCE.CoInitializeSecurity(null, -1, null, null, RPC_C_AUTHN_LEVEL_DEFAULT,
                RPC_C_IMP_LEVEL_IMPERSONATE, null, EOAC_NONE, null);
        if (COMUtils.FAILED(sec) && sec.intValue() != RPC_E_TOO_LATE) {
            if (uninit) {
                Ole32.INSTANCE.CoUninitialize();
            }
            throw new COMException("CoInitializeSecurity failed", sec);
        }
        return () -> {
            if (uninit) {
                Ole32.INSTANCE.CoUninitialize();
            }
        };
    }

    /** What went wrong so far (timeouts, COM errors), oldest first. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** A unit of WMI work. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Session s) throws Exception;
    }

    /**
     * Runs {@code work} on the WMI thread with COM initialised; empty (and a recorded failure) on any error,
     * on timeout, or when {@code key} (a namespace or class) failed before.
     */
    public <T> Optional<T> run(String key, Work<T> work) {
        if (failed.contains(key)) {
            return Optional.empty();
        }
        Future<T> f = thread.submit(() -> {
            try (AutoCloseable com = apartment.enter(); Session s = new Session()) {
                return work.run(s);
            }
        });
        try {
            return Optional.ofNullable(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            f.cancel(true);
            failures.add(key + ": timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            // Only a broken transport (COM, the connection, JNA) makes the namespace unusable; a method's own
            // answer (a return code, a failed job, NotInPool) says nothing about the next call, and the
            // rollback's calls must still run.
            if (transportFailure(e.getCause())) {
                failed.add(key);
            }
            failures.add(key + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(key + ": interrupted");
        }
        return Optional.empty();
    }

    /** True for failures of COM or of the connection itself (as opposed to a method's answer). */
    static boolean transportFailure(Throwable t) {
        return t instanceof COMException || t instanceof LinkageError;
    }

    /** Where a CIM_ConcreteJob stands. */
    enum JobProgress { RUNNING, COMPLETED, FAILED }

    /** A CIM_ConcreteJob's {@code JobState} read as progress. */
    static JobProgress jobProgress(int jobState) {
        // 11 Service and 12 Query Pending are states of a live job, not outcomes: keep polling.
        return switch (jobState) {
            case JOB_COMPLETED -> JobProgress.COMPLETED;
            case JOB_TERMINATED, JOB_KILLED, JOB_EXCEPTION -> JobProgress.FAILED;
            default -> JobProgress.RUNNING;
        };
    }

    /** Connections (one per namespace) and helpers, valid on the WMI thread only. */
    public static final class Session implements AutoCloseable {
        private final Map<String, WbemComExt.Services> services = new HashMap<>();

        WbemComExt.Services services(String namespace) {
            return services.computeIfAbsent(namespace,
                    ns -> new WbemComExt.Services(WbemcliUtil.connectServer(ns).getPointer()));
        }

        /** One property of the object at a WMI object path (null when it has none). */
        public Object property(String namespace, String objectPath, String name) {
            Wbemcli.IWbemClassObject o = services(namespace).GetObject(objectPath, 0, null);
            try {
                return get(o, name);
            } finally {
                o.Release();
            }
        }

        /** Runs a WQL query; each row holds {@code props} plus {@code __PATH}. */
        public List<Map<String, Object>> query(String namespace, String wql, String... props) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (WbemComExt.ClassObject o : objects(namespace, wql)) {
                try {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("__PATH", get(o, "__PATH"));
                    for (String p : props) {
                        row.put(p, get(o, p));
                    }
                    rows.add(row);
                } finally {
                    o.Release();
                }
            }
            return rows;
        }

        /** Runs a WQL query and returns the objects (the caller releases them). */
        public List<WbemComExt.ClassObject> objects(String namespace, String wql) {
            Wbemcli.IEnumWbemClassObject en = services(namespace).ExecQuery("WQL", wql,
                    Wbemcli.WBEM_FLAG_FORWARD_ONLY | Wbemcli.WBEM_FLAG_RETURN_IMMEDIATELY, null);
            List<WbemComExt.ClassObject> out = new ArrayList<>();
            try {
                while (true) {
                    Wbemcli.IWbemClassObject[] batch = en.Next(Wbemcli.WBEM_INFINITE, 16);
                    if (batch.length == 0) {
                        break;
                    }
                    for (Wbemcli.IWbemClassObject o : batch) {
                        out.add(new WbemComExt.ClassObject(o.getPointer()));
                    }
                }
            } finally {
                en.Release();
            }
            return out;
        }

        /** One property as a plain Java value (String, Boolean, Integer, Long, String[] / Object[]). */
        public static Object get(Wbemcli.IWbemClassObject o, String name) {
            VARIANT.ByReference v = new VARIANT.ByReference();
            HRESULT hr = o.Get(name, 0, v, null, null);
            if (COMUtils.FAILED(hr)) {
                return null;
            }
            try {
                return toJava(v);
            } finally {
                OleAuto.INSTANCE.VariantClear(v);
            }
        }

        static Object toJava(VARIANT v) {
            int vt = v.getVarType().intValue();
            if (vt == Variant.VT_NULL || vt == Variant.VT_EMPTY) {
                return null;
            }
            if ((vt & Variant.VT_ARRAY) != 0) {
                SAFEARRAY sa = (SAFEARRAY) v.getValue();
                List<Object> items = new ArrayList<>();
                for (int i = sa.getLBound(0); i <= sa.getUBound(0); i++) {
                    Object e = sa.getElement(i);
                    items.add(e instanceof BSTR b ? b.getValue() : e);
                }
                return items;
            }
            switch (vt) {
                case Variant.VT_BSTR:
                    return v.stringValue();
                case Variant.VT_BOOL:
                    return v.booleanValue();
                case Variant.VT_I1:
                case Variant.VT_UI1:
                case Variant.VT_I2:
                case Variant.VT_UI2:
                case Variant.VT_I4:
                case Variant.VT_UI4:
                case Variant.VT_INT:
                case Variant.VT_UINT:
                    return v.intValue();
                case Variant.VT_I8:
                case Variant.VT_UI8:
                    return v.longValue();
                default:
                    return String.valueOf(v.getValue());
            }
        }

        /** A VARIANT for a Java value: String, Boolean, Integer, Long (as text: WMI passes 64-bit values as BSTR), String[]. */
        static VARIANT.ByReference toVariant(Object value) {
            VARIANT.ByReference v = new VARIANT.ByReference();
            if (value == null) {
                v.setVarType((short) Variant.VT_NULL);
            } else if (value instanceof String s) {
                v.setValue(Variant.VT_BSTR, OleAuto.INSTANCE.SysAllocString(s));
            } else if (value instanceof Boolean b) {
                v.setValue(Variant.VT_BOOL, b ? Variant.VARIANT_TRUE : Variant.VARIANT_FALSE);
            } else if (value instanceof Integer i) {
                v.setValue(Variant.VT_I4, new com.sun.jna.platform.win32.WinDef.LONG(i));
            } else if (value instanceof Long l) {
                v.setValue(Variant.VT_BSTR, OleAuto.INSTANCE.SysAllocString(Long.toString(l)));
            } else if (value instanceof String[] arr) {
                SAFEARRAY sa = SAFEARRAY.createSafeArray(new WTypes.VARTYPE(Variant.VT_BSTR), arr.length);
                for (int i = 0; i < arr.length; i++) {
                    sa.putElement(arr[i], i);
                }
                v.setValue(sa);
            } else {
                throw new IllegalArgumentException("no VARIANT for " + value.getClass());
            }
            return v;
        }

        /** Sets properties on an object. */
        public static void put(WbemComExt.ClassObject o, Map<String, Object> props) {
            for (Map.Entry<String, Object> e : props.entrySet()) {
                VARIANT.ByReference v = toVariant(e.getValue());
                try {
                    COMUtils.checkRC(o.Put(e.getKey(), v));
                } finally {
                    OleAuto.INSTANCE.VariantClear(v);
                }
            }
        }

        /** The class definition (caller releases). */
        public WbemComExt.ClassObject classObject(String namespace, String className) {
            Wbemcli.IWbemClassObject c = services(namespace).GetObject(className, 0, null);
            return new WbemComExt.ClassObject(c.getPointer());
        }

        /** A new instance of {@code className} with {@code props}, as embedded-instance text (WMI DTD 2.0). */
        public String embeddedInstance(String namespace, String className, Map<String, Object> props) {
            WbemComExt.ClassObject cls = classObject(namespace, className);
            try {
                PointerByReference inst = new PointerByReference();
                COMUtils.checkRC(cls.SpawnInstance(inst));
                WbemComExt.ClassObject o = new WbemComExt.ClassObject(inst.getValue());
                try {
                    put(o, props);
                    return text(o);
                } finally {
                    o.Release();
                }
            } finally {
                cls.Release();
            }
        }

        /** An object as embedded-instance text (IWbemObjectTextSrc, WMI DTD 2.0). */
        public String text(WbemComExt.ClassObject o) {
            PointerByReference p = new PointerByReference();
            COMUtils.checkRC(Ole32.INSTANCE.CoCreateInstance(WbemComExt.CLSID_WBEM_OBJECT_TEXT_SRC, null,
                    com.sun.jna.platform.win32.WTypes.CLSCTX_INPROC_SERVER, WbemComExt.IID_IWBEM_OBJECT_TEXT_SRC, p));
            WbemComExt.ObjectTextSrc src = new WbemComExt.ObjectTextSrc(p.getValue());
            try {
                BSTRByReference text = new BSTRByReference();
                COMUtils.checkRC(src.GetText(o.getPointer(), WbemComExt.WMI_OBJ_TEXT_WMI_DTD_2_0, text));
                try {
                    return text.getString();
                } finally {
                    OleAuto.INSTANCE.SysFreeString(text.getValue());
                }
            } finally {
                src.Release();
            }
        }

        /**
         * Calls {@code method} of the object at {@code objectPath} (class {@code className}) with {@code in}
         * parameters; waits for a job it starts. Returns the out parameters (with {@code ReturnValue}); throws
         * {@link WmiMethodException} when the method or its job fails.
         */
        public Map<String, Object> execMethod(String namespace, String objectPath, String className, String method,
                Map<String, Object> in, String... outNames) {
            WbemComExt.Services svc = services(namespace);
            WbemComExt.ClassObject cls = classObject(namespace, className);
            WbemComExt.ClassObject params = null;
            try {
                PointerByReference inSig = new PointerByReference();
                COMUtils.checkRC(cls.GetMethod(method, inSig, new PointerByReference()));
                if (inSig.getValue() != null) {
                    WbemComExt.ClassObject sig = new WbemComExt.ClassObject(inSig.getValue());
                    PointerByReference inst = new PointerByReference();
                    COMUtils.checkRC(sig.SpawnInstance(inst));
                    sig.Release();
                    params = new WbemComExt.ClassObject(inst.getValue());
                    put(params, in);
                }
                PointerByReference outP = new PointerByReference();
                BSTR path = OleAuto.INSTANCE.SysAllocString(objectPath);
                BSTR name = OleAuto.INSTANCE.SysAllocString(method);
                try {
                    COMUtils.checkRC(svc.ExecMethod(path, name, 0, null,
                            params == null ? null : params.getPointer(), outP));
                } finally {
                    OleAuto.INSTANCE.SysFreeString(path);
                    OleAuto.INSTANCE.SysFreeString(name);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                if (outP.getValue() != null) {
                    WbemComExt.ClassObject o = new WbemComExt.ClassObject(outP.getValue());
                    try {
                        out.put("ReturnValue", get(o, "ReturnValue"));
                        out.put("Job", get(o, "Job"));
                        for (String n : outNames) {
                            out.put(n, get(o, n));
                        }
                    } finally {
                        o.Release();
                    }
                }
                Object rv = out.get("ReturnValue");
                int code = rv instanceof Number n ? n.intValue() : -1;
                if (code == JOB_STARTED) {
                    if (!(out.get("Job") instanceof String job) || job.isEmpty()) {
                        throw new WmiMethodException(method + " started a job (4096) but returned no Job reference: "
                                + "its outcome cannot be followed", code);
                    }
                    waitForJob(namespace, job, method);
                } else if (code != 0) {
                    throw new WmiMethodException(method + " returned " + code, code);
                }
                return out;
            } finally {
                if (params != null) {
                    params.Release();
                }
                cls.Release();
            }
        }

        private void waitForJob(String namespace, String jobPath, String method) {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < end) {
                Wbemcli.IWbemClassObject job = services(namespace).GetObject(jobPath, 0, null);
                try {
                    Object state = get(job, "JobState");
                    int s = state instanceof Number n ? n.intValue() : -1;
                    JobProgress p = jobProgress(s);
                    if (p == JobProgress.COMPLETED) {
                        return;
                    }
                    if (p == JobProgress.FAILED) {
                        Object err = get(job, "ErrorDescription");
                        Object code = get(job, "ErrorCode");
                        throw new WmiMethodException(method + " job failed (JobState " + s + "): " + err,
                                code instanceof Number n ? n.intValue() : -1);
                    }
                } finally {
                    job.Release();
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WmiMethodException(method + " interrupted while waiting for its job", -1);
                }
            }
            throw new WmiMethodException(method + " job did not finish within 5 minutes", -1);
        }

        @Override
        public void close() {
            for (WbemComExt.Services s : services.values()) {
                s.Release();
            }
            services.clear();
        }
    }

    /** A WMI method or its job reported failure. */
    public static final class WmiMethodException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        public WmiMethodException(String message, int code) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
