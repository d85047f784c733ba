# SPDX-License-Identifier: MIT

function Disable-PnpDevice {
    <#
    .SYNOPSIS
        Disables PCI devices on this Linux host (unbinds the host driver and keeps it off).

    .DESCRIPTION
        Linux meaning of Windows' Disable-PnpDevice: the engine's disable command sets
        driver_override to "ddabridge-disabled" (no driver has that name, so nothing binds on a
        probe or rescan) and unbinds the current driver; journaled, rolled back on failure.
        Refused for bridges, the root disk, mounted filesystems, the boot display and pooled
        devices. Like Windows it asks for confirmation (ConfirmImpact High): scripts pass
        -Confirm:$false. -WhatIf prints the engine's plan.

    .PARAMETER InstanceId
        The devices' instance ids (bound from piped Get-PnpDevice objects).

    .PARAMETER PassThru
        Output the device (Get-PnpDevice shape) after the change.

    .PARAMETER Root
        Change a fake sysfs tree instead of the live machine (DdaBridge extension). An empty or
        blank value is refused. Without -Root, a piped object's Root property is used.

    .EXAMPLE
        Disable-PnpDevice -InstanceId $pnpdev.InstanceId -Confirm:$false

        Disables one device without a prompt, as DDA scripts do.

    .EXAMPLE
        Get-PnpDevice -Class SCSIAdapter | Disable-PnpDevice -WhatIf

        Shows the engine's plan for every storage controller.

    .EXAMPLE
        Disable-PnpDevice -InstanceId $id -Confirm:$false -PassThru | Format-List Status, Problem

        Disables a device and shows its new state (Error, CM_PROB_DISABLED).
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', PositionalBinding = $false)]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('DeviceID', 'PNPDeviceID')]
        [string[]] $InstanceId,

        [switch] $PassThru,

        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root,

        # Receives piped objects, for their Root property (see -Root).
        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )
    process {
        $image = Get-PnpCompatImage -BoundParameters $PSBoundParameters -Root $Root -InputObject $InputObject
        $null = Invoke-PnpCompatChange -Cmdlet $PSCmdlet -Command disable -Arguments @{ instanceId = $InstanceId } -Root $image
        if ($PassThru -and -not $WhatIfPreference) {
            $again = @{ InstanceId = $InstanceId }
            if ($image) { $again.Root = $image }
            Get-PnpDevice @again
        }
    }
}
