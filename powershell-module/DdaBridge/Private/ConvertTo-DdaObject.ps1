# SPDX-License-Identifier: MIT
#
# Turns the engine's camelCase JSON objects into typed PowerShell objects: PascalCase property
# names, a PSTypeName per kind of object (for Formats/DdaBridge.Format.ps1xml and for
# [PSTypeName()] parameters), and pipeline-friendly extras such as ComputerName.

# Type names, defined once (PowerShellForGitHub style).
Set-Variable -Scope Script -Option ReadOnly -Force -Name DdaTypeName -Value ([ordered]@{
        Device           = 'DdaBridge.Device'
        Bar              = 'DdaBridge.Bar'
        Survey           = 'DdaBridge.Survey'
        Host             = 'DdaBridge.Host'
        HostCheck        = 'DdaBridge.HostCheck'
        DeviceReport     = 'DdaBridge.DeviceReport'
        Reason           = 'DdaBridge.Reason'
        IommuGroup       = 'DdaBridge.IommuGroup'
        IommuGroupMember = 'DdaBridge.IommuGroupMember'
        MmioRequirement  = 'DdaBridge.MmioRequirement'
        AssignableDevice = 'DdaBridge.AssignableDevice'
        Operation        = 'DdaBridge.Operation'
        RepairResult     = 'DdaBridge.RepairResult'
        HostImage        = 'DdaBridge.HostImage'
        PnpDevice        = 'DdaBridge.PnpDevice'
        PnpDeviceProperty = 'DdaBridge.PnpDeviceProperty'
    })

# A list property of a typed object (Bars, Reasons, PredictedIommuGroup, ...): a list as before,
# whose text is its elements joined, so that Export-Csv / ConvertTo-Csv (which write a property's
# .NET ToString()) write "0000:01:00.0; 0000:02:00.0" or "BAR0 0xfe000000 size 0x4000" instead of
# System.Object[]. ConvertTo-Json, indexing, .Count and the pipeline see an ordinary list.
class DdaBridgeList : System.Collections.Generic.List[object] {
    # The base constructor copies (a loop here would run as script, per element).
    DdaBridgeList([System.Collections.Generic.IEnumerable[object]] $items) : base($items) {
    }

    static [string] ElementText([object] $item) {
        if ($null -eq $item) { return '' }
        if ($item -isnot [System.Management.Automation.PSCustomObject]) { return [string] $item }
        $p = $item.PSObject.Properties
        if ($p['Index'] -and $p['Start'] -and $p['Size']) {
            return ('BAR{0} 0x{1:x} size 0x{2:x}' -f $item.Index, [uint64] $item.Start, [uint64] $item.Size)
        }
        if ($p['Code']) { return [string] $item.Code }
        if ($p['Id'] -and $p['Status']) { return ('{0}: {1}' -f $item.Id, $item.Status) }
        if ($p['Address']) { return [string] $item.Address }
        if ($p['Source'] -and $p['Value']) { return ('{0}: {1}' -f $item.Source, $item.Value) }
        return (@($p | ForEach-Object { [string] $_.Value }) -join ' ')
    }

    [string] ToString() {
        $parts = [System.Collections.Generic.List[string]]::new()
        foreach ($item in $this) { $parts.Add([DdaBridgeList]::ElementText($item)) }
        return ($parts -join '; ')
    }
}

function ConvertTo-DdaCsvFriendly {
    # Replaces the list-valued properties of one top-level object by DdaBridgeList (see above).
    # Simple function: called once per object of every answer. JSON arrays arrive as object[];
    # string[] and other typed arrays are what the cmdlets add themselves.
    param($Object)
    if ($Object -isnot [System.Management.Automation.PSCustomObject]) { return }
    foreach ($property in $Object.PSObject.Properties) {
        $value = $property.Value
        if ($value -is [array]) { $property.Value = [DdaBridgeList]::new([object[]] $value) }
    }
}

# Which type a nested property holds, per parent type. Unlisted nested objects are still
# converted to PascalCase, but get no type name.
Set-Variable -Scope Script -Option ReadOnly -Force -Name DdaNestedTypeName -Value @{
    'DdaBridge.Device'       = @{ Bars = 'DdaBridge.Bar' }
    'DdaBridge.Survey'       = @{ Host = 'DdaBridge.Host'; Devices = 'DdaBridge.Device' }
    'DdaBridge.Host'         = @{ Checks = 'DdaBridge.HostCheck' }
    'DdaBridge.DeviceReport' = @{ Bars = 'DdaBridge.Bar'; Reasons = 'DdaBridge.Reason' }
    'DdaBridge.IommuGroup'   = @{ Members = 'DdaBridge.IommuGroupMember' }
}

# Types that carry a ComputerName property (where the data was read).
Set-Variable -Scope Script -Option ReadOnly -Force -Name DdaTypesWithComputerName -Value @(
    'DdaBridge.Device', 'DdaBridge.Host', 'DdaBridge.Survey', 'DdaBridge.DeviceReport', 'DdaBridge.IommuGroup',
    'DdaBridge.AssignableDevice', 'DdaBridge.MmioRequirement', 'DdaBridge.Operation', 'DdaBridge.PnpDevice'
)

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
        $nested = if ($TypeName) { $script:DdaNestedTypeName[$TypeName] } else { $null }
        $addComputer = $TypeName -and $TypeName -in $script:DdaTypesWithComputerName
        foreach ($item in @($InputObject)) {
            # Fast path, inlined (function calls per device are what costs in script): objects
            # from ConvertFrom-DdaJson already have PascalCase names and only need decorating.
            $first = $null
            if ($item -is [System.Management.Automation.PSCustomObject]) {
                foreach ($property in $item.PSObject.Properties) { $first = $property.Name; break }
            }
            if (-not $first -or [char]::IsLower($first[0])) {
                foreach ($converted in @(ConvertTo-DdaObjectCore $item $TypeName $ComputerName $Root)) {
                    ConvertTo-DdaCsvFriendly $converted
                    $converted
                }
                continue
            }
            $members = $item.PSObject.Properties
            if ($nested) {
                foreach ($name in $nested.Keys) {
                    $member = $members[$name]
                    if (-not $member -or $null -eq $member.Value) { continue }
                    $childType = $nested[$name]
                    if ($script:DdaNestedTypeName[$childType] -or $childType -in $script:DdaTypesWithComputerName) {
                        $member.Value = ConvertTo-DdaObjectCore $member.Value $childType $ComputerName $Root
                        continue
                    }
                    foreach ($child in $member.Value) {
                        if ($child -is [System.Management.Automation.PSCustomObject]) {
                            $childFirst = $null
                            foreach ($property in $child.PSObject.Properties) { $childFirst = $property.Name; break }
                            if ($childFirst -and [char]::IsLower($childFirst[0])) {
                                $member.Value = ConvertTo-DdaObjectCore $member.Value $childType $ComputerName $Root
                                break
                            }
                            if ($child.PSObject.TypeNames[0] -ne $childType) { $child.PSObject.TypeNames.Insert(0, $childType) }
                        }
                    }
                }
            }
            if ($addComputer) {
                if (-not $members['ComputerName']) {
                    $fromEngine = if ($members['Hostname']) { [string] $members['Hostname'].Value } else { $null }
                    $members.Add([psnoteproperty]::new('ComputerName', $(if ($fromEngine) { $fromEngine } elseif ($ComputerName) { $ComputerName } else { $null })))
                }
                if (-not $members['Root']) { $members.Add([psnoteproperty]::new('Root', $(if ($Root) { $Root } else { $null }))) }
            }
            if ($TypeName -and $item.PSObject.TypeNames[0] -ne $TypeName) { $item.PSObject.TypeNames.Insert(0, $TypeName) }
            ConvertTo-DdaCsvFriendly $item
            $item
        }
    }
}

function ConvertTo-DdaObjectCore {
    # Deliberately a simple function (no [CmdletBinding()]), called only for nested objects and
    # arrays: advanced-function overhead dominated on hosts with hundreds of PCI functions.
    # Objects whose names are already PascalCase (the transport renames keys while parsing, see
    # ConvertFrom-DdaJson) are decorated in place; others are rebuilt with PascalCase names.
    param($Value, [string] $TypeName, [string] $ComputerName, [string] $Root)

    if ($Value -is [System.Collections.IList] -and $Value -isnot [string]) {
        $converted = [System.Collections.Generic.List[object]]::new($Value.Count)
        foreach ($element in $Value) {
            if ($element -is [System.Management.Automation.PSCustomObject] -or ($element -is [System.Collections.IList] -and $element -isnot [string])) {
                $converted.Add((ConvertTo-DdaObjectCore $element $TypeName $ComputerName $Root))
            } else {
                $converted.Add($element)
            }
        }
        return , $converted.ToArray()
    }
    if ($Value -isnot [System.Management.Automation.PSCustomObject]) { return $Value }

    $object = $Value
    $nested = if ($TypeName) { $script:DdaNestedTypeName[$TypeName] } else { $null }
    $first = $null
    foreach ($property in $Value.PSObject.Properties) { $first = $property.Name; break }
    if ($first -and [char]::IsLower($first[0])) {
        # camelCase (not parsed by ConvertFrom-DdaJson): rebuild with PascalCase names, recursively.
        $properties = [ordered]@{}
        foreach ($p in $Value.PSObject.Properties) {
            $name = if ($p.Name.Length) { [char]::ToUpperInvariant($p.Name[0]) + $p.Name.Substring(1) } else { $p.Name }
            $child = $p.Value
            if ($child -is [System.Management.Automation.PSCustomObject] -or ($child -is [System.Collections.IList] -and $child -isnot [string])) {
                $childType = if ($nested) { $nested[$name] } else { $null }
                $child = ConvertTo-DdaObjectCore $child $childType $ComputerName $Root
            }
            $properties[$name] = $child
        }
        $object = [pscustomobject] $properties
    } elseif ($nested) {
        # Names are PascalCase already: only the nested objects that get a type name need a visit.
        $members = $object.PSObject.Properties
        foreach ($name in $nested.Keys) {
            $member = $members[$name]
            if ($member -and $null -ne $member.Value) {
                $member.Value = ConvertTo-DdaObjectCore $member.Value $nested[$name] $ComputerName $Root
            }
        }
    }
    if ($TypeName -and $TypeName -in $script:DdaTypesWithComputerName) {
        $names = $object.PSObject.Properties
        if (-not $names['ComputerName']) {
            # The engine may name the host itself; otherwise the caller tells where the data came from.
            $fromEngine = if ($names['Hostname']) { [string] $names['Hostname'].Value } else { $null }
            $value = if ($fromEngine) { $fromEngine } elseif ($ComputerName) { $ComputerName } else { $null }
            $names.Add([psnoteproperty]::new('ComputerName', $value))
        }
        if (-not $names['Root']) {
            $names.Add([psnoteproperty]::new('Root', $(if ($Root) { $Root } else { $null })))
        }
    }
    if ($TypeName -and $object.PSObject.TypeNames[0] -ne $TypeName) { $object.PSObject.TypeNames.Insert(0, $TypeName) }
    $object
}
