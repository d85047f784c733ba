# SPDX-License-Identifier: MIT

function Get-VMHostAssignableDevice {
    <#
    .SYNOPSIS
        Gets the devices dismounted from this Linux host for VMs (the vfio-pci pool).

    .DESCRIPTION
        Same as Get-DdaHostAssignableDevice: objects with InstanceID, LocationPath,
        ComputerName, IsDeleted as Hyper-V shows them, plus the Linux facts.

    .PARAMETER InstanceId
        Only these instance ids (wildcards allowed).

    .PARAMETER LocationPath
        Only these location paths (wildcards allowed).

    .PARAMETER Root
        Read a fake sysfs tree instead of the live machine (DdaBridge extension). An empty or
        blank value is refused.

    .EXAMPLE
        Get-VMHostAssignableDevice

        Lists the pool.

    .EXAMPLE
        Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice

        Gives every pooled device back to the host.

    .EXAMPLE
        Get-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)'

        One pooled device.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.AssignableDevice')]
    param(
        [string[]] $InstanceId,
        [string[]] $LocationPath,
        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    $p = @{}
    foreach ($k in 'InstanceId', 'LocationPath', 'Root') { if ($PSBoundParameters.ContainsKey($k) -and $PSBoundParameters[$k]) { $p[$k] = $PSBoundParameters[$k] } }
    DdaBridge\Get-DdaHostAssignableDevice @p
}
