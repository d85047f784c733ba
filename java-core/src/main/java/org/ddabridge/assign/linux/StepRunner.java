package org.ddabridge.assign.linux;

import java.io.IOException;

import org.ddabridge.assign.PlannedStep;

/** Does one planned step against a {@link DriverCore} and verifies its effect. */
final class StepRunner {
    static final String VFIO_PCI = "vfio-pci";
    private static final long BIND_TIMEOUT_MS = 5_000;

    private StepRunner() {
    }

    /** Throws when the kernel did not do what was asked. */
    static void apply(DriverCore core, PlannedStep ps) throws IOException {
        apply(core, null, ps);
    }

    /** Like {@link #apply(DriverCore, PlannedStep)}, with the boot-time files for the persistence steps. */
    static void apply(DriverCore core, BootPersistence boot, PlannedStep ps) throws IOException {
        String a = ps.address();
        switch (ps.kind()) {
            case PERSIST -> {
                requireBoot(boot).persist(a);
                if (!boot.isPersisted(a)) {
                    throw new IOException(a + " is not in the persisted list after writing it");
                }
            }
            case UNPERSIST -> {
                requireBoot(boot).unpersist(a);
                if (boot.isPersisted(a)) {
                    throw new IOException(a + " is still in the persisted list after removing it");
                }
            }
            case MODPROBE -> {
                core.loadModule(ps.value());
                if (!core.driverAvailable(ps.value())) {
                    throw new IOException("after modprobe " + ps.value() + " the driver is still not registered");
                }
            }
            case OVERRIDE -> {
                core.setOverride(a, ps.value());
                String now = core.driverOverride(a);
                if (!now.equals(ps.value())) {
                    throw new IOException("driver_override reads '" + now + "', expected '" + ps.value() + "'");
                }
            }
            case UNBIND -> {
                core.unbind(a);
                String now = core.driver(a);
                if (!now.isEmpty()) {
                    throw new IOException("still bound to " + now + " after unbind");
                }
            }
            case PROBE -> probeTo(core, a, ps.value());
            case BIND -> {
                core.bind(a, ps.value());
                String now = core.awaitDriver(a, ps.value(), BIND_TIMEOUT_MS);
                if (!now.equals(ps.value())) {
                    throw new IOException("bound to '" + now + "' after bind, expected " + ps.value());
                }
            }
            case VFIO_CHECK -> {
                DriverCore.GroupStatus s = core.groupStatus(Integer.parseInt(ps.value()));
                if (!s.present() || !s.viable()) {
                    throw new IOException("IOMMU group " + ps.value() + " is not viable for VFIO: " + s.detail());
                }
            }
        }
    }

    private static BootPersistence requireBoot(BootPersistence boot) throws IOException {
        if (boot == null) {
            throw new IOException("no boot-time configuration for this request");
        }
        return boot;
    }

    /**
     * drivers_probe, then wait for {@code want} ("" = whatever the kernel picks, but not vfio-pci). When the
     * kernel binds nothing and a specific host driver is wanted, bind it explicitly.
     */
    private static void probeTo(DriverCore core, String a, String want) throws IOException {
        IOException probeError = null;
        try {
            core.probe(a);
        } catch (IOException e) {
            probeError = e; // judged by the result below: drivers_probe may complain yet bind
        }
        if (want.isEmpty()) {
            String now = core.driver(a);
            if (VFIO_PCI.equals(now)) {
                throw new IOException("still on vfio-pci after drivers_probe");
            }
            return;
        }
        String now = core.awaitDriver(a, want, BIND_TIMEOUT_MS);
        if (now.isEmpty() && !VFIO_PCI.equals(want)) {
            core.bind(a, want);
            now = core.awaitDriver(a, want, BIND_TIMEOUT_MS);
        }
        if (!now.equals(want)) {
            throw new IOException("bound to '" + (now.isEmpty() ? "no driver" : now) + "' after drivers_probe, expected "
                    + want + (probeError == null ? "" : " (" + probeError.getMessage() + ")"));
        }
    }
}
