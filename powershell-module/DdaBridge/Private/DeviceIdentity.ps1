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
    [CmdletBinding()]
    [OutputType([string])]
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
    [CmdletBinding()]
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
        $present = @($Values[$key] | Where-Object { -not [string]::IsNullOrWhiteSpace($_) })
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
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Request, [object[]] $Lookups, [switch] $Unique)
    foreach ($group in ($Lookups | Group-Object { $_[0] })) {
        $values = @($group.Group | ForEach-Object { $_[1] })
        if ($Unique) { $values = @($values | Select-Object -Unique) }
        $Request[(ConvertTo-DdaRequestKey $group.Name)] = [string[]] $values
    }
}

function New-DdaSelection {
    <#
    .SYNOPSIS
        Starts collecting device identities (call from the cmdlet's begin block, where
        $PSBoundParameters holds the command line only).
    #>
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $BoundParameters)
    [pscustomobject]@{
        CommandLine = @($BoundParameters.Keys | Where-Object { $_ -in $script:DdaIdentityKeys })
        Lookups     = [System.Collections.Generic.List[object]]::new()
        Roots       = [System.Collections.Generic.List[string]]::new()
        Seen        = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        # True once a device was named on the command line or an object was piped in (then an
        # empty selection means "nothing usable", not "every device").
        SawInput    = $false
    }
}

function Add-DdaSelection {
    <#
    .SYNOPSIS
        Adds the identities of one pipeline object or of the command line (call from the process
        block); each device is kept once, whatever the pipeline repeats.
    .PARAMETER Root
        The cmdlet's -Root. When it was not given, a piped object's own Root property (where
        Get-DdaDevice and friends read it; $null for this host) is the device's host image.
    .PARAMETER IgnoreUnidentified
        Skip piped objects without an identity quietly (default: a NoDeviceIdentity error).
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [object] $Selection,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $BoundParameters,
        [Parameter(Mandatory)] [hashtable] $Values,
        [AllowNull()] [object] $InputObject,
        [AllowNull()] [AllowEmptyString()] [string] $Root,
        [switch] $IgnoreUnidentified
    )
    $piped = $BoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject
    if ($piped -or $Selection.CommandLine.Count) { $Selection.SawInput = $true }
    $found = Get-DdaIdentity -CommandLineKeys $Selection.CommandLine -Values $Values -InputObject $InputObject
    if ($piped -and $found.Count -eq 0 -and $Selection.CommandLine.Count -eq 0) {
        if (-not $IgnoreUnidentified) {
            $Cmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $InputObject `
                        -Message "The input object has no Address, LocationPath or InstanceId property: $InputObject"))
        }
        return
    }
    if (-not $BoundParameters.ContainsKey('Root') -and $piped -and $InputObject -isnot [string]) {
        $property = $InputObject.PSObject.Properties['Root']
        $Root = if ($property) { [string] $property.Value } else { $null }
    }
    foreach ($l in $found) {
        if ($Selection.Seen.Add("$Root`0$($l[0])`0$($l[1])")) {
            $Selection.Lookups.Add($l)
            $Selection.Roots.Add($Root)
        }
    }
}

function Register-DdaDeviceCompleter {
    <#
    .SYNOPSIS
        Tab completion of -Address, -LocationPath and -InstanceId from the live device list.
    #>
    param([Parameter(Mandatory)] [string] $CommandName)
    foreach ($parameter in 'Address', 'LocationPath', 'InstanceId') {
        Register-ArgumentCompleter -CommandName $CommandName -ParameterName $parameter -ScriptBlock {
            param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
            Complete-DdaDeviceArgument -Property $parameterName -WordToComplete $wordToComplete -BoundParameters $fakeBoundParameters
        }
    }
}
