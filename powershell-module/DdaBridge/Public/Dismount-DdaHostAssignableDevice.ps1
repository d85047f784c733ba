# SPDX-License-Identifier: MIT

function Dismount-DdaHostAssignableDevice {
    <#
    .SYNOPSIS
        Takes PCI devices away from the host and puts them in the assignable-device pool (vfio-pci).

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Dismount-VMHostAssignableDevice. The engine moves every
        function of the device's IOMMU group to vfio-pci (PCIe ports stay on pcieport), checks
        that VFIO reports the group viable, and records the original drivers in its journal, so
        Mount-DdaHostAssignableDevice can give them back and Repair-DdaHost can finish an
        interrupted change.

        The engine refuses (ErrorId Refused) devices that hold the root filesystem or mounted
        filesystems, the boot display, bridges, groups with a PCIe-to-PCI bridge, and devices
        without an IOMMU group; -Force overrides only the soft guards (device in use, NIC that
        carries the default route, the checker's NotAssignable verdict).

        Every device is one engine request, sent once (state changes are never retried): a
        device the engine refuses or cannot find gives a non-terminating error (ErrorId
        Refused / DeviceNotFound / Busy / IoFailure, with the engine's details in
        $error[0].Exception.Data['Details']) and the next device is still processed. Several
        devices show progress. -WhatIf prints the engine's own plan (the exact sysfs steps, in
        order) and changes nothing; the confirmation prompt shows the same plan.

        On a live host the engine refuses to write /sys unless DDABRIDGE_ALLOW_LIVE_MUTATION=1 is
        set (or the kernel command line has the QEMU test guest's marker). With -Root the steps
        run against a fake sysfs tree (a simulated kernel), for trying things out and for tests.

    .PARAMETER Address
        PCI address(es), e.g. 0000:01:00.0.

    .PARAMETER LocationPath
        Windows location path(s), e.g. PCIROOT(0)#PCI(0200)#PCI(0000), as Hyper-V takes them.

    .PARAMETER InstanceId
        PnP instance id(s).

    .PARAMETER Transient
        Change the running system only: the next boot gives the device back to its host driver.
        By default a dismount persists across reboots (Hyper-V's semantics): DdaBridge writes a
        udev rule and an initramfs hook that bind the device to vfio-pci at boot.

    .PARAMETER Force
        Dismount although a soft guard objects (in use, default-route NIC, NotAssignable verdict),
        and do not ask for confirmation. Hard guards (root disk, boot VGA, bridges) still refuse.

    .PARAMETER Target
        Whose rules decide the checker's NotAssignable verdict: Vfio (the default on Linux) or HyperV;
        the same Verdict that Test-DdaDevice -Target shows.

    .PARAMETER Root
        A host image directory (fake sysfs tree) to change instead of the live machine. An empty
        or blank value is refused. Without -Root, a piped object's own Root property (the image
        Get-DdaDevice read it from; empty for this host) says where the device is.

    .PARAMETER PassThru
        Accepted for symmetry with Hyper-V; the operation result is always returned.

    .INPUTS
        DdaBridge.Device, DdaBridge.DeviceReport, DdaBridge.AssignableDevice (by property name).

    .OUTPUTS
        DdaBridge.Operation (Operation, Kind, Status, Devices, Steps, DurationMs)

    .EXAMPLE
        Dismount-DdaHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf

        Shows the engine's plan (the sysfs writes, in order) without changing anything.

    .EXAMPLE
        Get-DdaDevice | Test-DdaDevice | Where-Object Verdict -eq Assignable | Dismount-DdaHostAssignableDevice

        Puts every device the checker calls Assignable into the pool, asking once per device.

    .EXAMPLE
        Dismount-DdaHostAssignableDevice 0000:01:00.0 -Confirm:$false

        Dismounts one NVMe controller without a prompt.

    .EXAMPLE
        Dismount-DdaHostAssignableDevice 0000:01:00.0 -Root /tmp/host-tree -Force

        Tries it against a fake sysfs tree (a simulated kernel).

    .LINK
        about_DdaBridge
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', PositionalBinding = $false)]
    [OutputType('DdaBridge.Operation')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Bdf')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Address,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string[]] $LocationPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeviceInstanceId', 'PNPDeviceID')]
        [ValidateNotNullOrEmpty()]
        [string[]] $InstanceId,

        [switch] $Force,

        [switch] $Transient,

        [ValidateSet('Vfio', 'HyperV')]
        [string] $Target,

        # By property name too: a piped object's Root names the host image it was read from (see
        # Resolve-DdaInputRoot); the command-line value is checked in begin (Get-DdaCommandLineRoot).
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [switch] $PassThru,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        Add-DdaSelection -Cmdlet $PSCmdlet -Selection $selection -BoundParameters $PSBoundParameters -Root $Root `
            -Values @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId } -InputObject $InputObject
    }

    end {
        Complete-DdaStateChange -Cmdlet $PSCmdlet -Selection $selection -Command dismount -Action 'Dismount' -Force:$Force `
            -Transient:$Transient -Target $Target -WhatIfActive $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference -BoundParameters $PSBoundParameters
    }
}

Register-DdaDeviceCompleter -CommandName Dismount-DdaHostAssignableDevice
