# SPDX-License-Identifier: MIT

function Mount-VMHostAssignableDevice {
    <#
    .SYNOPSIS
        Mounts a pooled PCI device back to this Linux host.

    .DESCRIPTION
        Linux meaning of Hyper-V's Mount-VMHostAssignableDevice: the engine's mount (vfio-pci off,
        the original state back). A device disabled before dismount comes back disabled, as on
        Hyper-V: Enable-PnpDevice afterwards. ConfirmImpact Medium (no prompt by default).

    .PARAMETER Transient
        Linux only: give the device back now but keep it persisted for vfio-pci at the next boot.

    .PARAMETER LocationPath
        The device's location path.

    .PARAMETER InstanceId
        The device's instance id.

    .PARAMETER PassThru
        Output the device (Get-PnpDevice shape) after the change.

    .PARAMETER Root
        Change a fake sysfs tree instead of the live machine (DdaBridge extension). An empty or
        blank value is refused. Without -Root, a piped object's Root property is used.

    .EXAMPLE
        Mount-VMHostAssignableDevice -LocationPath $locationpath

        Gives a device back to the host.

    .EXAMPLE
        Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice

        Gives every pooled device back.

    .EXAMPLE
        Mount-VMHostAssignableDevice -LocationPath $lp -WhatIf

        Shows the engine's plan.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    param(
        [Parameter(ValueFromPipelineByPropertyName)] [string] $LocationPath,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $InstanceId,
        [switch] $PassThru,

        [switch] $Transient,
        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root,

        # Receives piped objects, for their Root property (see -Root).
        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )
    process {
        $image = Get-PnpCompatImage -BoundParameters $PSBoundParameters -Root $Root -InputObject $InputObject
        $device = if ($LocationPath) { @{ locationPath = $LocationPath } } else { @{ instanceId = $InstanceId } }
        if ($Transient) { $device.transient = $true }
        $result = Invoke-PnpCompatChange -Cmdlet $PSCmdlet -Command mount -Arguments $device -Root $image
        if ($PassThru -and $result) {
            $again = @{}
            if ($image) { $again.Root = $image }
            Get-PnpDevice @again | Where-Object { $_.Properties.DEVPKEY_Device_LocationPaths -contains $LocationPath -or $_.InstanceId -eq $InstanceId }
        }
    }
}
