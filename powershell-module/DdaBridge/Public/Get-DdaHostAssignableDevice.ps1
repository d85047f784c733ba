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
        Read a host image (fake sysfs tree) instead of the live machine. An empty or blank value
        is refused. Without -Root, a piped object's own Root property (the image Get-DdaDevice read
        it from; empty for this host) says where to look.

    .INPUTS
        Any object with InstanceId or LocationPath (by property name; e.g. DdaBridge.Device):
        only those devices of the pool are listed, from the host image the object was read from.

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
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeviceInstanceId', 'PNPDeviceID')]
        [SupportsWildcards()]
        [string[]] $InstanceId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [string[]] $LocationPath,

        # By property name too (see Resolve-DdaInputRoot); the command-line value is checked in begin.
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
        $commandLine = @{ InstanceId = $InstanceId; LocationPath = $LocationPath }
        # host image -> filters: @(instance id patterns, location path patterns); both empty = every device.
        $filters = [ordered]@{}
    }

    process {
        $piped = $PSBoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject
        if ($piped) { $selection.SawInput = $true }
        $rootPath = Resolve-DdaInputRoot -Cmdlet $PSCmdlet -Selection $selection -Root $Root -InputObject $InputObject -Piped $piped
        if ($null -eq $rootPath) { return }
        if (-not $filters.Contains($rootPath)) { $filters[$rootPath] = [System.Collections.Generic.List[object]]::new() }
        # A piped device's own ids are literal names, not patterns.
        $ids = if ($piped -and -not $commandLine.InstanceId) { @($InstanceId | Where-Object { $_ } | ForEach-Object { [WildcardPattern]::Escape($_) }) } else { @() }
        $paths = if ($piped -and -not $commandLine.LocationPath) { @($LocationPath | Where-Object { $_ } | ForEach-Object { [WildcardPattern]::Escape($_) }) } else { @() }
        $filters[$rootPath].Add(@(, $ids) + @(, $paths))
    }

    end {
        foreach ($rootPath in $filters.Keys) {
            $request = [ordered]@{}
            if ($rootPath) { $request.root = $rootPath }
            $pool = Invoke-DdaEngine -Command pool -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
            if ($null -eq $pool) { continue }
            if ($pool.RepairNeeded) {
                Write-Warning "DdaBridge: the last operation ($($pool.LastOperation.Kind) $($pool.LastOperation.Id)) did not finish; run Repair-DdaHost."
            }
            $computerName = if ($rootPath) { $null } else { [Environment]::MachineName }
            foreach ($device in (ConvertTo-DdaObject -InputObject $pool.Devices -TypeName $script:DdaTypeName.AssignableDevice -ComputerName $computerName -Root $rootPath)) {
                if ($commandLine.InstanceId -and -not ($commandLine.InstanceId | Where-Object { $device.InstanceId -like $_ })) { continue }
                if ($commandLine.LocationPath -and -not ($commandLine.LocationPath | Where-Object { $device.LocationPath -like $_ })) { continue }
                # Piped devices: the pooled ones among them (an object naming neither id lets every device through).
                $wanted = $false
                foreach ($f in $filters[$rootPath]) {
                    $ids, $paths = $f
                    if (-not $ids -and -not $paths) { $wanted = $true; break }
                    if ($ids | Where-Object { $device.InstanceId -like $_ }) { $wanted = $true; break }
                    if ($paths | Where-Object { $device.LocationPath -like $_ }) { $wanted = $true; break }
                }
                if (-not $wanted) { continue }
                $device | Add-Member -NotePropertyMembers ([ordered]@{
                        IsDeleted  = $false
                        IommuGroup = $device.Group
                    }) -Force
                $device
            }
        }
    }
}
