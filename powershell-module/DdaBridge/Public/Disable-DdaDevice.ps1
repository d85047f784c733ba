# SPDX-License-Identifier: MIT

function Disable-DdaDevice {
    <#
    .SYNOPSIS
        Disables PCI devices on the host: unbinds their driver and keeps them without one.

    .DESCRIPTION
        The Linux meaning of Windows' Disable-PnpDevice: the engine sets driver_override to
        "ddabridge-disabled" (a name no driver has, so no probe or rescan binds anything) and
        unbinds the current driver. Only the named functions are touched, not their IOMMU group.
        Journaled and rolled back like a dismount. Refused for bridges, the root disk, mounted
        filesystems, the boot display and pooled devices (mount them first); -Force overrides
        the soft guards (in use, default-route NIC).

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

    .PARAMETER Force
        Disable although a soft guard objects, and do not ask for confirmation.

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
        Disable-DdaDevice 0000:01:00.0 -WhatIf

        Shows the engine's plan only.

    .EXAMPLE
        Get-DdaDevice -Class 0108 | Disable-DdaDevice -Confirm:$false

        Disables every NVMe controller without prompting.

    .EXAMPLE
        Disable-DdaDevice -InstanceId 'PCI\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02\2&E10FC46D&0&0000' -Root /tmp/host-tree

        Disables a device of a fake sysfs tree.

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
        Complete-DdaStateChange -Cmdlet $PSCmdlet -Selection $selection -Command disable -Action 'Disable' -Force:$Force `
            -WhatIfActive $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference -BoundParameters $PSBoundParameters
    }
}

Register-DdaDeviceCompleter -CommandName Disable-DdaDevice
