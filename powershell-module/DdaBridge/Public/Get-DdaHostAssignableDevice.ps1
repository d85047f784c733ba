# SPDX-License-Identifier: MIT

function Get-DdaHostAssignableDevice {
    <#
    .SYNOPSIS
        Gets the assignable-device pool: PCI devices taken from the host for VMs (vfio-pci).

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Get-VMHostAssignableDevice. Returns one
        DdaBridge.AssignableDevice per function on vfio-pci or remembered by the engine's journal:
          InstanceID, LocationPath, ComputerName, IsDeleted   as Hyper-V shows them
          Address, Driver, IommuGroup                         the Linux facts
          OriginalDriver, Since, Operation                    what the journal remembers
          State                                               held, heldOutside (on vfio-pci, not
                                                              dismounted by DdaBridge) or drifted
          Managed                                             $true when DdaBridge dismounted it
        A warning says when an interrupted change needs Repair-DdaHost.

        It only reads.

    .PARAMETER InstanceId
        Only the pooled devices with these instance ids (wildcards allowed).

    .PARAMETER LocationPath
        Only the pooled devices with these location paths (wildcards allowed).

    .PARAMETER Root
        Read a host image (fake sysfs tree) instead of the live machine.

    .OUTPUTS
        DdaBridge.AssignableDevice

    .EXAMPLE
        Get-DdaHostAssignableDevice

        Lists the devices in the pool.

    .EXAMPLE
        Get-DdaHostAssignableDevice | Mount-DdaHostAssignableDevice -Force

        Gives every pooled device back to the host.

    .EXAMPLE
        Get-DdaHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(02*' | Format-List

        Shows the pooled devices below root port 02 with every property.

    .LINK
        Dismount-DdaHostAssignableDevice
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.AssignableDevice')]
    param(
        [SupportsWildcards()]
        [string[]] $InstanceId,

        [SupportsWildcards()]
        [string[]] $LocationPath,

        [ValidateScript({ Assert-DdaRootArgument $_ })]
        [string] $Root
    )

    $rootPath = Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $Root
    $request = [ordered]@{}
    if ($rootPath) { $request.root = $rootPath }
    $pool = Invoke-DdaEngine -Command pool -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
    if ($null -eq $pool) { return }
    if ($pool.RepairNeeded) {
        Write-Warning "DdaBridge: the last operation ($($pool.LastOperation.Kind) $($pool.LastOperation.Id)) did not finish; run Repair-DdaHost."
    }
    $computerName = if ($rootPath) { $null } else { [Environment]::MachineName }
    foreach ($device in (ConvertTo-DdaObject -InputObject $pool.Devices -TypeName $script:DdaTypeName.AssignableDevice -ComputerName $computerName -Root $rootPath)) {
        if ($InstanceId -and -not ($InstanceId | Where-Object { $device.InstanceId -like $_ })) { continue }
        if ($LocationPath -and -not ($LocationPath | Where-Object { $device.LocationPath -like $_ })) { continue }
        $device | Add-Member -NotePropertyMembers ([ordered]@{
                IsDeleted  = $false
                IommuGroup = $device.Group
            }) -Force
        $device
    }
}
