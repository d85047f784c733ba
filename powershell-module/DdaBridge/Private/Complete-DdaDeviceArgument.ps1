# SPDX-License-Identifier: MIT
#
# Tab completion: device identities (from the device list, or for Mount- from the pool), -Class,
# and an unquoted partial location path (PCIROOT(0)#PCI(...), which PowerShell's parser would end at
# the '#': see Invoke-DdaTabExpansion2).

function Get-DdaCompletionArgument {
    # The engine arguments for a completer: -Root from the same command line, if any ($null when
    # that -Root cannot be resolved: then nothing is offered).
    param([System.Collections.IDictionary] $BoundParameters)
    $arguments = [ordered]@{}
    if ($BoundParameters -and $BoundParameters['Root']) {
        try {
            $arguments.root = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath([string] $BoundParameters['Root'])
        } catch { return $null }
    }
    $arguments
}

function ConvertTo-DdaCompletionText {
    # Location paths contain '#' and '(': quote them so the completed line parses.
    param([string] $Value)
    if ($Value -match '[\s#();,{}$@`''"]') { "'" + $Value.Replace("'", "''") + "'" } else { $Value }
}

function Complete-DdaDeviceArgument {
    <#
    .SYNOPSIS
        Argument completer for device identities (-Address, -LocationPath, -InstanceId) from the
        device list (or from the image given with -Root on the same command line).
    .PARAMETER Source
        devices (every function) or pool (only the functions in the assignable-device pool: what
        Mount-DdaHostAssignableDevice can take).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.CompletionResult])]
    param(
        [Parameter(Mandatory)] [ValidateSet('Address', 'LocationPath', 'InstanceId')] [string] $Property,
        [AllowEmptyString()] [string] $WordToComplete,
        [System.Collections.IDictionary] $BoundParameters,
        [ValidateSet('devices', 'pool')] [string] $Source = 'devices'
    )

    $arguments = Get-DdaCompletionArgument -BoundParameters $BoundParameters
    if ($null -eq $arguments) { return }
    $field = [char]::ToLowerInvariant($Property[0]) + $Property.Substring(1)
    $word = $WordToComplete.Trim('''', '"')
    try {
        # A completer must never print errors: ask quietly and give up on any failure.
        $answer = Invoke-DdaEngine -Command $Source -Arguments $arguments -ErrorMode Write -ErrorAction Ignore 2>$null
    } catch {
        return
    }
    $devices = if ($Source -eq 'pool') { if ($answer) { @($answer.Devices) } else { @() } } else { @($answer) }
    foreach ($device in $devices) {
        if ($null -eq $device) { continue }
        $value = [string] $device.$field
        if (-not $value -or -not $value.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        $names = @($device.vendorName, $device.deviceName | Where-Object { $_ }) -join ' '
        $tooltip = if ($Source -eq 'pool') {
            '{0}  pooled (was {1})  {2}' -f $device.address, $(if ($device.OriginalDriver) { $device.OriginalDriver } else { 'no driver' }), $device.LocationPath
        } else {
            '{0}  {1}:{2}  {3}  {4}' -f $device.address, $device.vendorId, $device.deviceId, $device.className, $names
        }
        [System.Management.Automation.CompletionResult]::new((ConvertTo-DdaCompletionText $value), $value, 'ParameterValue', $tooltip.Trim())
    }
}

function Complete-DdaClassArgument {
    <#
    .SYNOPSIS
        Argument completer for -Class: the class codes (base class + subclass, e.g. 0108) of the
        functions present (or of the -Root image), with their names; a word that starts with a
        letter completes class names.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.CompletionResult])]
    param([AllowEmptyString()] [string] $WordToComplete, [System.Collections.IDictionary] $BoundParameters)
    $arguments = Get-DdaCompletionArgument -BoundParameters $BoundParameters
    if ($null -eq $arguments) { return }
    $word = $WordToComplete.Trim('''', '"')
    try {
        $devices = @(Invoke-DdaEngine -Command devices -Arguments $arguments -ErrorMode Write -ErrorAction Ignore 2>$null)
    } catch {
        return
    }
    $byCode = [ordered]@{}
    foreach ($d in $devices | Where-Object { $_ -and $_.classCode } | Sort-Object { $_.classCode }) {
        $code = ([string] $d.classCode).Substring(0, [Math]::Min(4, ([string] $d.classCode).Length))
        if (-not $byCode.Contains($code)) { $byCode[$code] = [pscustomobject]@{ Name = [string] $d.className; Count = 0 } }
        $byCode[$code].Count++
    }
    $byName = $word -match '^[A-Za-z]'
    foreach ($code in $byCode.Keys) {
        $entry = $byCode[$code]
        $tooltip = '{0} {1} ({2} function{3})' -f $code, $entry.Name, $entry.Count, $(if ($entry.Count -ne 1) { 's' })
        if ($byName) {
            if (-not $entry.Name -or -not $entry.Name.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
            [System.Management.Automation.CompletionResult]::new((ConvertTo-DdaCompletionText $entry.Name), $entry.Name, 'ParameterValue', $tooltip)
        } elseif ($code.StartsWith(($word -replace '^0x', ''), [System.StringComparison]::OrdinalIgnoreCase)) {
            [System.Management.Automation.CompletionResult]::new($code, "$code $($entry.Name)", 'ParameterValue', $tooltip)
        }
    }
}

# --- An unquoted partial location path -------------------------------------------------------
# `Mount-DdaHostAssignableDevice -LocationPath PCIROOT(0)#PCI(02<Tab>`: PowerShell's tokenizer reads
# "PCIROOT" "(0)" and a comment from '#', so no argument completer is ever asked. The module wraps
# the session's TabExpansion2 (PowerShell and PSReadLine complete through it): when a completion
# finds nothing and the word before the cursor is an unquoted PCIROOT(...), it completes the same
# line with a quote put before that word, and hands back the quoted completions for the unquoted
# text. Everything else goes to the TabExpansion2 that was there before, untouched.

$script:DdaOriginalTabExpansion2 = $null

function Invoke-DdaTabExpansion2 {
    # The body of the wrapping TabExpansion2 (script input set only; the AST set is passed on).
    param([Parameter(Mandatory)] [scriptblock] $Original, [Parameter(Mandatory)] [System.Collections.IDictionary] $Bound,
        [string] $ParameterSetName)
    $result = & $Original @Bound
    if ($ParameterSetName -ne 'ScriptInputSet' -or ($result -and $result.CompletionMatches.Count)) { return $result }
    $inputScript = [string] $Bound['inputScript']
    $cursor = if ($Bound.Contains('cursorColumn')) { [int] $Bound['cursorColumn'] } else { $inputScript.Length }
    if ($cursor -gt $inputScript.Length -or $cursor -lt 1) { return $result }
    $before = $inputScript.Substring(0, $cursor)
    $m = [regex]::Match($before, '(?<=^|[\s,])(?i:PCIROOT\()[^\s''",;|]*$')
    if (-not $m.Success) { return $result }
    $quoted = $inputScript.Insert($m.Index, "'")
    $second = [System.Management.Automation.CommandCompletion]::CompleteInput($quoted, $cursor + 1, $Bound['options'])
    if (-not $second -or $second.CompletionMatches.Count -eq 0 -or $second.ReplacementIndex -ne $m.Index) { return $result }
    # In the quoted line the replacement covered the added quote too.
    [System.Management.Automation.CommandCompletion]::new($second.CompletionMatches, -1, $m.Index, $second.ReplacementLength - 1)
}

function Register-DdaTabExpansion2 {
    # Wraps the session's TabExpansion2 once (see above); Unregister-DdaTabExpansion2 restores it.
    if ($script:DdaOriginalTabExpansion2) { return }
    $current = Get-Item -LiteralPath function:TabExpansion2 -ErrorAction Ignore
    if (-not $current) { return }
    $script:DdaOriginalTabExpansion2 = $current.ScriptBlock
    # Bound into the wrapper by GetNewClosure: it runs in the global scope, where the module's
    # private functions are not visible.
    $DdaModule = $ExecutionContext.SessionState.Module
    $DdaOriginal = $script:DdaOriginalTabExpansion2
    $wrapper = {
        [CmdletBinding(DefaultParameterSetName = 'ScriptInputSet')]
        [OutputType([System.Management.Automation.CommandCompletion])]
        param(
            [Parameter(ParameterSetName = 'ScriptInputSet', Mandatory = $true, Position = 0)]
            [AllowEmptyString()] [string] $inputScript,
            [Parameter(ParameterSetName = 'ScriptInputSet', Position = 1)] [int] $cursorColumn = $inputScript.Length,
            [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 0)] [System.Management.Automation.Language.Ast] $ast,
            [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 1)] [System.Management.Automation.Language.Token[]] $tokens,
            [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 2)] [System.Management.Automation.Language.IScriptPosition] $positionOfCursor,
            [Parameter(ParameterSetName = 'ScriptInputSet', Position = 2)]
            [Parameter(ParameterSetName = 'AstInputSet', Position = 3)] [Hashtable] $options = $null
        )
        end {
            $bound = @{} + $PSBoundParameters
            if ($PSCmdlet.ParameterSetName -eq 'ScriptInputSet' -and -not $bound.ContainsKey('cursorColumn')) { $bound.cursorColumn = $cursorColumn }
            & $DdaModule { param($o, $b, $s) Invoke-DdaTabExpansion2 -Original $o -Bound $b -ParameterSetName $s } $DdaOriginal $bound $PSCmdlet.ParameterSetName
        }
    }.GetNewClosure()
    Set-Item -LiteralPath function:global:TabExpansion2 -Value $wrapper
}

function Unregister-DdaTabExpansion2 {
    if (-not $script:DdaOriginalTabExpansion2) { return }
    Set-Item -LiteralPath function:global:TabExpansion2 -Value $script:DdaOriginalTabExpansion2
    $script:DdaOriginalTabExpansion2 = $null
}
