# SPDX-License-Identifier: MIT

# Engine commands that change the host. Invoke-DdaEngineRequest runs them only the way the
# cmdlets do (ShouldProcess of a calling cmdlet, the engine's plan in -WhatIf, never resent).
$script:DdaStateChangingCommands = 'dismount', 'mount', 'disable', 'enable', 'repair'
# VM changes go through their own cmdlets only (their ShouldProcess shows the engine's VM plan).
$script:DdaVmChangingCommands = @{ 'vm-add' = 'Add-DdaVMAssignableDevice'; 'vm-remove' = 'Remove-DdaVMAssignableDevice'; 'vm-set' = 'Set-DdaVM' }

function Invoke-DdaEngineRequest {
    <#
    .SYNOPSIS
        Sends one request to the DdaBridge engine and returns its result (for companion modules
        and scripts that need an engine command no cmdlet covers).

    .DESCRIPTION
        The documented way for other modules (DdaBridge.HyperVCompat) to reach the engine: the
        same transport as the cmdlets (the session's serve process, or a one-shot process), the
        engine's JSON answer as objects with PascalCase property names, and engine errors as
        ErrorRecords with the engine's error id and category.

        Commands that change the host (dismount, mount, disable, enable, repair) run only on
        behalf of a calling cmdlet that supports ShouldProcess (-Cmdlet $PSCmdlet), exactly as
        DdaBridge's own cmdlets run them: per device, the engine's plan shown in the -WhatIf
        text and the confirmation prompt of that cmdlet (with its ConfirmImpact), sent once and
        never resent. Forward the cmdlet's own switches: -WhatIf:$WhatIfPreference, and -Confirm
        when it was given. Without such a -Cmdlet they are refused, unless the arguments ask for
        the plan only (whatIf = $true).

    .PARAMETER Command
        The engine command, as in the serve protocol: devices, survey, pnp, pool, groups, mmio,
        version, capture, ...

    .PARAMETER Arguments
        Request arguments with the engine's camelCase names (instanceId, locationPath, ...).
        $null values are left out.

    .PARAMETER Root
        Ask about this host image instead of the live machine (sent as the root argument, as a
        full path). An empty or blank value is refused.

    .PARAMETER TypeName
        Give each returned object this PSTypeName (e.g. DdaBridge.PnpDevice), with the
        ComputerName and Root properties the cmdlets' objects carry.

    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet: engine errors are then written through it, so that their
        FullyQualifiedErrorId names that cmdlet and its -ErrorAction applies; state changes use
        its ShouldProcess.

    .PARAMETER Force
        For state changes: override the engine's soft guards (the cmdlets' -Force), and skip the
        confirmation prompt unless -Confirm was given to the calling cmdlet.

    .OUTPUTS
        The engine's result: PSCustomObjects (typed with -TypeName), or nothing after an error.

    .EXAMPLE
        Invoke-DdaEngineRequest -Command version

        The engine's version, schema version and Java runtime.

    .EXAMPLE
        Invoke-DdaEngineRequest -Command pnp -Arguments @{ instanceId = $id } -TypeName DdaBridge.PnpDevice

        One device in the Windows (PnP) view, as DdaBridge.HyperVCompat's Get-PnpDevice uses it.

    .EXAMPLE
        (Invoke-DdaEngineRequest -Command dismount -Arguments @{ address = '0000:01:00.0'; whatIf = $true }).Steps

        The engine's plan for a dismount, without changing anything.

    .EXAMPLE
        Invoke-DdaEngineRequest -Command disable -Arguments @{ instanceId = $InstanceId } -Cmdlet $PSCmdlet -WhatIf:$WhatIfPreference

        Inside an advanced function with SupportsShouldProcess: disables devices the way
        Disable-DdaDevice does, confirmed through that function (as Disable-PnpDevice does).

    .LINK
        about_DdaBridge
    #>
    # SupportsShouldProcess only to receive the caller's -WhatIf / -Confirm for state changes
    # (a preference variable of another module's function cannot be read from here); the prompt
    # itself is the calling cmdlet's ShouldProcess, with its ConfirmImpact.
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess)]
    [OutputType([psobject])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string] $Command,

        [Parameter(Position = 1)]
        [System.Collections.IDictionary] $Arguments = @{},

        [ValidateScript({ Assert-DdaRootArgument $_ })]
        [string] $Root,

        [string] $TypeName,

        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [switch] $Force
    )

    $caller = $Cmdlet
    if (-not $Cmdlet) { $Cmdlet = $PSCmdlet }
    $request = [ordered]@{}
    foreach ($key in $Arguments.Keys) { $request[[string] $key] = $Arguments[$key] }
    $rootPath = Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $Root
    $computerName = if ($rootPath) { $null } else { [Environment]::MachineName }

    if ($script:DdaVmChangingCommands.ContainsKey($Command) -and $request['whatIf'] -ne $true) {
        $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'StateChangeNeedsCmdlet' -Category InvalidOperation -TargetObject $Command `
                    -Message "Invoke-DdaEngineRequest does not run '$Command' (it changes a VM); send whatIf = `$true for the plan." `
                    -RecommendedAction "Use $($script:DdaVmChangingCommands[$Command])."))
    }
    if ($Command -in $script:DdaStateChangingCommands -and $request['whatIf'] -ne $true) {
        $binding = if ($caller) {
            $caller.MyInvocation.MyCommand.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        }
        if (-not $binding -or -not $binding.SupportsShouldProcess) {
            $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'StateChangeNeedsCmdlet' -Category InvalidOperation -TargetObject $Command `
                        -Message "Invoke-DdaEngineRequest runs '$Command' (it changes the host) only for a calling cmdlet with SupportsShouldProcess (-Cmdlet `$PSCmdlet); send whatIf = `$true for the plan." `
                        -RecommendedAction 'Use Dismount-/Mount-DdaHostAssignableDevice, Disable-/Enable-DdaDevice or Repair-DdaHost.'))
        }
        # One request per device, as the cmdlets send them; the other arguments go with each.
        $lookups = [System.Collections.Generic.List[object]]::new()
        foreach ($key in $script:DdaIdentityKeys) {
            $name = ConvertTo-DdaRequestKey $key
            if (-not $request.Contains($name)) { continue }
            foreach ($value in @($request[$name])) { if (-not [string]::IsNullOrWhiteSpace($value)) { $lookups.Add(@($key, ([string] $value).Trim())) } }
            $request.Remove($name)
        }
        if ($lookups.Count -eq 0 -and $Command -ne 'repair') {
            $Cmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $null `
                        -Message "'$Command' needs a device: an address, locationPath or instanceId argument."))
            return
        }
        if ($rootPath) { $request.root = $rootPath }
        Invoke-DdaStateChange -Cmdlet $caller -Command $Command -Action ((Get-Culture).TextInfo.ToTitleCase($Command)) -Lookups $lookups `
            -BaseArguments $request -Force:$Force -NoDevice:($lookups.Count -eq 0) -Root $rootPath `
            -TypeName $(if ($TypeName) { $TypeName } else { $script:DdaTypeName.Operation }) `
            -WhatIfActive ([bool] $WhatIfPreference) -ConfirmPreferenceValue ([string] $ConfirmPreference) -Impact $binding.ConfirmImpact `
            -ConfirmSwitch $(if ($PSBoundParameters.ContainsKey('Confirm')) { [bool] $PSBoundParameters['Confirm'] } else { $null })
        return
    }

    if ($rootPath) { $request.root = $rootPath }
    $result = Invoke-DdaEngine -Command $Command -Arguments $request -Cmdlet $Cmdlet -ErrorMode Write
    if ($null -eq $result) { return }
    if (-not $TypeName) { return $result }
    ConvertTo-DdaObject -InputObject $result -TypeName $TypeName -ComputerName $computerName -Root $rootPath
}
