# SPDX-License-Identifier: MIT

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
        foreach ($id in $InstanceId) {
            $request = @{ Command = 'pnp'; Arguments = @{ instanceId = $id }; Cmdlet = $PSCmdlet }
            if ($image) { $request.Root = $image }
            foreach ($device in @(DdaBridge\Invoke-DdaEngineRequest @request)) {
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
