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
    # No constructor of its own: a constructor written here runs as script at every `new` (about
    # 30 us; one list per list property of every object), the generated default one does not. Make
    # lists with [DdaBridgeList]::Of(...).
    static [DdaBridgeList] Of([object[]] $Items) {
        $list = [DdaBridgeList]::new()
        if ($null -ne $Items) { $list.AddRange($Items) }
        return $list
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
    # JSON arrays arrive as object[]; string[] and other typed arrays are what the cmdlets add themselves.
    param($Object)
    [DdaObjectShape]::UseListText($Object)
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

# The per-object work of ConvertTo-DdaObject for objects parsed by ConvertFrom-DdaJson (PascalCase
# names already), written for speed because it runs for every object of every answer
# (tests/bench/Cmdlet.ps1):
# - static methods of a class: a method call costs microseconds, a script function call a hundred or more;
# - an object's PSObject members (TypeNames, Properties) are read through their PropertyInfo, not as
#   $o.PSObject.TypeNames: PowerShell's member binder cannot reuse what it learned about one
#   PSCustomObject for the next (each has its own instance members), so it binds every fresh object
#   anew, about 50-100 us a member; reflection on PSObject itself takes about 2 us.
# Objects with camelCase names (built elsewhere) take the general path, ConvertTo-DdaObjectCore.
class DdaObjectShape {
    # Set below from $script:DdaNestedTypeName and $script:DdaTypesWithComputerName.
    static [hashtable] $NestedTypeName
    static [System.Collections.Generic.HashSet[string]] $WithComputerName
    static [System.Reflection.PropertyInfo] $TypeNamesOf = [psobject].GetProperty('TypeNames')
    static [System.Reflection.PropertyInfo] $PropertiesOf = [psobject].GetProperty('Properties')

    # Types $Object in place: its type name, ComputerName and Root (for the types that carry them),
    # and the type names of its nested objects (DdaNestedTypeName), recursively; for a top-level
    # object ($Top) also its list properties become DdaBridgeList. Returns $false, having changed
    # nothing, when $Object is not a PSCustomObject with PascalCase names. The nested objects of a
    # PascalCase object are taken to be PascalCase too: ConvertFrom-DdaJson renames every key.
    static [bool] Shape([object] $Object, [string] $TypeName, [string] $ComputerName, [string] $Root, [bool] $Top) {
        if ($Object -isnot [System.Management.Automation.PSCustomObject]) { return $false }
        $members = [DdaObjectShape]::PropertiesOf.GetValue($Object)
        $lists = $null
        if ($Top) {
            # One pass over the properties (each pass costs far more than its members): the name
            # check and the list properties together.
            $first = $true
            foreach ($property in $members) {
                if ($first) {
                    if ($property.Name.Length -eq 0 -or [char]::IsLower($property.Name[0])) { return $false }
                    $first = $false
                }
                if ($property.Value -is [array]) {
                    if ($null -eq $lists) { $lists = [System.Collections.Generic.List[object]]::new() }
                    $lists.Add($property)
                }
            }
            if ($first) { return $false }   # no properties: the general path decides
        }
        if ($TypeName) {
            $nested = [DdaObjectShape]::NestedTypeName[$TypeName]
            if ($nested) {
                foreach ($name in $nested.Keys) {
                    $member = $members[$name]
                    if (-not $member -or $null -eq $member.Value) { continue }
                    foreach ($child in $member.Value) {
                        if ($child -is [System.Management.Automation.PSCustomObject]) {
                            [void] [DdaObjectShape]::Shape($child, $nested[$name], $ComputerName, $Root, $false)
                        }
                    }
                }
            }
            if ([DdaObjectShape]::WithComputerName.Contains($TypeName)) {
                if (-not $members['ComputerName']) {
                    # The engine may name the host itself; otherwise the caller tells where the data came from.
                    $value = $null
                    $hostname = $members['Hostname']
                    if ($hostname -and [string] $hostname.Value) { $value = [string] $hostname.Value }
                    elseif ($ComputerName) { $value = $ComputerName }
                    $members.Add([psnoteproperty]::new('ComputerName', $value))
                }
                if (-not $members['Root']) {
                    $value = $null
                    if ($Root) { $value = $Root }
                    $members.Add([psnoteproperty]::new('Root', $value))
                }
            }
            $typeNames = [DdaObjectShape]::TypeNamesOf.GetValue($Object)
            if ($typeNames[0] -ne $TypeName) { $typeNames.Insert(0, $TypeName) }
        }
        if ($null -ne $lists) {
            foreach ($property in $lists) { $property.Value = [DdaBridgeList]::Of($property.Value) }
        }
        return $true
    }

    # The list properties of one object as DdaBridgeList (ConvertTo-DdaCsvFriendly).
    static [void] UseListText([object] $Object) {
        if ($Object -isnot [System.Management.Automation.PSCustomObject]) { return }
        foreach ($property in [DdaObjectShape]::PropertiesOf.GetValue($Object)) {
            $value = $property.Value
            if ($value -is [array]) { $property.Value = [DdaBridgeList]::Of($value) }
        }
    }
}
[DdaObjectShape]::NestedTypeName = $script:DdaNestedTypeName
[DdaObjectShape]::WithComputerName = [System.Collections.Generic.HashSet[string]]::new(
    [string[]] $script:DdaTypesWithComputerName, [System.StringComparer]::OrdinalIgnoreCase)

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
            # Objects from ConvertFrom-DdaJson already have PascalCase names and only need typing.
            if ([DdaObjectShape]::Shape($item, $TypeName, $ComputerName, $Root, $true)) {
                $item
                continue
            }
            foreach ($converted in @(ConvertTo-DdaObjectCore $item $TypeName $ComputerName $Root)) {
                ConvertTo-DdaCsvFriendly $converted
                $converted
            }
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
