package org.ddabridge.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.ddabridge.driver.linux.Libvirt;
import org.ddabridge.model.PciAddress;

/**
 * A libvirt domain: {@code <hostdev managed='no'>} attached live (when it runs) and to the persistent definition
 * (when it has one), and {@code <pcihole64>} raised in the definition when the group needs more 64-bit MMIO.
 */
public final class LibvirtBackend implements VmBackend {
    static final Duration POLL = Duration.ofMillis(250);
    /** QEMU's default {@code pci-hole64-size} of q35 machines. */
    static final long QEMU_Q35_HOLE64_KIB = 32L * 1024 * 1024;
    private final VmRef.Domain ref;
    private final LibvirtApi.Connection conn;

    private LibvirtBackend(VmRef.Domain ref, LibvirtApi.Connection conn) {
        this.ref = ref;
        this.conn = conn;
    }

    public static LibvirtBackend open(VmRef.Domain ref) {
        LibvirtApi.Connection c = LibvirtApi.load().open(ref.uri());
        try {
            c.domain(ref.name());   // DomainNotFound now rather than at the first step
            return new LibvirtBackend(ref, c);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public VmRef ref() {
        return ref;
    }

    @Override
    public String state() {
        return conn.domain(ref.name()).state().name().toLowerCase(Locale.ROOT);
    }

    private Libvirt.Domain domain() {
        return conn.domain(ref.name());
    }

    private Set<PciAddress> sources(boolean inactive) {
        return HostdevXml.parseDomain(conn.xml(ref.name(), inactive)).hostdevs().stream()
                .map(HostdevXml.Hostdev::source).filter(s -> s != null).collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public List<PciAddress> attached() {
        Libvirt.Domain d = domain();
        Set<PciAddress> all = new TreeSet<>();
        if (d.state().live()) {
            all.addAll(sources(false));
        }
        if (d.persistent()) {
            all.addAll(sources(true));
        }
        return List.copyOf(all);
    }

    @Override
    public List<VmStep> planAttach(List<PciAddress> group, long mmio64Kib) {
        Libvirt.Domain d = domain();
        Set<Libvirt.Affect> affect = conn.affectFor(d);
        if (affect.isEmpty()) {
            throw new VmException(VmErrorId.LibvirtFailed, "domain '" + ref.name() + "' neither runs nor has a persistent definition");
        }
        List<PciAddress> have = attached();
        List<VmStep> out = new ArrayList<>();
        for (PciAddress f : group.stream().sorted().toList()) {
            if (have.contains(f)) {
                throw new VmException(VmErrorId.AlreadyAttached, f + " is already a hostdev of domain '" + ref.name() + "'");
            }
            out.add(VmStep.attach(f, affect.stream().map(Enum::name).sorted().collect(Collectors.joining(","))));
        }
        if (mmio64Kib > 0 && d.persistent()) {
            HostdevXml.DomainInfo info = HostdevXml.parseDomain(conn.xml(ref.name(), true));
            long have64 = info.pcihole64Kib().orElse(-1);
            // without the element QEMU's own default applies (q35: 32 GiB; smaller on i440fx)
            long effective = have64 >= 0 ? have64 : "pcie-root".equals(info.pciRootModel()) ? QEMU_Q35_HOLE64_KIB : 0;
            if (info.canTakePcihole64() && effective < mmio64Kib) {
                out.add(new VmStep(VmStep.Action.SET_PCIHOLE64, null, "", roundUpGib(mmio64Kib), have64));
            }
        }
        return out;
    }

    @Override
    public List<String> attachWarnings(List<PciAddress> group, long mmio64Kib) {
        Libvirt.Domain d = domain();
        if (mmio64Kib <= 0 || !d.state().live()) {
            return List.of();
        }
        long live = LibvirtSettings.effectiveKib(HostdevXml.parseDomain(conn.xml(ref.name(), false)));
        if (live == 0 || live >= mmio64Kib) {
            return List.of();
        }
        String msg = "the running domain's 64-bit PCI hole (" + (live / 1024) + " MiB) is smaller than the survey's "
                + (mmio64Kib / 1024) + " MiB for this group";
        if (!d.persistent()) {
            throw new VmException(VmErrorId.HoleTooSmall, msg + ", and the domain is transient: start it with <pcihole64 unit='KiB'>"
                    + mmio64Kib + "</pcihole64>");
        }
        return List.of(msg + ": the persistent definition gets the larger hole, effective at the next start; until then the"
                + " guest may fail to map the device's 64-bit BARs");
    }

    @Override
    public VmSettings.Result applySettings(VmSettings settings, boolean whatIf) {
        return LibvirtSettings.apply(conn, ref.name(), settings, whatIf);
    }

    @Override
    public String uuid() {
        Libvirt.Domain d = domain();
        String u = HostdevXml.parseDomain(conn.xml(ref.name(), !d.state().live())).uuid();
        return u.isEmpty() ? null : u;
    }

    @Override
    public Long pciHole64Kib() {
        Libvirt.Domain d = domain();
        long k = LibvirtSettings.effectiveKib(HostdevXml.parseDomain(conn.xml(ref.name(), !d.state().live())));
        return k == 0 ? null : k;
    }

    static long roundUpGib(long kib) {
        long gib = 1024L * 1024;
        return (kib + gib - 1) / gib * gib;
    }

    private static Set<Libvirt.Affect> affects(String detail) {
        EnumSet<Libvirt.Affect> s = EnumSet.noneOf(Libvirt.Affect.class);
        for (String a : detail.split(",")) {
            if (!a.isBlank()) {
                s.add(Libvirt.Affect.valueOf(a.trim()));
            }
        }
        return s;
    }

    @Override
    public void run(VmStep step) {
        switch (step.action()) {
            case ATTACH -> conn.attach(ref.name(), HostdevXml.hostdev(step.host()), affects(step.detail()));
            case SET_PCIHOLE64 -> conn.define(HostdevXml.withPcihole64(conn.xml(ref.name(), true), step.value()));
        }
    }

    @Override
    public void undo(VmStep step) {
        switch (step.action()) {
            case ATTACH -> {
                Set<Libvirt.Affect> a = EnumSet.noneOf(Libvirt.Affect.class);
                Libvirt.Domain d = domain();
                if (d.state().live() && sources(false).contains(step.host())) {
                    a.add(Libvirt.Affect.LIVE);
                }
                if (d.persistent() && sources(true).contains(step.host())) {
                    a.add(Libvirt.Affect.CONFIG);
                }
                if (!a.isEmpty()) {
                    conn.detach(ref.name(), HostdevXml.hostdev(step.host()), a);
                }
            }
            case SET_PCIHOLE64 -> conn.define(HostdevXml.withPcihole64(conn.xml(ref.name(), true), step.previous()));
        }
    }

    @Override
    public Detached detach(List<PciAddress> group, Duration limit) {
        Libvirt.Domain d = domain();
        Set<PciAddress> live = d.state().live() ? sources(false) : Set.of();
        Set<PciAddress> config = d.persistent() ? sources(true) : Set.of();
        for (PciAddress f : group.stream().sorted().toList()) {
            EnumSet<Libvirt.Affect> a = EnumSet.noneOf(Libvirt.Affect.class);
            if (live.contains(f)) {
                a.add(Libvirt.Affect.LIVE);
            }
            if (config.contains(f)) {
                a.add(Libvirt.Affect.CONFIG);
            }
            if (!a.isEmpty()) {
                conn.detach(ref.name(), HostdevXml.hostdev(f), a);
            }
        }
        // live removal completes when the guest answers the unplug request: poll the live XML
        long deadline = System.nanoTime() + limit.toNanos();
        Set<PciAddress> still = new TreeSet<>();
        while (true) {
            still.clear();
            if (domain().state().live()) {
                for (PciAddress f : sources(false)) {
                    if (group.contains(f)) {
                        still.add(f);
                    }
                }
            }
            if (still.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<PciAddress> removed = group.stream().filter(f -> !still.contains(f)).sorted().toList();
        return new Detached(removed, List.copyOf(still));
    }

    @Override
    public void close() {
        conn.close();
    }
}
