# SPDX-License-Identifier: MIT

function Get-PnpDevice {
    <#
    .SYNOPSIS
        Gets the PCI devices of this Linux host in the shape of Windows' Get-PnpDevice.

    .DESCRIPTION
        Returns one object per PCI function with the properties Windows scripts use: InstanceId,
        FriendlyName, Class, Service, Status, Problem, Present, Manufacturer, HardwareID. The
        engine maps Linux facts to Windows' words: an NVMe controller is Class SCSIAdapter with
        Service stornvme when the nvme driver drives it, an AHCI controller is HDC/storahci, a
        NIC is Net, and so on (README: Windows vocabulary). A function without a driver has
        Status Error; a disabled one (Disable-PnpDevice) has Problem CM_PROB_DISABLED. Linux
        lists present functions only, so every object has Present $true and -PresentOnly changes
        nothing. The object also carries the Linux Address and LinuxDriver.

    .PARAMETER InstanceId
        Only these instance ids (wildcards allowed).

    .PARAMETER FriendlyName
        Only devices whose friendly name matches (wildcards allowed).

    .PARAMETER Class
        Only these Windows setup classes (SCSIAdapter, Net, Display, ...; wildcards allowed).

    .PARAMETER Status
        Only these statuses (OK, Error).

    .PARAMETER PresentOnly
        Only present devices (all PCI functions sysfs lists are present).

    .PARAMETER Root
        Read a host image instead of the live machine (DdaBridge extension). An empty or blank
        value is refused.

    .EXAMPLE
        Get-PnpDevice -PresentOnly | Where-Object { $_.Class -eq "SCSIAdapter" } | Where-Object { $_.Service -eq "stornvme" }

        The NVMe controllers, as Microsoft's DDA examples find them.

    .EXAMPLE
        Get-PnpDevice -Class Net | Format-Table Status, FriendlyName, Service, Address

        The network controllers with their Linux addresses.

    .EXAMPLE
        Get-PnpDevice -InstanceId 'PCI\VEN_1B36*'

        The devices of one vendor.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.PnpDevice')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [string[]] $InstanceId,
        [SupportsWildcards()] [string[]] $FriendlyName,
        [SupportsWildcards()] [string[]] $Class,
        [string[]] $Status,
        [switch] $PresentOnly,
        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    process {
        $image = Get-PnpCompatImage -BoundParameters $PSBoundParameters -Root $Root -InputObject $null
        $items = @((Get-PnpCompatSnapshot -Cmdlet $PSCmdlet -Root $image -Refresh).Devices)
        foreach ($d in $items) {
            if ($InstanceId -and -not ($InstanceId | Where-Object { $d.InstanceId -like $_ })) { continue }
            if ($FriendlyName -and -not ($FriendlyName | Where-Object { $d.FriendlyName -like $_ })) { continue }
            if ($Class -and -not ($Class | Where-Object { $d.Class -like $_ })) { continue }
            if ($Status -and $d.Status -notin $Status) { continue }
            if ($PresentOnly -and -not $d.Present) { continue }
            $d
        }
        if ($InstanceId -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters(($InstanceId -join ''))) {
            # Windows reports an instance id that matches nothing as an error.
            foreach ($id in $InstanceId) {
                if (-not ($items | Where-Object InstanceId -EQ $id)) {
                    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                            [System.Management.Automation.ItemNotFoundException]::new("No PnP device has the instance id '$id'."),
                            'DeviceNotFound', 'ObjectNotFound', $id))
                }
            }
        }
    }
}
