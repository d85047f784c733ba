# SPDX-License-Identifier: MIT
#
# Turns the engine's camelCase JSON objects into typed PowerShell objects: PascalCase property
# names, a PSTypeName per kind of object (for Formats/DdaBridge.Format.ps1xml and for
# [PSTypeName()] parameters), and pipeline-friendly extras such as ComputerName.

# Type names, defined once (PowerShellForGitHub style).
Set-Variable -Scope Script -Option ReadOnly -Force -Name DdaTypeName -Value ([ordered]@{
        Device = 'DdaBridge.Device'
        Bar    = 'DdaBridge.Bar'
        Survey = 'DdaBridge.Survey'
        Host   = 'DdaBridge.Host'
    })

# Which type a nested property holds, per parent type. Unlisted nested objects are still
# converted to PascalCase, but get no type name.
Set-Variable -Scope Script -Option ReadOnly -Force -Name DdaNestedTypeName -Value @{
    'DdaBridge.Device' = @{ Bars = 'DdaBridge.Bar' }
    'DdaBridge.Survey' = @{ Host = 'DdaBridge.Host'; Devices = 'DdaBridge.Device' }
}

# Types that carry a ComputerName property (where the data was read).
Set-Variable -Scope Script -Option ReadOnly -Force -Name DdaTypesWithComputerName -Value @(
    'DdaBridge.Device', 'DdaBridge.Host', 'DdaBridge.Survey'
)

function ConvertTo-DdaPascalCase {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Name)
    if ($Name.Length -eq 0) { return $Name }
    [char]::ToUpperInvariant($Name[0]) + $Name.Substring(1)
}

function ConvertTo-DdaObject {
    <#
    .SYNOPSIS
        Converts engine JSON objects (from ConvertFrom-Json) to typed PascalCase objects.
    .PARAMETER InputObject
        An object, or an array of objects, as returned by ConvertFrom-Json.
    .PARAMETER TypeName
        The PSTypeName to give each top-level object (e.g. DdaBridge.Device).
    .PARAMETER ComputerName
        Value of the ComputerName property added to devices, hosts and surveys.
    .PARAMETER Root
        The host image the data was read from ($null for the live machine); added as Root.
    #>
    [CmdletBinding()]
    [OutputType([psobject])]
    param(
        [Parameter(ValueFromPipeline)] [AllowNull()] [object] $InputObject,
        [string] $TypeName,
        [AllowNull()] [string] $ComputerName,
        [AllowNull()] [string] $Root
    )
    process {
        if ($null -eq $InputObject) { return }
        foreach ($item in @($InputObject)) {
            ConvertTo-DdaObjectCore -Value $item -TypeName $TypeName -ComputerName $ComputerName -Root $Root
        }
    }
}

function ConvertTo-DdaObjectCore {
    [CmdletBinding()]
    param(
        [AllowNull()] [object] $Value,
        [string] $TypeName,
        [AllowNull()] [string] $ComputerName,
        [AllowNull()] [string] $Root
    )
    if ($Value -isnot [System.Management.Automation.PSCustomObject]) {
        # Scalars pass through; arrays are converted element by element (and stay arrays).
        if ($Value -is [System.Collections.IList] -and $Value -isnot [string]) {
            $converted = foreach ($element in $Value) {
                ConvertTo-DdaObjectCore -Value $element -TypeName $TypeName -ComputerName $ComputerName -Root $Root
            }
            return , @($converted)
        }
        return $Value
    }

    $nested = if ($TypeName) { $script:DdaNestedTypeName[$TypeName] } else { $null }
    $properties = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        $name = ConvertTo-DdaPascalCase -Name $property.Name
        $childType = if ($nested) { $nested[$name] } else { $null }
        $properties[$name] = ConvertTo-DdaObjectCore -Value $property.Value -TypeName $childType -ComputerName $ComputerName -Root $Root
    }
    if ($TypeName -and $TypeName -in $script:DdaTypesWithComputerName) {
        # The engine may name the host itself; otherwise the caller tells where the data came from.
        if (-not $properties.Contains('ComputerName')) {
            $fromEngine = foreach ($key in 'Hostname', 'HostName') { if ($properties.Contains($key)) { $properties[$key] } }
            $properties['ComputerName'] = if ($fromEngine) { [string] @($fromEngine)[0] } else { $ComputerName }
        }
        if (-not $properties.Contains('Root')) { $properties['Root'] = $Root }
    }

    $object = [pscustomobject] $properties
    if ($TypeName) { $object.PSObject.TypeNames.Insert(0, $TypeName) }
    $object
}
