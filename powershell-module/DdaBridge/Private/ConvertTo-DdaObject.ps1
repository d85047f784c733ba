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
# (tests/bench/Cmdlet.ps1; costs measured here under load, in proportion to each other):
# - one static method of a class per list of objects, its work inline: a script function call costs
#   a hundred microseconds or more, a call of a class method tens, a statement inside one about one;
# - an object's PSObject members (TypeNames, Properties) are read through their PropertyInfo, not as
#   $o.PSObject.TypeNames: PowerShell's member binder cannot reuse what it learned about one
#   PSCustomObject for the next (each has its own instance members), so it binds every fresh object
#   anew, 50-100 us a member; the reflection call takes about 2 us;
# - the properties are walked in the object's own store (PSObject.InstanceMembers, internal, read by
#   reflection where this PowerShell has it, else the public Properties): Properties merges type data
#   and adapter members first, 5-8 times the cost. Adding and looking up go through Properties.
# Objects with camelCase names (built elsewhere) take the general path, ConvertTo-DdaObjectCore.
class DdaObjectShape {
    # Set below from $script:DdaNestedTypeName and $script:DdaTypesWithComputerName.
    static [hashtable] $NestedTypeName
    static [System.Collections.Generic.HashSet[string]] $WithComputerName
    static [System.Reflection.PropertyInfo] $TypeNamesOf = [psobject].GetProperty('TypeNames')
    static [System.Reflection.PropertyInfo] $PropertiesOf = [psobject].GetProperty('Properties')
    static [System.Reflection.PropertyInfo] $InstanceMembersOf = [psobject].GetProperty('InstanceMembers', [System.Reflection.BindingFlags] 'NonPublic, Instance')

    # Types each of $Items in place: its type name, ComputerName and Root (for the types that carry
    # them) and the type names of its nested objects (DdaNestedTypeName, recursively); with $Top also
    # its list properties become DdaBridgeList. Returns, per item, whether it was done: not when it is
    # not a PSCustomObject whose (first) property name is PascalCase, and then it was not changed. The
    # nested objects of a PascalCase object are taken to be PascalCase too (ConvertFrom-DdaJson
    # renames every key).
    static [bool[]] Shape([object[]] $Items, [string] $TypeName, [string] $ComputerName, [string] $Root, [bool] $Top) {
        $done = [bool[]]::new($Items.Length)
        $nested = $null
        $withComputer = $false
        if ($TypeName) {
            $nested = [DdaObjectShape]::NestedTypeName[$TypeName]
            $withComputer = [DdaObjectShape]::WithComputerName.Contains($TypeName)
        }
        $ownStore = $null -ne [DdaObjectShape]::InstanceMembersOf
        for ($i = 0; $i -lt $Items.Length; $i++) {
            $object = $Items[$i]
            if ($object -isnot [System.Management.Automation.PSCustomObject]) { continue }
            $members = [DdaObjectShape]::PropertiesOf.GetValue($object)
            $lists = $null
            if ($Top) {
                # One walk over the properties: the name check and the list properties together.
                $walk = if ($ownStore) { [DdaObjectShape]::InstanceMembersOf.GetValue($object) } else { $members }
                $first = $true
                $pascal = $false
                foreach ($property in $walk) {
                    if ($property -isnot [System.Management.Automation.PSPropertyInfo]) { continue }
                    if ($first) {
                        $first = $false
                        $pascal = $property.Name.Length -gt 0 -and -not [char]::IsLower($property.Name[0])
                        if (-not $pascal) { break }
                    }
                    if ($property.Value -is [array]) {
                        if ($null -eq $lists) { $lists = [System.Collections.Generic.List[object]]::new() }
                        $lists.Add($property)
                    }
                }
                if (-not $pascal) { continue }   # camelCase, or no property at all: the general path decides
            }
            if ($nested) {
                foreach ($name in $nested.Keys) {
                    $member = $members[$name]
                    if (-not $member -or $null -eq $member.Value) { continue }
                    $childType = $nested[$name]
                    if ([DdaObjectShape]::NestedTypeName[$childType] -or [DdaObjectShape]::WithComputerName.Contains($childType)) {
                        [void] [DdaObjectShape]::Shape([object[]] @($member.Value), $childType, $ComputerName, $Root, $false)
                        continue
                    }
                    foreach ($child in $member.Value) {
                        if ($child -is [System.Management.Automation.PSCustomObject]) {
                            $childNames = [DdaObjectShape]::TypeNamesOf.GetValue($child)
                            if ($childNames[0] -ne $childType) { $childNames.Insert(0, $childType) }
                        }
                    }
                }
            }
            if ($withComputer) {
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
            if ($TypeName) {
                $typeNames = [DdaObjectShape]::TypeNamesOf.GetValue($object)
                if ($typeNames[0] -ne $TypeName) { $typeNames.Insert(0, $TypeName) }
            }
            if ($null -ne $lists) {
                foreach ($property in $lists) {
                    $list = [DdaBridgeList]::new()
                    $list.AddRange([object[]] $property.Value)
                    $property.Value = $list
                }
            }
            $done[$i] = $true
        }
        return $done
    }

    # The list properties of one object as DdaBridgeList (ConvertTo-DdaCsvFriendly).
    static [void] UseListText([object] $Object) {
        if ($Object -isnot [System.Management.Automation.PSCustomObject]) { return }
        $walk = if ($null -ne [DdaObjectShape]::InstanceMembersOf) { [DdaObjectShape]::InstanceMembersOf.GetValue($Object) } else { [DdaObjectShape]::PropertiesOf.GetValue($Object) }
        foreach ($property in $walk) {
            if ($property -isnot [System.Management.Automation.PSPropertyInfo]) { continue }
            $value = $property.Value
            if ($value -is [array]) {
                $list = [DdaBridgeList]::new()
                $list.AddRange([object[]] $value)
                $property.Value = $list
            }
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
        # Objects from ConvertFrom-DdaJson already have PascalCase names and only need typing.
        $items = [object[]] @($InputObject)
        $done = [DdaObjectShape]::Shape($items, $TypeName, $ComputerName, $Root, $true)
        if ([array]::IndexOf($done, $false) -lt 0) { return $items }
        for ($i = 0; $i -lt $items.Length; $i++) {
            if ($done[$i]) {
                $items[$i]
                continue
            }
            foreach ($converted in @(ConvertTo-DdaObjectCore $items[$i] $TypeName $ComputerName $Root)) {
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
