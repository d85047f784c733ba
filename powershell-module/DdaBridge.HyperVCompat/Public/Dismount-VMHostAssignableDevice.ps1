# SPDX-License-Identifier: MIT

function Dismount-VMHostAssignableDevice {
    <#
    .SYNOPSIS
        Dismounts a PCI device from this Linux host into the assignable-device pool (vfio-pci).

    .DESCRIPTION
        Linux meaning of Hyper-V's Dismount-VMHostAssignableDevice: the engine's dismount (the
        device's whole IOMMU group to vfio-pci, VFIO viability checked, journaled). Like Hyper-V
        it does not ask for confirmation by default (ConfirmImpact Medium; -Confirm asks).
        -Force overrides the engine's soft guards (device in use, default-route NIC, the checker's
        NotAssignable verdict) as Hyper-V's -Force overrides the missing mitigation driver.
        Outputs nothing unless -PassThru.

    .PARAMETER Transient
        Linux only (Hyper-V always persists): change the running system only; the next boot gives the
        device back to its host driver.

    .PARAMETER LocationPath
        The device's location path (from DEVPKEY_Device_LocationPaths).

    .PARAMETER InstanceId
        The device's instance id.

    .PARAMETER Force
        Dismount although a soft guard objects.

    .PARAMETER PassThru
        Output the pooled device.

    .PARAMETER Root
        Change a fake sysfs tree instead of the live machine (DdaBridge extension). An empty or
        blank value is refused. Without -Root, a piped object's Root property is used.

    .EXAMPLE
        Dismount-VMHostAssignableDevice -LocationPath $locationpath

        Dismounts a device by location path.

    .EXAMPLE
        Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf

        Shows the engine's plan.

    .EXAMPLE
        Dismount-VMHostAssignableDevice -InstanceId $id -Force -PassThru

        Dismounts by instance id despite a soft guard and shows the pooled device.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    param(
        [Parameter(ValueFromPipelineByPropertyName)] [string] $LocationPath,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $InstanceId,
        [switch] $Force,
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
        $result = Invoke-PnpCompatChange -Cmdlet $PSCmdlet -Command dismount -Arguments $device -Root $image -Force:$Force
        if ($PassThru -and $result) {
            $pool = @{}
            if ($image) { $pool.Root = $image }
            Get-VMHostAssignableDevice @pool | Where-Object { $_.LocationPath -eq $LocationPath -or $_.InstanceId -eq $InstanceId }
        }
    }
}
