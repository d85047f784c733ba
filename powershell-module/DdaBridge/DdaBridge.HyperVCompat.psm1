# SPDX-License-Identifier: MIT
#
# DdaBridge.HyperVCompat: the Windows cmdlets a Hyper-V DDA script uses, for Linux, backed by the
# DdaBridge engine, so that such a script runs unchanged on a Linux/VFIO host:
#
#   Get-PnpDevice, Get-PnpDeviceProperty, Disable-PnpDevice, Enable-PnpDevice
#   Get-VMHostAssignableDevice, Dismount-VMHostAssignableDevice, Mount-VMHostAssignableDevice
#
# Opt-in: import it explicitly (Import-Module <dist>/DdaBridge/DdaBridge.HyperVCompat.psd1). It
# refuses to load on Windows and wherever Hyper-V's own cmdlets exist, so it never shadows them.
# Linux meaning of each cmdlet: see about_DdaBridge (HYPER-V COMPATIBILITY) and docs/powershell.md.
# Every cmdlet is a thin front for one engine request, through DdaBridge's private helpers.

Set-StrictMode -Version 1

# Windows PowerShell 5.1 runs only on Windows and has no $IsWindows (reading it fails under StrictMode).
if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
    throw [System.PlatformNotSupportedException]::new(
        'DdaBridge.HyperVCompat is for Linux hosts: on Windows use the PnpDevice and Hyper-V modules themselves.')
}
$hyperV = @(Get-Command -Name 'Dismount-VMHostAssignableDevice', 'Get-VMHostAssignableDevice' -CommandType Cmdlet -ErrorAction Ignore) +
    @(Get-Module -ListAvailable -Name 'Hyper-V', 'PnpDevice' -ErrorAction Ignore)
if ($hyperV.Count) {
    throw [System.InvalidOperationException]::new(
        "DdaBridge.HyperVCompat will not load here: Hyper-V's or PnpDevice's own cmdlets exist ($(@($hyperV | ForEach-Object Name | Select-Object -Unique) -join ', ')).")
}
Remove-Variable -Name hyperV

# The main module: reuse the session's copy, else import it (globally, so Dda* cmdlets are there too).
$script:Dda = Get-Module -Name DdaBridge | Select-Object -First 1
if (-not $script:Dda) {
    $script:Dda = Import-Module (Join-Path $PSScriptRoot 'DdaBridge.psd1') -PassThru -Global -ErrorAction Stop
}

function Invoke-DdaCompatEngine {
    # One engine request through DdaBridge's transport, errors written through the caller.
    param([string] $Command, [System.Collections.IDictionary] $Arguments, $Cmdlet)
    & $script:Dda { param($c, $a, $p) Invoke-DdaEngine -Command $c -Arguments $a -Cmdlet $p -ErrorMode Write } $Command $Arguments $Cmdlet
}

function Invoke-DdaCompatStateChange {
    # DdaBridge's state-change runner (engine plan in -WhatIf, ShouldProcess, per-device errors).
    param([System.Collections.IDictionary] $Parameters)
    & $script:Dda { param($p) Invoke-DdaStateChange @p } $Parameters
}

function Get-DdaCompatRoot {
    param($Cmdlet, [string] $Root)
    if ([string]::IsNullOrWhiteSpace($Root)) { return $null }
    $Cmdlet.GetUnresolvedProviderPathFromPSPath($Root)
}

function ConvertTo-DdaCompatPnpDevice {
    # The engine's pnp answer as Get-PnpDevice-shaped objects.
    param($Items, [string] $Root)
    foreach ($item in @($Items)) {
        if ($null -eq $item) { continue }
        $o = & $script:Dda { param($i, $r) ConvertTo-DdaObject -InputObject $i -TypeName 'DdaBridge.PnpDevice' -ComputerName $(if ($r) { $null } else { [Environment]::MachineName }) -Root $r } $item $Root
        $o | Add-Member -NotePropertyMembers ([ordered]@{
                Class       = $o.PnpClass
                Name        = $o.FriendlyName
                DeviceID    = $o.InstanceId
                PNPDeviceID = $o.InstanceId
                HardwareID  = [string[]] @($o.HardwareId)
            }) -Force
        $o
    }
}

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
        Read a host image instead of the live machine (DdaBridge extension).

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
        [string] $Root
    )
    process {
        $rootPath = Get-DdaCompatRoot $PSCmdlet $Root
        $request = [ordered]@{}
        if ($rootPath) { $request.root = $rootPath }
        $items = Invoke-DdaCompatEngine -Command pnp -Arguments $request -Cmdlet $PSCmdlet
        foreach ($d in (ConvertTo-DdaCompatPnpDevice $items $rootPath)) {
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
                if (-not (@(ConvertTo-DdaCompatPnpDevice $items $rootPath) | Where-Object InstanceId -EQ $id)) {
                    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                            [System.Management.Automation.ItemNotFoundException]::new("No PnP device has the instance id '$id'."),
                            'DeviceNotFound', 'ObjectNotFound', $id))
                }
            }
        }
    }
}

# Windows' DEVPROP types of the keys the engine gives.
$script:DdaPropertyType = @{
    DEVPKEY_Device_LocationPaths = 'StringList'
    DEVPKEY_Device_HardwareIds   = 'StringList'
    DEVPKEY_PciDevice_BaseClass  = 'Byte'
    DEVPKEY_PciDevice_SubClass   = 'Byte'
    DEVPKEY_PciDevice_ProgIf     = 'Byte'
}

function Get-PnpDeviceProperty {
    <#
    .SYNOPSIS
        Gets device properties (DEVPKEY_*) of PCI devices, in the shape of Windows' Get-PnpDeviceProperty.

    .DESCRIPTION
        Returns objects with InstanceId, KeyName, Type and Data. The engine provides
        DEVPKEY_Device_LocationPaths (Data is a string array: .Data[0] is the location path
        Dismount-VMHostAssignableDevice takes), DEVPKEY_Device_InstanceId, _FriendlyName, _Class,
        _Service, _HardwareIds, _Manufacturer, _Parent and DEVPKEY_PciDevice_BaseClass, _SubClass,
        _ProgIf. Devices piped from Get-PnpDevice bind by InstanceId.

    .PARAMETER KeyName
        Only these keys (wildcards allowed). Default: every key.

    .PARAMETER InstanceId
        The devices' instance ids.

    .PARAMETER Root
        Read a host image instead of the live machine (DdaBridge extension; binds from piped objects).

    .EXAMPLE
        ($pnpdev | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths).Data[0]

        The location path of a device from Get-PnpDevice.

    .EXAMPLE
        Get-PnpDevice -Class SCSIAdapter | Get-PnpDeviceProperty DEVPKEY_PciDevice_* | Format-Table InstanceId, KeyName, Data

        The PCI class properties of the storage controllers.

    .EXAMPLE
        Get-PnpDeviceProperty -InstanceId 'PCI\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02\2&E10FC46D&0&0000'

        Every property of one device.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.PnpDeviceProperty')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]] $KeyName,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Alias('DeviceID', 'PNPDeviceID')]
        [string[]] $InstanceId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [AllowNull()] [AllowEmptyString()]
        [string] $Root
    )
    process {
        $rootPath = Get-DdaCompatRoot $PSCmdlet $Root
        foreach ($id in $InstanceId) {
            $request = [ordered]@{ instanceId = $id }
            if ($rootPath) { $request.root = $rootPath }
            $items = Invoke-DdaCompatEngine -Command pnp -Arguments $request -Cmdlet $PSCmdlet
            foreach ($device in @($items)) {
                if ($null -eq $device) { continue }
                foreach ($p in $device.Properties.PSObject.Properties) {
                    if ($KeyName -and -not ($KeyName | Where-Object { $p.Name -like $_ })) { continue }
                    $value = $p.Value
                    $type = $script:DdaPropertyType[$p.Name]
                    if (-not $type) {
                        $type = if ($null -eq $value) { 'Empty' } elseif ($value -is [bool]) { 'Boolean' } elseif ($value -is [array]) { 'StringList' }
                        elseif ($value -is [int] -or $value -is [long]) { 'UInt32' } else { 'String' }
                    }
                    $data = switch ($type) {
                        'StringList' { , [string[]] @($value) }   # ',': keep the array (.Data[0])
                        'Byte' { [byte] $value }
                        'UInt32' { [uint32] $value }
                        default { $value }
                    }
                    [pscustomobject]@{
                        PSTypeName = 'DdaBridge.PnpDeviceProperty'
                        InstanceId = $device.InstanceId
                        KeyName    = $p.Name
                        Type       = $type
                        Data       = $data
                    }
                }
            }
        }
    }
}

function Invoke-DdaCompatDeviceChange {
    # Shared body of the state-changing compat cmdlets.
    param($Cmdlet, [string] $Command, [string] $Action, [string] $Key, [string[]] $Values, [string] $Root,
        [switch] $Force, [System.Management.Automation.ConfirmImpact] $Impact, $BoundParameters, $WhatIf, $ConfirmPreferenceValue)
    $lookups = [System.Collections.Generic.List[object]]::new()
    foreach ($v in $Values) { if (-not [string]::IsNullOrWhiteSpace($v)) { $lookups.Add(@($Key, $v.Trim())) } }
    $rootPath = Get-DdaCompatRoot $Cmdlet $Root
    $base = [ordered]@{}
    if ($rootPath) { $base.root = $rootPath }
    Invoke-DdaCompatStateChange @{
        Cmdlet = $Cmdlet; Command = $Command; Action = $Action; Lookups = $lookups; BaseArguments = $base
        Force = [bool] $Force; Root = $rootPath; WhatIfActive = [bool] $WhatIf; ConfirmPreferenceValue = [string] $ConfirmPreferenceValue
        Impact = $Impact; ConfirmSwitch = $(if ($BoundParameters.ContainsKey('Confirm')) { [bool] $BoundParameters['Confirm'] } else { $null })
    }
}

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
        Change a fake sysfs tree instead of the live machine (DdaBridge extension).

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
        [Parameter(ValueFromPipelineByPropertyName)] [AllowNull()] [AllowEmptyString()] [string] $Root
    )
    process {
        $null = Invoke-DdaCompatDeviceChange -Cmdlet $PSCmdlet -Command disable -Action 'Disable' -Key InstanceId -Values $InstanceId -Root $Root `
            -Impact High -BoundParameters $PSBoundParameters -WhatIf $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference
        if ($PassThru -and -not $WhatIfPreference) { Get-PnpDevice -InstanceId $InstanceId -Root $Root }
    }
}

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
        Change a fake sysfs tree instead of the live machine (DdaBridge extension).

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
        [Parameter(ValueFromPipelineByPropertyName)] [AllowNull()] [AllowEmptyString()] [string] $Root
    )
    process {
        $null = Invoke-DdaCompatDeviceChange -Cmdlet $PSCmdlet -Command enable -Action 'Enable' -Key InstanceId -Values $InstanceId -Root $Root `
            -Impact High -BoundParameters $PSBoundParameters -WhatIf $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference
        if ($PassThru -and -not $WhatIfPreference) { Get-PnpDevice -InstanceId $InstanceId -Root $Root }
    }
}

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
        Read a fake sysfs tree instead of the live machine (DdaBridge extension).

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
    param([string[]] $InstanceId, [string[]] $LocationPath, [string] $Root)
    $p = @{}
    foreach ($k in 'InstanceId', 'LocationPath', 'Root') { if ($PSBoundParameters.ContainsKey($k) -and $PSBoundParameters[$k]) { $p[$k] = $PSBoundParameters[$k] } }
    DdaBridge\Get-DdaHostAssignableDevice @p
}

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

    .PARAMETER LocationPath
        The device's location path (from DEVPKEY_Device_LocationPaths).

    .PARAMETER InstanceId
        The device's instance id.

    .PARAMETER Force
        Dismount although a soft guard objects.

    .PARAMETER PassThru
        Output the pooled device.

    .PARAMETER Root
        Change a fake sysfs tree instead of the live machine (DdaBridge extension).

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
        [Parameter(ValueFromPipelineByPropertyName)] [AllowNull()] [AllowEmptyString()] [string] $Root
    )
    process {
        $key, $value = if ($LocationPath) { 'LocationPath', $LocationPath } else { 'InstanceId', $InstanceId }
        $result = Invoke-DdaCompatDeviceChange -Cmdlet $PSCmdlet -Command dismount -Action 'Dismount' -Key $key -Values $value -Root $Root `
            -Force:$Force -Impact Medium -BoundParameters $PSBoundParameters -WhatIf $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference
        if ($PassThru -and $result) { Get-VMHostAssignableDevice -Root $Root | Where-Object { $_.LocationPath -eq $LocationPath -or $_.InstanceId -eq $InstanceId } }
    }
}

function Mount-VMHostAssignableDevice {
    <#
    .SYNOPSIS
        Mounts a pooled PCI device back to this Linux host.

    .DESCRIPTION
        Linux meaning of Hyper-V's Mount-VMHostAssignableDevice: the engine's mount (vfio-pci off,
        the original state back). A device disabled before dismount comes back disabled, as on
        Hyper-V: Enable-PnpDevice afterwards. ConfirmImpact Medium (no prompt by default).

    .PARAMETER LocationPath
        The device's location path.

    .PARAMETER InstanceId
        The device's instance id.

    .PARAMETER PassThru
        Output the device (Get-PnpDevice shape) after the change.

    .PARAMETER Root
        Change a fake sysfs tree instead of the live machine (DdaBridge extension).

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
        [Parameter(ValueFromPipelineByPropertyName)] [AllowNull()] [AllowEmptyString()] [string] $Root
    )
    process {
        $key, $value = if ($LocationPath) { 'LocationPath', $LocationPath } else { 'InstanceId', $InstanceId }
        $result = Invoke-DdaCompatDeviceChange -Cmdlet $PSCmdlet -Command mount -Action 'Mount' -Key $key -Values $value -Root $Root `
            -Impact Medium -BoundParameters $PSBoundParameters -WhatIf $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference
        if ($PassThru -and $result) { Get-PnpDevice -Root $Root | Where-Object { $_.Properties.DEVPKEY_Device_LocationPaths -contains $LocationPath -or $_.InstanceId -eq $InstanceId } }
    }
}

Export-ModuleMember -Function 'Disable-PnpDevice', 'Dismount-VMHostAssignableDevice', 'Enable-PnpDevice', 'Get-PnpDevice',
    'Get-PnpDeviceProperty', 'Get-VMHostAssignableDevice', 'Mount-VMHostAssignableDevice'
