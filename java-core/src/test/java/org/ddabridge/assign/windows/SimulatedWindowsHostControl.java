package org.ddabridge.assign.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ddabridge.driver.windows.WindowsHostControl;
/**
 * An in-memory Windows host with Hyper-V's rules (a node must be disabled before dismount, only pool devices
 * can be added to a VM, a dismounted node is absent from the host), and failure injection, so plans and
 * rollback are tested on any OS.
 */
public final class SimulatedWindowsHostControl implements WindowsHostControl {
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private final Map<String, String> locationById = new HashMap<>();
    // Location path -> pooled identity (PCIP\...), as Msvm_PciExpress.DeviceInstancePath shows it.
    private final Map<String, String> pool = new LinkedHashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, VmSettings> vms = new LinkedHashMap<>();
    private final Map<String, List<String>> assigned = new HashMap<>();
    private final Set<String> failOn = new HashSet<>();
    private final List<String> calls = new ArrayList<>();

    /** Adds an enabled device node. */
    public SimulatedWindowsHostControl device(String instanceId, String locationPath) {
        nodes.put(instanceId, NodeState.ENABLED);
        locationById.put(instanceId, locationPath);
        return this;
    }

    /** Adds a VM with Hyper-V's defaults (Save on stop, 128 MB low / 512 MB high MMIO). */
    public SimulatedWindowsHostControl vm(String name) {
        vms.put(name, new VmSettings("Save", false, 128L << 20, 512L << 20));
        assigned.put(name, new ArrayList<>());
        return this;
    }

    /** Starts the VM (its MMIO gaps cannot change while it runs). */
    public SimulatedWindowsHostControl start(String name) {
        running.add(name);
        return this;
    }

    /** Makes the named operation ({@code disable}, {@code dismount}, {@code addToVm}, …) fail. */
    public SimulatedWindowsHostControl failOn(String operation) {
        failOn.add(operation);
        return this;
    }

    /** Every mutating call, in order ({@code op target}). */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    private void record(String op, String target) {
        calls.add(op + " " + target);
        if (failOn.contains(op)) {
            throw new ControlException("Simulated", "simulated failure of " + op + " on " + target);
        }
    }

    @Override
    public NodeState nodeState(String instanceId) {
        return nodes.getOrDefault(instanceId, NodeState.ABSENT);
    }

    @Override
    public void disable(String instanceId) {
        record("disable", instanceId);
        requireNode(instanceId);
        nodes.put(instanceId, NodeState.DISABLED);
    }

    @Override
    public void enable(String instanceId) {
        record("enable", instanceId);
        requireNode(instanceId);
        nodes.put(instanceId, NodeState.ENABLED);
    }

    private void requireNode(String instanceId) {
        if (nodeState(instanceId) == NodeState.ABSENT) {
            throw new ControlException("CR_NO_SUCH_DEVNODE", "No device node " + instanceId + ".");
        }
    }

    @Override
    public List<String> pool() {
        return List.copyOf(pool.keySet());
    }

    /** The pooled identity Hyper-V gives a dismounted device: its instance id under the PCIP enumerator. */
    static String pooledIdentity(String instanceId) {
        return "PCIP\\" + instanceId.substring(instanceId.indexOf('\\') + 1);
    }

    @Override
    public String dismount(String instanceId, String locationPath, boolean force) {
        record("dismount", locationPath);
        if (nodeState(instanceId) != NodeState.DISABLED) {
            throw new ControlException("32775", "Invalid state: disable the device before dismounting it.");
        }
        nodes.put(instanceId, NodeState.ABSENT);
        pool.put(locationPath, pooledIdentity(instanceId));
        return pool.get(locationPath);
    }

    @Override
    public Optional<String> pooledInstancePath(String locationPath) {
        return Optional.ofNullable(pool.get(locationPath));
    }

    @Override
    public void mount(String pooledInstancePath, String locationPath) {
        record("mount", pooledInstancePath + " " + locationPath);
        if (!pool.containsKey(locationPath)) {
            throw new ControlException("32773", locationPath + " is not dismounted.");
        }
        // Hyper-V finds the device by its pooled identity; the original PCI\ id names no pooled device.
        if (!pool.get(locationPath).equals(pooledInstancePath)) {
            throw new ControlException("32773", "No pooled device " + pooledInstancePath + " at " + locationPath + ".");
        }
        String instanceId = null;
        for (Map.Entry<String, String> e : locationById.entrySet()) {
            if (e.getValue().equals(locationPath)) {
                instanceId = e.getKey();
            }
        }
        for (List<String> l : assigned.values()) {
            if (l.contains(locationPath)) {
                throw new ControlException("32774", locationPath + " is assigned to a VM.");
            }
        }
        pool.remove(locationPath);
        // Windows brings the node back disabled (it was disabled when dismounted).
        nodes.put(instanceId, NodeState.DISABLED);
    }

    @Override
    public boolean vmOff(String vmName) {
        vmSettings(vmName);
        return !running.contains(vmName);
    }

    @Override
    public boolean vmExists(String vmName) {
        return vms.containsKey(vmName);
    }

    @Override
    public VmSettings vmSettings(String vmName) {
        VmSettings s = vms.get(vmName);
        if (s == null) {
            throw new ControlException("VmNotFound", "No VM named '" + vmName + "'.");
        }
        return s;
    }

    @Override
    public void setVmSettings(String vmName, VmSettings n) {
        record("setVmSettings", vmName);
        VmSettings o = vmSettings(vmName);
        // Hyper-V refuses MMIO gap changes unless the VM is off (ModifySystemSettings: invalid state).
        boolean mmio = n.lowMmioBytes() != null && !n.lowMmioBytes().equals(o.lowMmioBytes())
                || n.highMmioBytes() != null && !n.highMmioBytes().equals(o.highMmioBytes());
        if (mmio && running.contains(vmName)) {
            throw new ControlException("32775", "Invalid state: turn the VM off to change its MMIO gaps.");
        }
        vms.put(vmName, new VmSettings(
                n.automaticStopAction() != null ? n.automaticStopAction() : o.automaticStopAction(),
                n.guestControlledCacheTypes() != null ? n.guestControlledCacheTypes() : o.guestControlledCacheTypes(),
                n.lowMmioBytes() != null ? n.lowMmioBytes() : o.lowMmioBytes(),
                n.highMmioBytes() != null ? n.highMmioBytes() : o.highMmioBytes()));
    }

    @Override
    public List<String> assigned(String vmName) {
        vmSettings(vmName);
        return List.copyOf(assigned.get(vmName));
    }

    @Override
    public void addToVm(String vmName, String locationPath) {
        record("addToVm", vmName + " " + locationPath);
        vmSettings(vmName);
        if (!pool.containsKey(locationPath)) {
            throw new ControlException("NotInPool", "No dismounted device at " + locationPath + ".");
        }
        assigned.get(vmName).add(locationPath);
    }

    @Override
    public void removeFromVm(String vmName, String locationPath) {
        record("removeFromVm", vmName + " " + locationPath);
        if (!assigned.getOrDefault(vmName, List.of()).remove(locationPath)) {
            throw new ControlException("NotAssigned", locationPath + " is not assigned to '" + vmName + "'.");
        }
    }

    @Override
    public boolean simulated() {
        return true;
    }
}
