# SPDX-License-Identifier: MIT

function Mount-DdaHostAssignableDevice {
    <#
    .SYNOPSIS
        Gives pooled PCI devices back to the host (their original drivers).

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Mount-VMHostAssignableDevice. For the held functions of
        each device's IOMMU group the engine clears driver_override, unbinds vfio-pci and lets the
        original driver (from its journal) bind again. A device that was disabled before it was
        dismounted (Disable-DdaDevice, or Disable-PnpDevice of DdaBridge.HyperVCompat) comes back
        disabled, as on Hyper-V: enable it afterwards.

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
        Give the device back now but keep it persisted: the next boot takes it for vfio-pci again.
        By default a mount also removes the persistence.

    .PARAMETER Force
        Do not ask for confirmation.

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
        Get-DdaHostAssignableDevice | Mount-DdaHostAssignableDevice

        Gives every pooled device back to the host.

    .EXAMPLE
        Mount-DdaHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf

        Shows the engine's plan only.

    .EXAMPLE
        Mount-DdaHostAssignableDevice 0000:01:00.0 -Force

        Mounts one device without a prompt.

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
        Complete-DdaStateChange -Cmdlet $PSCmdlet -Selection $selection -Command mount -Action 'Mount' -Force:$Force `
            -Transient:$Transient -WhatIfActive $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference -BoundParameters $PSBoundParameters
    }
}

# Only pooled functions can be mounted: offer those.
Register-DdaDeviceCompleter -CommandName Mount-DdaHostAssignableDevice -Source pool
