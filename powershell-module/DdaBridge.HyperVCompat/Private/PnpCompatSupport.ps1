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
    # (where DdaBridge read it; empty for this host), else $null (this host).
    param([System.Collections.IDictionary] $BoundParameters, [string] $Root, [AllowNull()] [object] $InputObject)
    if ($BoundParameters.ContainsKey('Root')) { return $Root }
    if ($null -ne $InputObject -and $InputObject -isnot [string]) {
        $property = $InputObject.PSObject.Properties['Root']
        if ($property -and -not [string]::IsNullOrWhiteSpace([string] $property.Value)) { return [string] $property.Value }
    }
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
    $request = @{ Command = $Command; Arguments = $Arguments; Cmdlet = $Cmdlet; Force = [bool] $Force }
    if ($Root) { $request.Root = $Root }
    # The compat cmdlet's -WhatIf / -Confirm (its preference variables are not visible to DdaBridge).
    $request.WhatIf = [bool] $Cmdlet.MyInvocation.BoundParameters['WhatIf'] -or [bool] $WhatIfPreference
    if ($Cmdlet.MyInvocation.BoundParameters.ContainsKey('Confirm')) { $request.Confirm = [bool] $Cmdlet.MyInvocation.BoundParameters['Confirm'] }
    DdaBridge\Invoke-DdaEngineRequest @request
}

function Get-PnpCompatDevice {
    # The engine's pnp answer as Get-PnpDevice-shaped objects (Windows property names added).
    param([Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Root)
    $request = @{ Command = 'pnp'; TypeName = 'DdaBridge.PnpDevice'; Cmdlet = $Cmdlet }
    if ($Root) { $request.Root = $Root }
    foreach ($o in @(DdaBridge\Invoke-DdaEngineRequest @request)) {
        if ($null -eq $o) { continue }
        $o | Add-Member -NotePropertyMembers ([ordered]@{
                Class       = $o.PnpClass
                Name        = $o.FriendlyName
                DeviceID    = $o.InstanceId
                PNPDeviceID = $o.InstanceId
                HardwareID  = [string[]] @($o.HardwareId)
            }) -Force
        $o
    }
}
