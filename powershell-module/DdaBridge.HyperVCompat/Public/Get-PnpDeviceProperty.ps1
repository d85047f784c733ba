# SPDX-License-Identifier: MIT

function Get-PnpDeviceProperty {
    <#
    .SYNOPSIS
        Gets device properties (DEVPKEY_*) of PCI devices, in the shape of Windows' Get-PnpDeviceProperty.

    .DESCRIPTION
        Returns objects with InstanceId, KeyName, Type and Data. The engine provides
        DEVPKEY_Device_LocationPaths (Data is a string array: .Data[0] is the location path
        Dismount-VMHostAssignableDevice takes), DEVPKEY_Device_InstanceId, _FriendlyName, _Class,
        _Service, _HardwareIds, _Manufacturer, _Parent and DEVPKEY_PciDevice_BaseClass, _SubClass,
        _ProgIf, and the ones Microsoft's SurveyDDA.ps1 reads: DEVPKEY_PciDevice_DeviceType,
        _AcsCompatibleUpHierarchy, _RequiresReservedMemoryRegion (Boolean), _InterruptSupport, from
        the survey's Hyper-V judgement. Devices piped from Get-PnpDevice bind by InstanceId.

        A key is a DEVPKEY_* name (wildcards allowed) or, as Windows also accepts, its
        "{fmtid} pid" form, e.g. "{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34" (any whitespace
        between the two). Names and types come from the engine's one key table (its devpkeys
        command). A known key the device has no value for gives Type Empty and no Data; a key the
        table does not know gives the same object plus a non-terminating error (InvalidKey), as
        Windows does.

    .PARAMETER KeyName
        Only these keys: names (wildcards allowed) or "{fmtid} pid" strings. Default: every key
        the device has.

    .PARAMETER InstanceId
        The devices' instance ids.

    .PARAMETER Root
        Read a host image instead of the live machine (DdaBridge extension). An empty or blank
        value is refused. Without -Root, a piped object's Root property is used.

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

        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root,

        # Receives piped objects, for their Root property (see -Root).
        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )
    process {
        $image = Get-PnpCompatImage -BoundParameters $PSBoundParameters -Root $Root -InputObject $InputObject
        $keys = Get-PnpCompatKeyTable -Cmdlet $PSCmdlet
        $all = (Get-PnpCompatSnapshot -Cmdlet $PSCmdlet -Root $image).Devices
        foreach ($id in $InstanceId) {
            $found = @($all | Where-Object { $_.InstanceId -eq $id })
            if (-not $found) {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.Management.Automation.ItemNotFoundException]::new("No PnP device has the instance id '$id'."),
                        'DeviceNotFound', 'ObjectNotFound', $id))
                continue
            }
            foreach ($device in $found) {
                $values = @{}
                foreach ($p in $device.Properties.PSObject.Properties) { $values[$p.Name] = $p.Value }
                if (-not $KeyName) {
                    foreach ($name in $values.Keys | Sort-Object) {
                        if ($null -ne $values[$name]) { New-PnpCompatProperty -Device $device -Name $name -Key $keys.ByName[$name] -Value $values[$name] }
                    }
                    continue
                }
                foreach ($requested in $KeyName) {
                    $keyId = ConvertTo-PnpCompatKeyId $requested
                    if ($keyId) {
                        $key = $keys.ByKey[$keyId]
                        if (-not $key) {
                            Write-PnpCompatUnknownKey -Cmdlet $PSCmdlet -Device $device -Requested $requested
                            continue
                        }
                        New-PnpCompatProperty -Device $device -Name $key.KeyName -Key $key -Value $values[[string] $key.KeyName]
                        continue
                    }
                    if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($requested)) {
                        foreach ($name in $values.Keys | Where-Object { $_ -like $requested } | Sort-Object) {
                            if ($null -ne $values[$name]) { New-PnpCompatProperty -Device $device -Name $name -Key $keys.ByName[$name] -Value $values[$name] }
                        }
                        continue
                    }
                    $key = $keys.ByName[$requested]
                    if (-not $key -and -not $values.ContainsKey($requested)) {
                        Write-PnpCompatUnknownKey -Cmdlet $PSCmdlet -Device $device -Requested $requested
                        continue
                    }
                    $name = if ($key) { [string] $key.KeyName } else { $requested }
                    New-PnpCompatProperty -Device $device -Name $name -Key $key -Value $values[$name]
                }
            }
        }
    }
}
