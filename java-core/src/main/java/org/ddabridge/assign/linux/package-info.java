/**
 * Linux assignment through sysfs: request context, dismount planning, plan execution with journal, host lock and rollback, repair, pool, disable/enable, the boot-time files that persist assignments (udev rule, initramfs-tools hook, dracut configuration; resources under boot/), and the driver-core seam (real sysfs or a simulation for fake trees). May import: assign, survey, check, platform, driver.linux, image, pci, model, util, api.
 */
package org.ddabridge.assign.linux;
