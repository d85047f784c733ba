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
 *   <li>{@link org.ddabridge.vm.VfioHolders}: which processes hold {@code /dev/vfio/<group>} open (a proc tree
 *       scan) and which VM they are (QEMU's {@code -name guest=NAME}).</li>
 * </ul>
 *
 * Depends on the JDK, gson and {@code driver.linux.Libvirt} only (no JNA here: main's layout keeps JNA in driver/platform). Failures are {@link org.ddabridge.vm.VmException}s
 * carrying a stable {@link org.ddabridge.vm.VmErrorId}.
 */
package org.ddabridge.vm;
