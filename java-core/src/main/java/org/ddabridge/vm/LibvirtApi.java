package org.ddabridge.vm;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.ddabridge.driver.linux.Libvirt;

/**
 * The engine's side of libvirt: {@link Libvirt} (the JNA binding in {@code driver.linux}) with its failures turned
 * into {@link VmException}s: {@code LibvirtUnavailable} when {@code libvirt.so.0} is missing, {@code DomainNotFound},
 * {@code LibvirtFailed} (libvirt's {@code virErrorNumber} in {@link VmException#detail()}).
 * Nothing is loaded until {@link #load()}.
 */
public final class LibvirtApi {
    /** The default connection URI. */
    public static final String DEFAULT_URI = Libvirt.DEFAULT_URI;
    /** {@code VIR_ERR_NO_SUPPORT}: the driver lacks the function (e.g. attach on the test driver). */
    public static final int VIR_ERR_NO_SUPPORT = Libvirt.VIR_ERR_NO_SUPPORT;

    private final Libvirt lib;

    private LibvirtApi(Libvirt lib) {
        this.lib = lib;
    }

    /** The process-wide API on {@code libvirt.so.0}. */
    public static LibvirtApi load() {
        return new LibvirtApi(call(() -> Libvirt.load()));
    }

    /** Loads the first of these library names that exists (tests pass a missing one). */
    public static LibvirtApi load(String... names) {
        return new LibvirtApi(call(() -> Libvirt.load(names)));
    }

    public String libraryVersion() {
        return call(lib::libraryVersion);
    }

    /** Opens a connection, e.g. {@code qemu:///system} or {@code test:///default}. */
    public Connection open(String uri) {
        return new Connection(call(() -> lib.open(uri)));
    }

    /** An open connection; close it. */
    public static final class Connection implements AutoCloseable {
        private final Libvirt.Connection c;

        private Connection(Libvirt.Connection c) {
            this.c = c;
        }

        public String uri() {
            return c.uri();
        }

        /** Every domain, running or defined, sorted by name. */
        public List<Libvirt.Domain> listDomains() {
            return call(c::listDomains);
        }

        /** One domain by name ({@code DomainNotFound} when there is none). */
        public Libvirt.Domain domain(String name) {
            return call(() -> c.domain(name));
        }

        /** The live document, or the persistent one when {@code inactive}. */
        public String xml(String name, boolean inactive) {
            return call(() -> c.xml(name, inactive));
        }

        public void attach(String name, String deviceXml, Set<Libvirt.Affect> affect) {
            call(() -> {
                c.attach(name, deviceXml, affect);
                return null;
            });
        }

        public void detach(String name, String deviceXml, Set<Libvirt.Affect> affect) {
            call(() -> {
                c.detach(name, deviceXml, affect);
                return null;
            });
        }

        public void define(String domainXml) {
            call(() -> {
                c.define(domainXml);
                return null;
            });
        }

        /** Starts a defined domain. */
        public void start(String name) {
            call(() -> {
                c.start(name);
                return null;
            });
        }

        /** LIVE when the domain runs, CONFIG when it is persistent. */
        public Set<Libvirt.Affect> affectFor(Libvirt.Domain d) {
            return c.affectFor(d);
        }

        @Override
        public void close() {
            c.close();
        }
    }

    private static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (Libvirt.Unavailable e) {
            throw new VmException(VmErrorId.LibvirtUnavailable, e.getMessage(), null, e);
        } catch (Libvirt.CallFailed e) {
            VmErrorId id = e.code() == Libvirt.VIR_ERR_NO_DOMAIN ? VmErrorId.DomainNotFound : VmErrorId.LibvirtFailed;
            throw new VmException(id, e.getMessage(), Integer.toString(e.code()), e);
        }
    }
}
