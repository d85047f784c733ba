/**
 * Linux data sources, one class each: sysfs PCI functions, DMAR, kernel command line and log, interrupts, mounts/routes/open files (host use), pci.ids, modprobe, the VFIO group ioctl (JNA), the boot-time overrides (DdaBridge's persisted list, driverctl's saved overrides), and the native file primitives the assignment needs (NativeFiles: flock of the state directory, O_NOFOLLOW opens checked through /proc/self/fd). Reading only apart from those primitives, parsing separated and unit-tested. May import: image, pci, model, util, api.
 */
package org.ddabridge.driver.linux;
