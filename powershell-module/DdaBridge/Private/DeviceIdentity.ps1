# SPDX-License-Identifier: MIT
#
# Device identities, shared by every cmdlet that takes devices (and, through the public cmdlets,
# by DdaBridge.HyperVCompat): -Address / -LocationPath / -InstanceId and piped objects turned into
# (key, value) lookups, those lookups as engine request arguments, -Root checked and resolved, and
# tab completion of identities.

$script:DdaIdentityKeys = 'Address', 'LocationPath', 'InstanceId'

function Assert-DdaRootArgument {
    # The [ValidateScript()] of every -Root: an empty or blank -Root is a mistake (an unset
    # variable, a missing CSV column), and must not silently mean this machine's live /sys.
    # Leaving -Root out is how to read this host.
    param([AllowNull()] [object] $Value)
    if ([string]::IsNullOrWhiteSpace([string] $Value)) {
        throw '-Root is empty: give a host image (a directory that stands for /, or a .tar.gz capture), or leave -Root out to use this host.'
    }
    $true
}

function Resolve-DdaRoot {
    # -Root as a full provider path (the engine runs in another working directory), or $null.
    # The helpers in this file are simple functions (no [CmdletBinding()] or [Parameter()]): they run
    # for every cmdlet call and pipeline object, and an advanced function's binding costs about ten
    # times a simple one's (tests/bench/Cmdlet.ps1).
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Root)
    if ([string]::IsNullOrWhiteSpace($Root)) { return $null }
    $Cmdlet.GetUnresolvedProviderPathFromPSPath($Root)
}

function Get-DdaIdentity {
    <#
    .SYNOPSIS
        The device lookups of one process-block call: (key, value) pairs.
    .DESCRIPTION
        Identities given on the command line are all used. For a piped object only its strongest
        identity counts (Address, else LocationPath, else InstanceId): a DdaBridge.Device binds
        all three, and they name the same device. A plain string piped in is an address.
    #>
    param(
        [string[]] $CommandLineKeys,
        [System.Collections.IDictionary] $Values,
        [object] $InputObject
    )
    $lookups = [System.Collections.Generic.List[object]]::new()
    foreach ($key in $script:DdaIdentityKeys) {
        if ($key -notin $CommandLineKeys) { continue }
        foreach ($value in @($Values[$key])) { if (-not [string]::IsNullOrWhiteSpace($value)) { $lookups.Add(@($key, $value.Trim())) } }
    }
    if ($InputObject -is [string] -and $CommandLineKeys -notcontains 'Address') {
        if (-not [string]::IsNullOrWhiteSpace($InputObject)) { $lookups.Add(@('Address', $InputObject.Trim())) }
        return , $lookups
    }
    foreach ($key in $script:DdaIdentityKeys) {
        if ($key -in $CommandLineKeys) { continue }
        $present = [System.Collections.Generic.List[object]]::new()
        foreach ($value in @($Values[$key])) { if (-not [string]::IsNullOrWhiteSpace($value)) { $present.Add($value) } }
        if ($present.Count) {
            foreach ($value in $present) { $lookups.Add(@($key, ([string] $value).Trim())) }
            break
        }
    }
    , $lookups
}

function ConvertTo-DdaRequestKey {
    # Address -> address, LocationPath -> locationPath (the engine's argument names).
    param([string] $Key)
    [char]::ToLowerInvariant($Key[0]) + $Key.Substring(1)
}

function Add-DdaLookupArgument {
    # Adds (key, value) lookups from Get-DdaIdentity to an engine request as lists per argument:
    # address = [...], locationPath = [...], instanceId = [...]. -Unique names each device once (sums).
    param([System.Collections.IDictionary] $Request, [object[]] $Lookups, [switch] $Unique)
    $byKey = [ordered]@{}
    foreach ($lookup in $Lookups) {
        $key = [string] $lookup[0]
        if (-not $byKey.Contains($key)) {
            $byKey[$key] = [pscustomobject]@{ Values = [System.Collections.Generic.List[string]]::new(); Seen = [System.Collections.Generic.HashSet[string]]::new() }
        }
        $group = $byKey[$key]
        if (-not $Unique -or $group.Seen.Add([string] $lookup[1])) { $group.Values.Add([string] $lookup[1]) }
    }
    foreach ($key in $byKey.Keys) { $Request[(ConvertTo-DdaRequestKey $key)] = $byKey[$key].Values.ToArray() }
}

function Get-DdaCommandLineRoot {
    <#
    .SYNOPSIS
        The -Root given on the command line, checked and resolved (call from the begin block, where
        $PSBoundParameters holds the command line only); $null when -Root was not given.
    .DESCRIPTION
        -Root is bound by property name too (a piped object's Root says which host image it was
        read from, $null for this host), so it cannot carry a [ValidateScript()]: that would also
        refuse every object read from this host. The command-line value is checked here instead,
        with the error id parameter validation gives, before anything runs.
    #>
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Collections.IDictionary] $BoundParameters
    )
    if (-not $BoundParameters.ContainsKey('Root')) { return $null }
    $value = [string] $BoundParameters['Root']
    try {
        [void] (Assert-DdaRootArgument $value)
    } catch {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.Management.Automation.ValidationMetadataException]::new("Cannot validate argument on parameter 'Root'. $($_.Exception.Message)"),
                'ParameterArgumentValidationError', [System.Management.Automation.ErrorCategory]::InvalidData, $value))
    }
    Resolve-DdaRoot -Cmdlet $Cmdlet -Root $value
}

function Test-DdaSameRoot {
    # Two resolved host-image paths name the same image ($null/'' = this host). Trailing separators
    # do not count; names compare as the file system does.
    param([AllowNull()] [AllowEmptyString()] [string] $A, [AllowNull()] [AllowEmptyString()] [string] $B)
    $a = if ($A) { $A.TrimEnd('/', '\') } else { '' }
    $b = if ($B) { $B.TrimEnd('/', '\') } else { '' }
    $comparison = if ($script:DdaOnWindows) { [System.StringComparison]::OrdinalIgnoreCase } else { [System.StringComparison]::Ordinal }
    [string]::Equals($a, $b, $comparison)
}

function Resolve-DdaInputRoot {
    <#
    .SYNOPSIS
        The host image one process-block call works on (resolved path, '' for this host), or $null
        after writing a RootMismatch error (the object is then skipped).
    .DESCRIPTION
        Without -Root on the command line, -Root is the piped object's own Root (bound by property
        name): the image it was read from, empty for this host. With -Root on the command line, a
        piped object that says where it was read from must agree: an object of another image, or a
        DdaBridge object read from this host piped into an image (or the other way round), is a
        RootMismatch error, so that image and live data never mix. Strings and objects without a
        Root property (CSV rows, hand-made objects) take the command line's -Root.
    #>
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [object] $Selection,
        [AllowNull()] [AllowEmptyString()] [string] $Root,
        [AllowNull()] [object] $InputObject,
        [bool] $Piped
    )
    if (-not $Selection.HasCommandLineRoot) {
        $resolved = Resolve-DdaRoot -Cmdlet $Cmdlet -Root $Root
        return $(if ($resolved) { $resolved } else { '' })
    }
    $explicit = [string] $Selection.CommandLineRoot
    if (-not $Piped -or $null -eq $InputObject -or $InputObject -is [string]) { return $explicit }
    $property = $InputObject.PSObject.Properties['Root']
    if (-not $property) { return $explicit }
    $own = [string] $property.Value
    if ([string]::IsNullOrWhiteSpace($own)) {
        # Only the module's own objects are known to come from this host; a blank Root elsewhere
        # (an empty CSV cell) says nothing.
        $fromModule = $false
        foreach ($typeName in $InputObject.PSObject.TypeNames) { if ($typeName -like 'DdaBridge.*') { $fromModule = $true; break } }
        if (-not $fromModule) { return $explicit }
        $ownText = 'this host'
    } else {
        $own = Resolve-DdaRoot -Cmdlet $Cmdlet -Root $own
        if (Test-DdaSameRoot $own $explicit) { return $explicit }
        $ownText = "host image '$own'"
    }
    $name = $Cmdlet.MyInvocation.MyCommand.Name
    $Cmdlet.WriteError((New-DdaErrorRecord -ErrorId 'RootMismatch' -Category InvalidArgument -TargetObject $InputObject `
                -Message "$name -Root '$explicit' was given an object read from $ownText ($(Get-DdaInputText $InputObject)): image and live data are never mixed." `
                -RecommendedAction "Leave -Root out to act where the object was read (its Root property), or read the object from '$explicit' first."))
    $null
}

function Get-DdaInputText {
    # A short name for a piped object in messages: its address or other identity, else its text.
    param([AllowNull()] [object] $InputObject)
    if ($null -eq $InputObject) { return '$null' }
    foreach ($key in $script:DdaIdentityKeys) {
        $p = $InputObject.PSObject.Properties[$key]
        if ($p -and $p.Value) { return "$key $($p.Value)" }
    }
    [string] $InputObject
}

function New-DdaSelection {
    <#
    .SYNOPSIS
        Starts collecting device identities (call from the cmdlet's begin block, where
        $PSBoundParameters holds the command line only). Checks -Root given on the command line.
    #>
    param(
        [System.Collections.IDictionary] $BoundParameters,
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $commandLineRoot = Get-DdaCommandLineRoot -Cmdlet $Cmdlet -BoundParameters $BoundParameters
    [pscustomobject]@{
        CommandLine        = @(foreach ($key in $BoundParameters.Keys) { if ($key -in $script:DdaIdentityKeys) { $key } })
        HasCommandLineRoot = $BoundParameters.ContainsKey('Root')
        CommandLineRoot    = $(if ($commandLineRoot) { $commandLineRoot } else { '' })
        Lookups            = [System.Collections.Generic.List[object]]::new()
        Roots              = [System.Collections.Generic.List[string]]::new()
        # Every host image seen (also for objects without a device identity), in order.
        SeenRoots          = [System.Collections.Generic.List[string]]::new()
        Seen               = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        # True once a device was named on the command line or an object was piped in (then an
        # empty selection means "nothing usable", not "every device").
        SawInput           = $false
        # The cmdlet stands in a pipeline: input that never comes (an empty pipeline) is a no-op,
        # as PowerShell's own cmdlets treat it, not "every device" and not a missing identity.
        ExpectingInput     = [bool] $Cmdlet.MyInvocation.ExpectingInput
    }
}

function Test-DdaEmptyPipeline {
    # True when the cmdlet was piped nothing at all (end block): it should then do nothing.
    param([object] $Selection)
    $Selection.ExpectingInput -and -not $Selection.SawInput
}

function Add-DdaSelection {
    <#
    .SYNOPSIS
        Adds the identities of one pipeline object or of the command line (call from the process
        block); each device is kept once, whatever the pipeline repeats.
    .PARAMETER Root
        The cmdlet's -Root as bound for this object: from the command line, or the piped object's
        Root property (by property name; empty for this host). See Resolve-DdaInputRoot.
    .PARAMETER IgnoreUnidentified
        Skip piped objects without an identity quietly (default: a NoDeviceIdentity error).
    #>
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [object] $Selection,
        [System.Collections.IDictionary] $BoundParameters,
        [hashtable] $Values,
        [AllowNull()] [object] $InputObject,
        [AllowNull()] [AllowEmptyString()] [string] $Root,
        [switch] $IgnoreUnidentified
    )
    $piped = $BoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject
    if ($piped -or $Selection.CommandLine.Count) { $Selection.SawInput = $true }
    # (Not assigned to $Root: a [string] parameter turns $null into '', i.e. this host.)
    $image = Resolve-DdaInputRoot -Cmdlet $Cmdlet -Selection $Selection -Root $Root -InputObject $InputObject -Piped $piped
    if ($null -eq $image) { return }
    if (-not $Selection.SeenRoots.Contains($image)) { $Selection.SeenRoots.Add($image) }
    $found = Get-DdaIdentity -CommandLineKeys $Selection.CommandLine -Values $Values -InputObject $InputObject
    if ($piped -and $found.Count -eq 0 -and $Selection.CommandLine.Count -eq 0) {
        if (-not $IgnoreUnidentified) {
            $Cmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $InputObject `
                        -Message "The input object has no Address, LocationPath or InstanceId property: $InputObject" `
                    -RecommendedAction 'Name the device with -Address (e.g. 0000:01:00.0), -LocationPath or -InstanceId, or pipe Get-DdaDevice output in.'))
        }
        return
    }
    foreach ($l in $found) {
        if ($Selection.Seen.Add("$image`0$($l[0])`0$($l[1])")) {
            $Selection.Lookups.Add($l)
            $Selection.Roots.Add($image)
        }
    }
}

function Get-DdaSelectionByRoot {
    <#
    .SYNOPSIS
        The collected lookups per host image (ordered: resolved path, '' for this host -> list of
        lookups). Without any lookup: the command line's host with an empty list ("every device").
    #>
    param([object] $Selection)
    $byRoot = [ordered]@{}
    for ($i = 0; $i -lt $Selection.Lookups.Count; $i++) {
        $key = [string] $Selection.Roots[$i]
        if (-not $byRoot.Contains($key)) { $byRoot[$key] = [System.Collections.Generic.List[object]]::new() }
        $byRoot[$key].Add($Selection.Lookups[$i])
    }
    if ($byRoot.Count -eq 0) { $byRoot[[string] $Selection.CommandLineRoot] = [System.Collections.Generic.List[object]]::new() }
    $byRoot
}

function Register-DdaDeviceCompleter {
    <#
    .SYNOPSIS
        Tab completion of -Address, -LocationPath and -InstanceId from the device list (-Source
        pool: from the assignable-device pool), and of -Class where the cmdlet has it.
    #>
    param([Parameter(Mandatory)] [string] $CommandName, [ValidateSet('devices', 'pool')] [string] $Source = 'devices')
    $command = Get-Command -Name $CommandName -ErrorAction Ignore
    foreach ($parameter in 'Address', 'LocationPath', 'InstanceId') {
        if ($command -and -not $command.Parameters.ContainsKey($parameter)) { continue }
        $completer = if ($Source -eq 'pool') {
            {
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                Complete-DdaDeviceArgument -Property $parameterName -WordToComplete $wordToComplete -BoundParameters $fakeBoundParameters -Source pool
            }
        } else {
            {
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                Complete-DdaDeviceArgument -Property $parameterName -WordToComplete $wordToComplete -BoundParameters $fakeBoundParameters
            }
        }
        Register-ArgumentCompleter -CommandName $CommandName -ParameterName $parameter -ScriptBlock $completer
    }
    if ($command -and $command.Parameters.ContainsKey('Class')) {
        Register-ArgumentCompleter -CommandName $CommandName -ParameterName Class -ScriptBlock {
            param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
            Complete-DdaClassArgument -WordToComplete $wordToComplete -BoundParameters $fakeBoundParameters
        }
    }
}
