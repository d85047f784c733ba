# SPDX-License-Identifier: MIT

# The objects Get-PnpDeviceProperty writes.

function New-PnpCompatProperty {
    # One Get-PnpDeviceProperty object; Data typed by the key table's type (Windows' types), Type
    # Empty and no Data when the device has no value.
    param($Device, [string] $Name, $Key, $Value)
    $type = if ($null -eq $Value) { 'Empty' } elseif ($Key) { [string] $Key.Type } elseif ($Value -is [array]) { 'StringList' } else { 'String' }
    $data = if ($null -eq $Value) { $null } else {
        switch ($type) {
            'StringList' { , [string[]] @($Value) }   # ',': keep the array (.Data[0])
            'Byte' { [byte] $Value }
            'UInt32' { [uint32] $Value }
            'Boolean' { [bool] $Value }
            default { $Value }
        }
    }
    $o = [pscustomobject]@{
        PSTypeName = 'DdaBridge.PnpDeviceProperty'
        InstanceId = $Device.InstanceId
        KeyName    = $Name
        Type       = $type
        Data       = $data
    }
    if ($Device.PSObject.Properties['Root']) { $o | Add-Member -NotePropertyName Root -NotePropertyValue $Device.Root }
    $o
}

function Write-PnpCompatUnknownKey {
    # Windows answers a key it does not know with an Empty property and an error; so does this.
    param([System.Management.Automation.PSCmdlet] $Cmdlet, $Device, [string] $Requested)
    [pscustomobject]@{
        PSTypeName = 'DdaBridge.PnpDeviceProperty'
        InstanceId = $Device.InstanceId
        KeyName    = $Requested
        Type       = 'Empty'
        Data       = $null
    }
    $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.ArgumentException]::new("The device property key '$Requested' is not known (device $($Device.InstanceId))."),
            'InvalidKey', 'InvalidArgument', $Requested))
}
