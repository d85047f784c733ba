package org.ddabridge.driver.linux;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * libvirt's C API ({@code libvirt.so.0}, Debian package {@code libvirt0}) through JNA; only JDK types at its surface
 * ({@code org.ddabridge.vm.LibvirtApi} is the engine-facing side).
 *
 * <p>The library is loaded when {@link #load()} is first called, never when this class loads, so the engine
 * runs on hosts without libvirt and only a libvirt request fails ({@link Unavailable}).
 * libvirt's default error handler (which prints every error to stderr) is replaced by a silent one; errors are
 * read with {@code virGetLastErrorCode}/{@code virGetLastErrorMessage} (thread-local in libvirt) right after the
 * failing call and thrown as {@link CallFailed} with libvirt's {@code virErrorNumber}.
 */
public final class Libvirt {
    /** The default connection URI. */
    public static final String DEFAULT_URI = "qemu:///system";
    /** {@code VIR_ERR_NO_DOMAIN}. */
    public static final int VIR_ERR_NO_DOMAIN = 42;
    /** {@code VIR_ERR_NO_SUPPORT}: the driver lacks the function (e.g. attach on the test driver). */
    public static final int VIR_ERR_NO_SUPPORT = 3;
    /** {@code VIR_DOMAIN_XML_INACTIVE}: the persistent definition instead of the live one. */
    static final int VIR_DOMAIN_XML_INACTIVE = 2;
    private static final String[] LIBRARY_NAMES = {"libvirt.so.0", "virt"};

    private static volatile Libvirt defaultApi;
    private final Native0 lib;

    /** {@code libvirt.so.0} cannot be loaded. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** A libvirt call failed; {@link #code()} is libvirt's {@code virErrorNumber}. */
    public static final class CallFailed extends RuntimeException {
        private final int code;

        CallFailed(String message, int code) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private Libvirt(Native0 lib) {
        this.lib = lib;
    }

    /** Where a device change applies ({@code virDomainModificationImpact}). */
    public enum Affect {
        /** {@code VIR_DOMAIN_AFFECT_LIVE}: the running domain. */
        LIVE(1),
        /** {@code VIR_DOMAIN_AFFECT_CONFIG}: the persistent definition. */
        CONFIG(2);

        final int bit;

        Affect(int bit) {
            this.bit = bit;
        }

        static int flags(Set<Affect> set) {
            int f = 0;
            for (Affect a : set) {
                f |= a.bit;
            }
            return f;
        }
    }

    /** {@code virDomainState}. */
    public enum DomainState {
        NOSTATE, RUNNING, BLOCKED, PAUSED, SHUTDOWN, SHUTOFF, CRASHED, PMSUSPENDED, UNKNOWN;

        static DomainState of(int v) {
            DomainState[] all = values();
            return v >= 0 && v < all.length - 1 ? all[v] : UNKNOWN;
        }

        /** The domain has a running QEMU (so live changes are possible). */
        public boolean live() {
            return this == RUNNING || this == BLOCKED || this == PAUSED || this == PMSUSPENDED;
        }
    }

    /**
     * A domain as listed.
     *
     * @param name       domain name
     * @param state      its state
     * @param persistent whether it has a persistent definition (CONFIG changes are possible)
     */
    public record Domain(String name, DomainState state, boolean persistent) {
    }

    /** The raw C functions used. Pointers are opaque {@code virConnectPtr}/{@code virDomainPtr}. */
    interface Native0 extends Library {
        int virInitialize();

        int virGetVersion(LongByReference libVer, String type, LongByReference typeVer);

        Pointer virConnectOpen(String name);

        int virConnectClose(Pointer conn);

        int virConnectGetLibVersion(Pointer conn, LongByReference libVer);

        int virConnectListAllDomains(Pointer conn, PointerByReference domains, int flags);

        Pointer virDomainLookupByName(Pointer conn, String name);

        String virDomainGetName(Pointer dom);

        int virDomainGetState(Pointer dom, IntByReference state, IntByReference reason, int flags);

        int virDomainIsPersistent(Pointer dom);

        Pointer virDomainGetXMLDesc(Pointer dom, int flags);

        int virDomainAttachDeviceFlags(Pointer dom, String xml, int flags);

        int virDomainDetachDeviceFlags(Pointer dom, String xml, int flags);

        Pointer virDomainDefineXML(Pointer conn, String xml);

        int virDomainCreate(Pointer dom);

        int virDomainFree(Pointer dom);

        int virGetLastErrorCode();

        String virGetLastErrorMessage();

        void virResetLastError();

        void virSetErrorFunc(Pointer userData, ErrorFunc handler);
    }

    /** {@code virErrorFunc}: called for every error; ours does nothing (errors are read after each call). */
    public interface ErrorFunc extends Callback {
        void invoke(Pointer userData, Pointer error);
    }

    private static final ErrorFunc SILENT = (userData, error) -> {
        // errors are read with virGetLastError* after each failing call
    };

    /** The process-wide API on {@code libvirt.so.0}; {@link Unavailable} when it cannot be loaded. */
    public static Libvirt load() {
        Libvirt a = defaultApi;
        if (a == null) {
            synchronized (Libvirt.class) {
                if (defaultApi == null) {
                    defaultApi = load(LIBRARY_NAMES);
                }
                a = defaultApi;
            }
        }
        return a;
    }

    /** Loads the first of these library names that exists (tests pass a missing one). */
    public static Libvirt load(String... names) {
        List<String> errors = new ArrayList<>();
        for (String n : names) {
            try {
                Native0 lib = Native.load(n, Native0.class);
                if (lib.virInitialize() < 0) {
                    errors.add(n + ": virInitialize failed");
                    continue;
                }
                lib.virSetErrorFunc(null, SILENT);
                return new Libvirt(lib);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                errors.add(n + ": " + e.getMessage());
            }
        }
        throw new Unavailable("libvirt is not available (install the Debian package libvirt0): " + String.join("; ", errors));
    }

    /** The library's version as {@code major.minor.micro}. */
    public String libraryVersion() {
        LongByReference v = new LongByReference();
        if (lib.virGetVersion(v, null, null) < 0) {
            throw failure("virGetVersion", null);
        }
        long n = v.getValue();
        return (n / 1_000_000) + "." + (n / 1000 % 1000) + "." + (n % 1000);
    }

    /** Opens a connection ({@code virConnectOpen}), e.g. {@code qemu:///system} or {@code test:///default}. */
    public Connection open(String uri) {
        Pointer c = lib.virConnectOpen(uri);
        if (c == null) {
            throw failure("virConnectOpen(" + uri + ")", null);
        }
        return new Connection(uri, c);
    }

    /** An open connection. Not thread-safe; close it. */
    public final class Connection implements AutoCloseable {
        private final String uri;
        private Pointer conn;

        private Connection(String uri, Pointer conn) {
            this.uri = uri;
            this.conn = conn;
        }

        public String uri() {
            return uri;
        }

        /** Every domain, running or defined ({@code virConnectListAllDomains}, flags 0), sorted by name. */
        public List<Domain> listDomains() {
            PointerByReference arr = new PointerByReference();
            int n = lib.virConnectListAllDomains(live(), arr, 0);
            if (n < 0) {
                throw failure("virConnectListAllDomains", null);
            }
            List<Domain> out = new ArrayList<>();
            Pointer a = arr.getValue();
            if (a != null) {
                try {
                    for (Pointer d : a.getPointerArray(0, n)) {
                        try {
                            out.add(describe(d));
                        } finally {
                            lib.virDomainFree(d);
                        }
                    }
                } finally {
                    Native.free(Pointer.nativeValue(a));
                }
            }
            out.sort(java.util.Comparator.comparing(Domain::name));
            return out;
        }

        /** One domain by name; {@link CallFailed} with {@link #VIR_ERR_NO_DOMAIN} when there is none. */
        public Domain domain(String name) {
            return withDomain(name, this::describe0);
        }

        /** {@code virDomainGetXMLDesc}: the live document, or the persistent one when {@code inactive}. */
        public String xml(String name, boolean inactive) {
            return withDomain(name, d -> {
                Pointer p = lib.virDomainGetXMLDesc(d, inactive ? VIR_DOMAIN_XML_INACTIVE : 0);
                if (p == null) {
                    throw failure("virDomainGetXMLDesc(" + name + ")", name);
                }
                try {
                    return p.getString(0, "UTF-8");
                } finally {
                    Native.free(Pointer.nativeValue(p));
                }
            });
        }

        /** {@code virDomainAttachDeviceFlags}. */
        public void attach(String name, String deviceXml, Set<Affect> affect) {
            withDomain(name, d -> {
                if (lib.virDomainAttachDeviceFlags(d, deviceXml, Affect.flags(affect)) < 0) {
                    throw failure("virDomainAttachDeviceFlags(" + name + ")", name);
                }
                return null;
            });
        }

        /** {@code virDomainDetachDeviceFlags}. Live removal may complete after return (libvirt waits a few seconds). */
        public void detach(String name, String deviceXml, Set<Affect> affect) {
            withDomain(name, d -> {
                if (lib.virDomainDetachDeviceFlags(d, deviceXml, Affect.flags(affect)) < 0) {
                    throw failure("virDomainDetachDeviceFlags(" + name + ")", name);
                }
                return null;
            });
        }

        /** {@code virDomainDefineXML}: replaces the persistent definition. */
        public void define(String domainXml) {
            Pointer d = lib.virDomainDefineXML(live(), domainXml);
            if (d == null) {
                throw failure("virDomainDefineXML", null);
            }
            lib.virDomainFree(d);
        }

        /** {@code virDomainCreate}: starts a defined domain. */
        public void start(String name) {
            withDomain(name, d -> {
                if (lib.virDomainCreate(d) < 0) {
                    throw failure("virDomainCreate(" + name + ")", name);
                }
                return null;
            });
        }

        /** The affects that apply to a domain now: LIVE when it runs, CONFIG when it is persistent. */
        public Set<Affect> affectFor(Domain d) {
            EnumSet<Affect> s = EnumSet.noneOf(Affect.class);
            if (d.state().live()) {
                s.add(Affect.LIVE);
            }
            if (d.persistent()) {
                s.add(Affect.CONFIG);
            }
            return s;
        }

        private Domain describe(Pointer d) {
            return describe0(d);
        }

        private Domain describe0(Pointer d) {
            String n = lib.virDomainGetName(d);
            IntByReference st = new IntByReference();
            IntByReference reason = new IntByReference();
            if (lib.virDomainGetState(d, st, reason, 0) < 0) {
                throw failure("virDomainGetState(" + n + ")", n);
            }
            int pers = lib.virDomainIsPersistent(d);
            return new Domain(n, DomainState.of(st.getValue()), pers == 1);
        }

        private <T> T withDomain(String name, java.util.function.Function<Pointer, T> body) {
            Pointer d = lib.virDomainLookupByName(live(), name);
            if (d == null) {
                throw failure("virDomainLookupByName(" + name + ")", name);
            }
            try {
                return body.apply(d);
            } finally {
                lib.virDomainFree(d);
            }
        }

        private Pointer live() {
            if (conn == null) {
                throw new IllegalStateException("libvirt connection " + uri + " is closed");
            }
            return conn;
        }

        @Override
        public void close() {
            if (conn != null) {
                lib.virConnectClose(conn);
                conn = null;
            }
        }
    }

    private CallFailed failure(String call, String domain) {
        int code = lib.virGetLastErrorCode();
        String msg = lib.virGetLastErrorMessage();
        lib.virResetLastError();
        if (code == VIR_ERR_NO_DOMAIN) {
            return new CallFailed("libvirt has no domain '" + domain + "' (" + msg + ")", code);
        }
        return new CallFailed(call + " failed: " + msg + " [libvirt error " + code + "]", code);
    }
}
