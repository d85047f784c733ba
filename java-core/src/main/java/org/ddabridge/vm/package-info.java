/**
 * Giving VFIO-bound PCI functions to virtual machines, and finding out which VM holds a group.
 *
 * <ul>
 *   <li>{@link org.ddabridge.vm.QmpClient}: QEMU's machine protocol (JSON lines over a UNIX socket), with
 *       {@link org.ddabridge.vm.QmpHotplug} on top: free {@code pcie-root-port}s from the QOM tree,
 *       {@code device_add vfio-pci}, {@code device_del} with a time limit on {@code DEVICE_DELETED}.</li>
 *   <li>{@link org.ddabridge.vm.LibvirtApi}: libvirt's C API ({@code libvirt.so.0}; the JNA binding is {@code driver.linux.Libvirt}), loaded on first use
 *       so that this package loads on hosts without libvirt; {@link org.ddabridge.vm.HostdevXml} builds and reads the
 *       domain XML ({@code <hostdev managed='no'>}, {@code <pcihole64>}).</li>
 *   <li>{@link org.ddabridge.vm.VmService}: the commands {@code vm-add}, {@code vm-remove}, {@code vm-list}, {@code vm-set}
 *       and the VM part of {@code repair}, with {@link org.ddabridge.vm.VmJournal} and {@link org.ddabridge.vm.HostGroup};
 *       {@link org.ddabridge.vm.VmSettings} (Microsoft's four DDA VM settings) and their libvirt mapping
 *       {@link org.ddabridge.vm.LibvirtSettings}.</li>
 *   <li>{@link org.ddabridge.vm.VmRef}, {@link org.ddabridge.vm.VmBackend} (QMP or libvirt) and
 *       {@link org.ddabridge.vm.VmOps}: plan, attach and detach a whole IOMMU group, step by step, with a
 *       journal hook and rollback. Who holds {@code /dev/vfio/<group>} is {@code driver.linux.VfioHolders}
 *       (the mount guard, a lower layer, needs it too).</li>
 * </ul>
 *
 * Failures are {@link org.ddabridge.vm.VmException}s carrying a stable {@link org.ddabridge.vm.VmErrorId}; the engine
 * ({@code engine.VmRequests}) maps them to its error ids. May import: driver.linux (the JNA binding
 * {@code Libvirt} and {@code VfioHolders}; no JNA here), and the JDK and gson.
 */
package org.ddabridge.vm;
