# SPDX-License-Identifier: MIT

function Enable-PnpDevice {
    <#
    .SYNOPSIS
        Enables disabled PCI devices on this Linux host (the kernel binds their driver again).

    .DESCRIPTION
        Linux meaning of Windows' Enable-PnpDevice: the engine's enable command clears
        driver_override and runs drivers_probe, so the device's natural driver binds. Pooled
        devices are refused (Mount-VMHostAssignableDevice first). ConfirmImpact High, as on Windows.

    .PARAMETER InstanceId
        The devices' instance ids (bound from piped Get-PnpDevice objects).

    .PARAMETER PassThru
        Output the device (Get-PnpDevice shape) after the change.

    .PARAMETER Root
        Change a fake sysfs tree instead of the live machine (DdaBridge extension). An empty or
        blank value is refused. Without -Root, a piped object's Root property is used.

    .EXAMPLE
        Enable-PnpDevice -InstanceId $pnpdev.InstanceId -Confirm:$false

        Gives a device its driver back.

    .EXAMPLE
        Get-PnpDevice -Status Error | Enable-PnpDevice -WhatIf

        Shows the engine's plan for every device without a driver.

    .EXAMPLE
        Enable-PnpDevice -InstanceId $id -Confirm:$false -PassThru

        Enables a device and shows it.
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
        $null = Invoke-PnpCompatChange -Cmdlet $PSCmdlet -Command enable -Arguments @{ instanceId = $InstanceId } -Root $image
        if ($PassThru -and -not $WhatIfPreference) {
            $again = @{ InstanceId = $InstanceId }
            if ($image) { $again.Root = $image }
            Get-PnpDevice @again
        }
    }
}
