# SPDX-License-Identifier: MIT
#
# What the compat cmdlets share. They reach DdaBridge only through its public commands:
# Get-DdaHostAssignableDevice for the pool, and Invoke-DdaEngineRequest for the engine's `pnp`
# answer (no cmdlet gives that Windows view) and for device changes, which it runs through the
# compat cmdlet's own ShouldProcess (its ConfirmImpact, -WhatIf, -Confirm) and error stream.
# -Root values are handed to DdaBridge as given; DdaBridge resolves them.

function Assert-PnpCompatRoot {
    # The [ValidateScript()] of every -Root: empty or blank is refused (it must not silently mean
    # this machine's live /sys); leaving -Root out is how to use this host.
    param([AllowNull()] [object] $Value)
    if ([string]::IsNullOrWhiteSpace([string] $Value)) {
        throw '-Root is empty: give a host image (a directory that stands for /, or a .tar.gz capture), or leave -Root out to use this host.'
    }
    $true
}

function Get-PnpCompatImage {
    # The host image a call works on: -Root when given, else the piped object's Root property
    # (where DdaBridge read it; empty for this host), else $env:DDABRIDGE_COMPAT_ROOT (so a script
    # that passes no -Root, such as Microsoft's SurveyDDA.ps1, can be aimed at an image), else $null
    # (this host).
    param([System.Collections.IDictionary] $BoundParameters, [string] $Root, [AllowNull()] [object] $InputObject)
    if ($BoundParameters.ContainsKey('Root')) { return $Root }
    if ($null -ne $InputObject -and $InputObject -isnot [string]) {
        $property = $InputObject.PSObject.Properties['Root']
        if ($property -and -not [string]::IsNullOrWhiteSpace([string] $property.Value)) { return [string] $property.Value }
    }
    if (-not [string]::IsNullOrWhiteSpace($env:DDABRIDGE_COMPAT_ROOT)) { return $env:DDABRIDGE_COMPAT_ROOT }
    $null
}

function Invoke-PnpCompatChange {
    # One state-changing engine command for this compat cmdlet's devices (see above).
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [hashtable] $Arguments,
        [string] $Root,
        [switch] $Force
    )
    Clear-PnpCompatSnapshot   # the host changes: the next read must be fresh
    $request = @{ Command = $Command; Arguments = $Arguments; Cmdlet = $Cmdlet; Force = [bool] $Force }
    if ($Root) { $request.Root = $Root }
    # The compat cmdlet's -WhatIf / -Confirm (its preference variables are not visible to DdaBridge).
    $request.WhatIf = [bool] $Cmdlet.MyInvocation.BoundParameters['WhatIf'] -or [bool] $WhatIfPreference
    if ($Cmdlet.MyInvocation.BoundParameters.ContainsKey('Confirm')) { $request.Confirm = [bool] $Cmdlet.MyInvocation.BoundParameters['Confirm'] }
    DdaBridge\Invoke-DdaEngineRequest @request
}

# One reading of the host's PnP view per root, shared for a few seconds: Microsoft's SurveyDDA.ps1
# asks for three properties and two WMI listings per device, and each engine `pnp` answer is a
# whole survey (about a second on a loaded 2-core machine, far more in a TCG guest). Get-PnpDevice
# always reads afresh; Get-PnpDeviceProperty and the WMI classes answer from the latest reading
# while it is younger than $env:DDABRIDGE_COMPAT_CACHE_SECONDS (default 10; 0 reads every time),
# and every change made through this module drops it. Nothing is derived here: it is the engine's
# answer, kept.
$script:PnpCompatSnapshots = @{}

function Clear-PnpCompatSnapshot {
    $script:PnpCompatSnapshots = @{}
}

function Get-PnpCompatSnapshot {
    # @{ Time; Devices; Wmi }: every function of the host (or image) as Get-PnpDevice-shaped objects,
    # from a fresh or a recent engine `pnp` answer (see above); Wmi holds the WMI instances built
    # from that same answer (Get-WmiCompatInstance).
    param([Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Root, [switch] $Refresh)
    $key = if ($Root) { $Root } else { '' }
    $ttl = 10
    if ($env:DDABRIDGE_COMPAT_CACHE_SECONDS -match '^\d+$') { $ttl = [int] $env:DDABRIDGE_COMPAT_CACHE_SECONDS }
    $cached = $script:PnpCompatSnapshots[$key]
    if (-not $Refresh -and $ttl -gt 0 -and $cached -and ([datetime]::UtcNow - $cached.Time).TotalSeconds -lt $ttl) {
        return $cached
    }
    $snapshot = @{ Time = [datetime]::UtcNow; Devices = @(Get-PnpCompatDevice -Cmdlet $Cmdlet -Root $Root); Wmi = @{} }
    $script:PnpCompatSnapshots[$key] = $snapshot
    $snapshot
}

function Get-PnpCompatDevice {
    # The engine's pnp answer as Get-PnpDevice-shaped objects: Win32_PnPEntity's property names added
    # (ConfigManagerErrorCode typed like Windows' enumeration, so both -eq 22 and -eq 'CM_PROB_DISABLED'
    # hold for a disabled device).
    param([Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Root)
    $request = @{ Command = 'pnp'; TypeName = 'DdaBridge.PnpDevice'; Cmdlet = $Cmdlet }
    if ($Root) { $request.Root = $Root }
    foreach ($o in @(DdaBridge\Invoke-DdaEngineRequest @request)) {
        if ($null -eq $o) { continue }
        $code = [int] $o.ConfigManagerErrorCode
        $o | Add-Member -NotePropertyMembers ([ordered]@{
                Class                   = $o.PnpClass
                PNPClass                = $o.PnpClass
                Name                    = $o.FriendlyName
                Caption                 = $o.FriendlyName
                Description             = $o.FriendlyName
                DeviceID                = $o.InstanceId
                PNPDeviceID             = $o.InstanceId
                HardwareID              = [string[]] @($o.HardwareId)
                ConfigManagerErrorCode  = $(if ([enum]::IsDefined([PnpCompatConfigManagerErrorCode], $code)) { [PnpCompatConfigManagerErrorCode] $code } else { $code })
                ConfigManagerUserConfig = $false
                CreationClassName       = 'Win32_PnPEntity'
                SystemCreationClassName = 'Win32_ComputerSystem'
            }) -Force
        $o
    }
}

$script:PnpCompatKeys = $null

function Get-PnpCompatKeyTable {
    # The engine's table of device property keys (name, fmtid, pid, type): fetched once per session
    # (it is the engine's constant table), indexed by name and by "{FMTID} pid".
    param([Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet)
    if (-not $script:PnpCompatKeys) {
        $byName = @{}
        $byKey = @{}
        foreach ($k in @(DdaBridge\Invoke-DdaEngineRequest -Command devpkeys -Cmdlet $Cmdlet)) {
            if ($null -eq $k) { continue }
            $byName[[string] $k.KeyName] = $k
            $byKey[('{0} {1}' -f ([string] $k.Fmtid).ToUpperInvariant(), [int] $k.Pid)] = $k
        }
        $script:PnpCompatKeys = @{ ByName = $byName; ByKey = $byKey }
    }
    $script:PnpCompatKeys
}

function ConvertTo-PnpCompatKeyId {
    # "{fmtid} pid" (any whitespace between, GUID in any case) -> "{FMTID} pid"; $null for other text.
    param([string] $Text)
    if ($Text -match '^\s*(\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\})\s+([0-9]{1,10})\s*$') {
        return '{0} {1}' -f $Matches[1].ToUpperInvariant(), [uint32] $Matches[2]
    }
    $null
}
