package org.ddabridge.vm;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.PciAddress;

/** A QEMU without libvirt, through its QMP socket: {@code device_add vfio-pci} into free PCIe root ports. */
public final class QmpBackend implements VmBackend {
    /** How long an undo waits for the guest to let a device go before it reports the removal pending. */
    static final Duration UNDO_WAIT = Duration.ofSeconds(60);
    private final VmRef.Qmp ref;
    private final QmpClient qmp;
    private final QmpHotplug hotplug;

    private QmpBackend(VmRef.Qmp ref, QmpClient qmp) {
        this.ref = ref;
        this.qmp = qmp;
        this.hotplug = new QmpHotplug(qmp);
    }

    public static QmpBackend open(VmRef.Qmp ref) {
        return new QmpBackend(ref, QmpClient.connect(ref.socket()));
    }

    public QmpClient client() {
        return qmp;
    }

    @Override
    public VmRef ref() {
        return ref;
    }

    @Override
    public String state() {
        return qmp.runState();
    }

    @Override
    public List<PciAddress> attached() {
        return hotplug.vfioDevices().stream().map(QmpHotplug.VfioDevice::host).sorted().toList();
    }

    /** QEMU's 64-bit PCI hole is a machine option fixed at start, so {@code mmio64Kib} plans nothing here. */
    @Override
    public List<VmStep> planAttach(List<PciAddress> group, long mmio64Kib) {
        List<VmStep> out = new ArrayList<>();
        for (QmpHotplug.Placement p : hotplug.plan(group)) {
            out.add(VmStep.attach(p.host(), p.deviceAddArguments().toString()));
        }
        return out;
    }

    @Override
    public void run(VmStep step) {
        if (step.action() == VmStep.Action.ATTACH) {
            qmp.deviceAdd(JsonParser.parseString(step.detail()).getAsJsonObject());
        }
    }

    @Override
    public void undo(VmStep step) {
        if (step.action() == VmStep.Action.ATTACH) {
            JsonObject a = JsonParser.parseString(step.detail()).getAsJsonObject();
            hotplug.detach(List.of(a.get("id").getAsString()), UNDO_WAIT);
        }
    }

    @Override
    public Detached detach(List<PciAddress> group, Duration limit) {
        List<String> ids = new ArrayList<>();
        List<PciAddress> hosts = new ArrayList<>();
        for (QmpHotplug.VfioDevice d : hotplug.vfioDevices()) {
            if (group.contains(d.host())) {
                if (d.id().isEmpty()) {
                    throw new VmException(VmErrorId.QmpCommandFailed, d.host() + " is attached without a device id ("
                            + d.path() + "); device_del needs one");
                }
                ids.add(d.id());
                hosts.add(d.host());
            }
        }
        QmpHotplug.Removal r = hotplug.detach(ids, limit);
        List<PciAddress> removed = new ArrayList<>();
        List<PciAddress> pending = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (r.pending().contains(ids.get(i)) ? pending : removed).add(hosts.get(i));
        }
        for (PciAddress f : group) {
            if (!hosts.contains(f)) {
                removed.add(f);   // not in the VM at all
            }
        }
        return new Detached(removed.stream().sorted().toList(), pending.stream().sorted().toList());
    }

    @Override
    public void close() {
        qmp.close();
    }
}
