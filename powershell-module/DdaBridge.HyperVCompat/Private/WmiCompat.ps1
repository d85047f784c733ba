# SPDX-License-Identifier: MIT
#
# The WMI classes Hyper-V readiness scripts query, for Get-WmiObject and Get-CimInstance: instances
# built from the engine's `pnp` answer (its allocated resources: IRQs numbered the Windows way and
# memory ranges, see the engine's PnpResources), and a small WQL reader (SELECT ... FROM class
# [WHERE prop op value [AND ...]]).

# Classes: name -> key property (for __RELPATH) and the instances' builder.
$script:WmiCompatClasses = @('Win32_PnPAllocatedResource', 'Win32_IRQResource', 'Win32_DeviceMemoryAddress', 'Win32_PnPEntity')

function ConvertFrom-WmiCompatQuery {
    # A WQL query -> @{ Class; Properties; Where }. Anything outside the subset is InvalidQuery.
    param([Parameter(Mandatory)] [string] $Query)
    $m = [regex]::Match($Query, '^\s*SELECT\s+(?<props>\*|[A-Za-z_][\w]*(\s*,\s*[A-Za-z_][\w]*)*)\s+FROM\s+(?<class>[A-Za-z_]\w*)(\s+WHERE\s+(?<where>.+?))?\s*;?\s*$',
        [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)
    if (-not $m.Success) { throw (New-WmiCompatError -Id 'InvalidQuery' -Message "Invalid query: '$Query' (supported: SELECT * | props FROM class [WHERE prop op value [AND ...]])." -Target $Query) }
    $props = if ($m.Groups['props'].Value -eq '*') { @() } else { @($m.Groups['props'].Value -split '\s*,\s*') }
    @{
        Class      = $m.Groups['class'].Value
        Properties = $props
        Where      = $(if ($m.Groups['where'].Success) { ConvertFrom-WmiCompatFilter -Filter $m.Groups['where'].Value -Query $Query } else { @() })
    }
}

function ConvertFrom-WmiCompatFilter {
    # "a = 1 AND b LIKE 'x%'" -> conditions; values: numbers, 'strings', "strings", TRUE, FALSE, NULL.
    param([Parameter(Mandatory)] [string] $Filter, [string] $Query = $Filter)
    $conditions = @()
    $rest = $Filter
    $pattern = '^\s*(?<p>[A-Za-z_]\w*)\s*(?<op>=|<>|!=|<=|>=|<|>|\bLIKE\b|\bIS\s+NOT\b|\bIS\b)\s*(?<v>''[^'']*''|"[^"]*"|[-+]?\d+|TRUE|FALSE|NULL)\s*(?<more>\bAND\b.*)?$'
    while ($true) {
        $m = [regex]::Match($rest, $pattern, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)
        if (-not $m.Success) { throw (New-WmiCompatError -Id 'InvalidQuery' -Message "Invalid query: cannot read the condition '$rest' of '$Query'." -Target $Query) }
        $raw = $m.Groups['v'].Value
        $value = if ($raw -match '^[''"]') { $raw.Substring(1, $raw.Length - 2) } elseif ($raw -match '^(?i)true$') { $true } elseif ($raw -match '^(?i)false$') { $false }
        elseif ($raw -match '^(?i)null$') { $null } else { [decimal] $raw }
        $conditions += , @{ Property = $m.Groups['p'].Value; Op = ($m.Groups['op'].Value -replace '\s+', ' ').ToUpperInvariant(); Value = $value }
        if (-not $m.Groups['more'].Success) { break }
        $rest = $m.Groups['more'].Value -replace '^(?i)\s*AND', ''
    }
    , $conditions
}

function Test-WmiCompatCondition {
    param($Instance, [hashtable] $Condition)
    $p = $Instance.PSObject.Properties[$Condition.Property]
    if (-not $p) { throw (New-WmiCompatError -Id 'InvalidQuery' -Message "Invalid query: the class has no property '$($Condition.Property)'." -Target $Condition.Property) }
    $left = $p.Value
    $right = $Condition.Value
    switch ($Condition.Op) {
        'IS' { return $null -eq $left }
        'IS NOT' { return $null -ne $left }
        'LIKE' {
            $wild = [System.Management.Automation.WildcardPattern]::Escape([string] $right) -replace '%', '*' -replace '_', '?'
            return ([string] $left) -like $wild
        }
    }
    if ($null -eq $left -or $null -eq $right) { return $false }
    if ($right -is [decimal] -and $left -isnot [string] -and $left -isnot [bool]) { $left = [decimal] $left }
    elseif ($right -is [decimal]) { $right = [string] $right }
    switch ($Condition.Op) {
        '=' { $left -eq $right }
        '<>' { $left -ne $right }
        '!=' { $left -ne $right }
        '<' { $left -lt $right }
        '>' { $left -gt $right }
        '<=' { $left -le $right }
        '>=' { $left -ge $right }
    }
}

function New-WmiCompatError {
    param([string] $Id, [string] $Message, $Target)
    [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new($Message), $Id, 'InvalidArgument', $Target)
}

function ConvertTo-WmiCompatPathValue {
    # A string inside a WMI object path: backslashes and quotes escaped.
    param([string] $Text)
    $Text.Replace('\', '\\').Replace('"', '\"')
}

function Get-WmiCompatInstance {
    # The instances of one class, in the shape Get-WmiObject (-Cim: Get-CimInstance) returns them.
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Class,
        [string] $Root,
        [switch] $Cim
    )
    $name = $script:WmiCompatClasses | Where-Object { $_ -eq $Class } | Select-Object -First 1
    if (-not $name) {
        throw (New-WmiCompatError -Id 'InvalidClass' -Message "Invalid class '$Class' (DdaBridge.HyperVCompat has $($script:WmiCompatClasses -join ', '))." -Target $Class)
    }
    $snapshot = Get-PnpCompatSnapshot -Cmdlet $Cmdlet -Root $Root
    $cacheKey = "$name/$([bool] $Cim)"
    if (-not $snapshot.Wmi.ContainsKey($cacheKey)) {
        $snapshot.Wmi[$cacheKey] = @(New-WmiCompatInstance -Name $name -Devices $snapshot.Devices -Cim:$Cim)
    }
    $snapshot.Wmi[$cacheKey]
}

function New-WmiCompatInstance {
    # Builds one class's instances from the PnP objects of one engine answer.
    param([string] $Name, [object[]] $Devices, [switch] $Cim)
    $name = $Name
    $devices = $Devices
    $server = [System.Environment]::MachineName
    $ns = "\\$server\root\cimv2"
    $system = {
        param([string] $ClassName, [string] $RelPath, [System.Collections.IDictionary] $Properties)
        $o = [ordered]@{}
        if (-not $Cim) {
            $o.__GENUS = 2; $o.__CLASS = $ClassName; $o.__SUPERCLASS = $null; $o.__DYNASTY = $null
            $o.__RELPATH = $RelPath; $o.__PROPERTY_COUNT = $Properties.Count; $o.__DERIVATION = @()
            $o.__SERVER = $server; $o.__NAMESPACE = 'root\cimv2'; $o.__PATH = "$ns`:$RelPath"
        }
        foreach ($k in $Properties.Keys) { $o[$k] = $Properties[$k] }
        if ($Cim) { $o.PSComputerName = $null }
        $obj = [pscustomobject] $o
        $obj.PSObject.TypeNames.Insert(0, $(if ($Cim) { "Microsoft.Management.Infrastructure.CimInstance#root/cimv2/$ClassName" } else { "System.Management.ManagementObject#root\cimv2\$ClassName" }))
        $obj
    }
    switch ($name) {
        'Win32_PnPEntity' {
            foreach ($d in $devices) { $d }
        }
        'Win32_IRQResource' {
            $seen = @{}
            foreach ($d in $devices) {
                foreach ($irq in @($d.Resources.Irqs)) {
                    if ($null -eq $irq -or $seen.ContainsKey([string] $irq)) { continue }
                    $seen[[string] $irq] = $true
                    & $system 'Win32_IRQResource' "Win32_IRQResource.IRQNumber=$irq" ([ordered]@{
                            Availability = 4; Caption = "IRQ $irq"; CreationClassName = 'Win32_IRQResource'; CSCreationClassName = 'Win32_ComputerSystem'
                            CSName = $server; Description = "IRQ $irq"; Hardware = $true; IRQNumber = [uint32] $irq; Name = "IRQ $irq"
                            Shareable = ([uint32] $irq -lt 4294967040); Status = 'OK'; TriggerLevel = 2; TriggerType = $(if ([uint32] $irq -lt 4294967040) { 3 } else { 4 })
                        })
                }
            }
        }
        'Win32_DeviceMemoryAddress' {
            foreach ($d in $devices) {
                foreach ($r in @($d.Resources.Memory)) {
                    if ($null -eq $r) { continue }
                    $start = [uint64] $r.Start; $end = [uint64] $r.End
                    $text = '0x{0:X8}-0x{1:X8}' -f $start, $end
                    & $system 'Win32_DeviceMemoryAddress' "Win32_DeviceMemoryAddress.StartingAddress=`"$start`"" ([ordered]@{
                            Caption = $text; CreationClassName = 'Win32_DeviceMemoryAddress'; CSCreationClassName = 'Win32_ComputerSystem'; CSName = $server
                            Description = $text; EndingAddress = $end; MemoryType = 'ReadWrite'; Name = $text; StartingAddress = $start; Status = 'OK'
                        })
                }
            }
        }
        'Win32_PnPAllocatedResource' {
            foreach ($d in $devices) {
                $dependent = "$ns`:Win32_PnPEntity.DeviceID=`"$(ConvertTo-WmiCompatPathValue $d.InstanceId)`""
                $antecedents = @(foreach ($irq in @($d.Resources.Irqs)) { if ($null -ne $irq) { , @('Win32_IRQResource', "IRQNumber=$irq", @{ IRQNumber = [uint32] $irq }) } }) +
                    @(foreach ($r in @($d.Resources.Memory)) { if ($null -ne $r) { , @('Win32_DeviceMemoryAddress', "StartingAddress=`"$([uint64] $r.Start)`"", @{ StartingAddress = [uint64] $r.Start }) } })
                foreach ($a in $antecedents) {
                    $antecedent = "$ns`:$($a[0]).$($a[1])"
                    $rel = 'Win32_PnPAllocatedResource.Antecedent="{0}",Dependent="{1}"' -f (ConvertTo-WmiCompatPathValue $antecedent), (ConvertTo-WmiCompatPathValue $dependent)
                    if ($Cim) {
                        # CIM gives the associated instances' keys as objects.
                        $ante = [pscustomobject] $a[2]; $ante.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#root/cimv2/$($a[0])")
                        $dep = [pscustomobject] @{ DeviceID = $d.InstanceId }; $dep.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PnPEntity')
                        & $system 'Win32_PnPAllocatedResource' $rel ([ordered]@{ Antecedent = $ante; Dependent = $dep })
                    } else {
                        & $system 'Win32_PnPAllocatedResource' $rel ([ordered]@{ Antecedent = $antecedent; Dependent = $dependent })
                    }
                }
            }
        }
    }
}

function Invoke-WmiCompatQuery {
    # What Get-WmiObject / Get-CimInstance share: class or query, filter, projection.
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [string] $Class, [string] $Query, [string] $Filter, [string[]] $Property, [string] $Namespace, [string] $Root, [switch] $Cim
    )
    # Bad input (query, class, namespace) is the calling cmdlet's terminating error, with its stable id.
    try {
        if ($Namespace -and $Namespace -notmatch '^(?i)(root[\\/])?cimv2$') {
            throw (New-WmiCompatError -Id 'InvalidNamespace' -Message "Invalid namespace '$Namespace' (DdaBridge.HyperVCompat has root\cimv2)." -Target $Namespace)
        }
        if ($Query) {
            $q = ConvertFrom-WmiCompatQuery -Query $Query
        } else {
            $q = @{ Class = $Class; Properties = @($Property | Where-Object { $_ -and $_ -ne '*' }); Where = $(if ($Filter) { ConvertFrom-WmiCompatFilter -Filter $Filter } else { @() }) }
        }
        foreach ($o in @(Get-WmiCompatInstance -Cmdlet $Cmdlet -Class $q.Class -Root $Root -Cim:$Cim)) {
            if ($null -eq $o) { continue }
            $ok = $true
            foreach ($c in $q.Where) { if (-not (Test-WmiCompatCondition -Instance $o -Condition $c)) { $ok = $false; break } }
            if (-not $ok) { continue }
            if ($q.Properties.Count) {
                $keep = @($q.Properties) + @($o.PSObject.Properties.Name | Where-Object { $_ -like '__*' -or $_ -eq 'PSComputerName' })
                $o = $o | Select-Object -Property $keep
            }
            $o
        }
    } catch {
        if ($_.FullyQualifiedErrorId -match '^(InvalidQuery|InvalidClass|InvalidNamespace)$') {
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($_.Exception, $_.FullyQualifiedErrorId, $_.CategoryInfo.Category, $_.TargetObject))
        }
        throw
    }
}
