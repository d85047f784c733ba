# SPDX-License-Identifier: MIT
#
# The one way every state-changing cmdlet runs: ask the engine for its plan (whatIf), show it
# through ShouldProcess, then send the request once (never retried) per device, with progress.
# Devices come from DeviceIdentity.ps1 (New-/Add-DdaSelection).
# No rules live here: the engine decides what happens; this only carries its answers.

function Format-DdaPlanStep {
    # One engine plan step as a line of text. The engine describes each step itself
    # (steps[].description, e.g. "0000:01:00.0: driver_override = vfio-pci"): render that, so the
    # step text is written in one place.
    param($Step)
    $description = $Step.PSObject.Properties['Description']
    if ($description -and -not [string]::IsNullOrWhiteSpace([string] $description.Value)) { return [string] $description.Value }
    # TEMPORARY fallback for engines that send no description yet (the engine change is under
    # way on main); delete this switch once every supported engine sends steps[].description.
    $a = $Step.Address; $v = [string] $Step.Value
    switch ($Step.Action) {
        'modprobe' { "load the $v kernel module" }
        'override' { if ($v) { "${a}: driver_override = $v" } else { "${a}: clear driver_override" } }
        'unbind' { "${a}: unbind from $v" }
        'probe' { "${a}: drivers_probe -> $(if ($v) { $v } else { "the kernel's choice" })" }
        'bind' { "${a}: bind to $v" }
        'vfioCheck' { "IOMMU group ${v}: VFIO must report the group viable" }
        default { "$($Step.Action) $a $v".Trim() }
    }
}

function Format-DdaPlan {
    <#
    .SYNOPSIS
        The engine's whatIf answer as text for ShouldProcess (What if: / Confirm).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Action, [Parameter(Mandatory)] [string] $Target, $Plan)
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add("$Action $Target")
    if ($null -eq $Plan) { return $lines -join [Environment]::NewLine }
    # (No ForEach-Object -MemberName here: it honours -WhatIf and would print its own lines.)
    $property = $Plan.PSObject.Properties['Groups']
    $groups = if ($property) { @($property.Value) } else { @() }
    foreach ($g in $groups) {
        if (-not $g) { continue }
        $moves = @($g.Moves | ForEach-Object { $_.Address }) -join ', '
        $stays = @($g.Stays | ForEach-Object { $_.Address }) -join ', '
        $text = "  IOMMU group $($g.Group): moves $moves"
        if ($stays) { $text += "; stays $stays" }
        $lines.Add($text)
        foreach ($guard in @($g.Guards)) { if ($guard) { $lines.Add("  guard $($guard.Code)$(if ($guard.Hard) { ' (hard)' }): $($guard.Message)") } }
    }
    $property = $Plan.PSObject.Properties['Steps']
    $steps = if ($property) { @($property.Value) } else { @() }
    if ($steps.Count -eq 0 -or ($steps.Count -eq 1 -and $null -eq $steps[0])) {
        $lines.Add('  engine plan: nothing to do')
    } else {
        $lines.Add('  engine plan:')
        $i = 1
        foreach ($s in $steps) { if ($s) { $lines.Add(('    {0}. {1}' -f $i++, (Format-DdaPlanStep $s))) } }
    }
    $refuse = $Plan.PSObject.Properties['WouldRefuse']
    if ($refuse -and $refuse.Value) { $lines.Add("  the engine would refuse: $($refuse.Value)") }
    if ($Plan.PSObject.Properties['Simulated'] -and $Plan.Simulated) { $lines.Add('  (simulated: host image given with -Root)') }
    $lines -join [Environment]::NewLine
}

function Invoke-DdaStateChange {
    <#
    .SYNOPSIS
        Runs one state-changing engine command for each device lookup, with ShouldProcess,
        -WhatIf showing the engine's own plan, progress over the devices and per-device
        non-terminating errors.
    .PARAMETER Cmdlet
        The public cmdlet's $PSCmdlet (its ConfirmImpact, -WhatIf and -Confirm apply).
    .PARAMETER Lookups
        (key, value) pairs from Get-DdaIdentity. An empty list means one request without a
        device (repair).
    .PARAMETER Force
        Passed to the engine as force (soft guards); also suppresses confirmation.
    .OUTPUTS
        The engine results, typed with -TypeName (only with -PassThru semantics decided by
        the caller: results are returned, the caller outputs them or not).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [string] $Action,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[object]] $Lookups,
        [System.Collections.IDictionary] $BaseArguments = @{},
        [switch] $Force,
        [switch] $NoDevice,
        [string] $TypeName = 'DdaBridge.Operation',
        [string] $Root,
        # The caller's $WhatIfPreference, $ConfirmPreference, ConfirmImpact and -Confirm value
        # ($null when -Confirm was not given): this helper may run in another module's scope.
        [bool] $WhatIfActive,
        [string] $ConfirmPreferenceValue = 'High',
        [System.Management.Automation.ConfirmImpact] $Impact = 'High',
        [object] $ConfirmSwitch
    )

    # A list, not an array from an if-expression: PowerShell would unroll a single (key, value) pair.
    $items = [System.Collections.Generic.List[object]]::new()
    if ($NoDevice) { $items.Add($null) } else { $items.AddRange($Lookups) }
    $total = $items.Count
    $index = 0
    $progressId = 0x0DDB
    $confirmExplicit = $null -ne $ConfirmSwitch -and [bool] $ConfirmSwitch
    $confirmOff = $null -ne $ConfirmSwitch -and -not [bool] $ConfirmSwitch
    # -Force skips the prompt unless -Confirm was asked for explicitly (PowerShellForGitHub pattern).
    $skipPrompt = -not $WhatIfActive -and -not $confirmExplicit -and ($Force -or $confirmOff)
    $wouldConfirm = $confirmExplicit -or (-not $skipPrompt -and $ConfirmPreferenceValue -ne 'None' -and
        [int] $Impact -ge [int][System.Management.Automation.ConfirmImpact] $ConfirmPreferenceValue)
    try {
        foreach ($item in $items) {
            $index++
            $request = [ordered]@{}
            foreach ($k in $BaseArguments.Keys) { $request[$k] = $BaseArguments[$k] }
            # The target names the host too: the prompt must say whether this machine or an image changes.
            $target = if ($item) { '{0} {1}' -f $item[0], $item[1] } else { '' }
            $where = if ($Root) { "host image $Root" } else { 'this host' }
            $target = if ($target) { "$target on $where" } else { $where }
            if ($item) { $request[(ConvertTo-DdaRequestKey $item[0])] = $item[1] }
            if ($Force) { $request.force = $true }
            if ($total -gt 1) {
                Write-Progress -Id $progressId -Activity "$Action ($Command)" -Status $target -PercentComplete ([int] (($index - 1) * 100 / $total))
            }

            # The engine's plan, shown by -WhatIf and in the confirmation prompt.
            $description = "$Action $target"
            if ($WhatIfActive -or $wouldConfirm) {
                $planRequest = [ordered]@{}
                foreach ($k in $request.Keys) { $planRequest[$k] = $request[$k] }
                $planRequest.whatIf = $true
                $plan = Invoke-DdaEngine -Command $Command -Arguments $planRequest -Cmdlet $Cmdlet -ErrorMode Write
                if ($null -eq $plan) { continue }    # the engine refused to plan (not found, ...): error written
                $description = Format-DdaPlan -Action $Action -Target $target -Plan $plan
            }
            # The prompt's text (ShouldProcess' verboseWarning) is the engine's plan too, not only the
            # target: what will happen is what one confirms.
            if (-not $skipPrompt -and -not (Invoke-DdaShouldProcess -Cmdlet $Cmdlet -Description $description `
                        -Warning "$description$([Environment]::NewLine)$Action ${target}?" -Caption $Action)) { continue }

            $result = Invoke-DdaEngine -Command $Command -Arguments $request -Cmdlet $Cmdlet -ErrorMode Write -NoRetry
            if ($null -ne $result) {
                ConvertTo-DdaObject -InputObject $result -TypeName $TypeName -ComputerName $(if ($Root) { $null } else { [Environment]::MachineName }) -Root $Root
            }
        }
    } finally {
        if ($total -gt 1) { Write-Progress -Id $progressId -Activity "$Action ($Command)" -Completed }
    }
}

function Invoke-DdaShouldProcess {
    <#
    .SYNOPSIS
        $Cmdlet.ShouldProcess, with the error of a prompt that cannot be shown (-NonInteractive,
        no console) raised by the public cmdlet under a stable id: ConfirmationRequired, not
        PowerShell's PSInvalidOperationException tagged with this private helper's name.
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Description,
        [Parameter(Mandatory)] [string] $Warning,
        [Parameter(Mandatory)] [string] $Caption
    )
    try {
        $Cmdlet.ShouldProcess($Description, $Warning, $Caption)
    } catch [System.Management.Automation.PSInvalidOperationException] {
        $name = $Cmdlet.MyInvocation.MyCommand.Name
        $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'ConfirmationRequired' -Category InvalidOperation -TargetObject $Description `
                    -InnerException $_.Exception `
                    -Message "$name needs a confirmation that this session cannot ask for ($($_.Exception.Message)). The change:$([Environment]::NewLine)$Description" `
                    -RecommendedAction 'Add -Confirm:$false (or -Force) to run it without a prompt, or -WhatIf to see the plan only.'))
    }
}

function Complete-DdaStateChange {
    <#
    .SYNOPSIS
        Runs the collected devices through the engine command (call from the end block). Devices are
        grouped by host image so that progress counts every device once.
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [object] $Selection,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [string] $Action,
        [switch] $Force,
        # Linux: change the running system only, not what the next boot does (engine argument transient).
        [switch] $Transient,
        # The hypervisor whose rules the checker's verdict follows (engine argument target; empty: the host's).
        [string] $Target,
        [bool] $WhatIfActive,
        $ConfirmPreferenceValue,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $BoundParameters
    )
    if (Test-DdaEmptyPipeline $Selection) { return }
    if ($Selection.Lookups.Count -eq 0) {
        # Piped objects that named no device (or another host image) have had their errors.
        if ($Selection.SawInput) { return }
        $name = $Cmdlet.MyInvocation.MyCommand.Name
        $Cmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $null `
                    -Message "$name needs a device: -Address, -LocationPath, -InstanceId or pipeline input." `
                    -RecommendedAction 'Name the device with -Address (e.g. 0000:01:00.0), -LocationPath or -InstanceId, or pipe Get-DdaDevice output in.'))
        return
    }
    $byRoot = Get-DdaSelectionByRoot $Selection
    $confirmSwitch = if ($BoundParameters.ContainsKey('Confirm')) { [bool] $BoundParameters['Confirm'] } else { $null }
    foreach ($key in $byRoot.Keys) {
        $rootPath = Resolve-DdaRoot -Cmdlet $Cmdlet -Root $key
        $base = [ordered]@{}
        if ($rootPath) { $base.root = $rootPath }
        if ($Transient) { $base.transient = $true }
        if ($Target) { $base.target = $Target.ToLowerInvariant() }
        Invoke-DdaStateChange -Cmdlet $Cmdlet -Command $Command -Action $Action -Lookups $byRoot[$key] -BaseArguments $base `
            -Force:$Force -Root $rootPath -WhatIfActive $WhatIfActive -ConfirmPreferenceValue $ConfirmPreferenceValue `
            -Impact High -ConfirmSwitch $confirmSwitch
    }
}

