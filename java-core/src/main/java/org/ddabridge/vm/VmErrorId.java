package org.ddabridge.vm;

/** Stable ids of the failures this package reports. Callers map them onto their own error contract. */
public enum VmErrorId {
    /** A VM reference ({@code qmp:/path}, a libvirt domain name) or another argument is malformed. */
    InvalidVmReference,
    /** The QMP socket cannot be connected to (missing, refused, permission). */
    QmpConnectFailed,
    /** The peer does not speak QMP as expected (no greeting, bad JSON, connection closed mid-reply). */
    QmpProtocol,
    /** QEMU answered a command with an error object (its class and description are in the message). */
    QmpCommandFailed,
    /** No reply (or no awaited event) within the time limit. */
    QmpTimeout,
    /** The VM has no empty hot-plug capable PCIe root port left. */
    NoFreeHotplugSlot,
    /** The device is already attached to this VM. */
    AlreadyAttached,
    /** The device is not attached to this VM. */
    NotAttached,
    /** {@code libvirt.so.0} cannot be loaded (libvirt is not installed). */
    LibvirtUnavailable,
    /** A libvirt call failed (the libvirt error code and message are kept). */
    LibvirtFailed,
    /** libvirt knows no domain of that name. */
    DomainNotFound,
    /** A domain or device XML document cannot be parsed. */
    XmlInvalid,
    /** A function of the group is not on vfio-pci: {@code dismount} it first. */
    NotDismounted,
    /** No such PCI function, or it has no IOMMU group. */
    DeviceNotFound,
    /** The journal of an earlier VM operation says it did not finish: run {@code repair}. */
    RepairNeeded,
    /** A vm-set value is malformed (an unknown AutomaticStopAction, a negative size). */
    InvalidSetting,
    /** The VM cannot take a setting at all (a QEMU without libvirt, a transient running domain, no root PCI controller). */
    SettingNotApplicable,
    /** The running domain's 64-bit PCI hole is smaller than the group needs and it has no persistent definition to raise. */
    HoleTooSmall,
    /** Reading sysfs, the proc tree, the journal or another file failed. */
    IoFailure
}
