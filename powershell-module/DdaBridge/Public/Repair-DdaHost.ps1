# SPDX-License-Identifier: MIT

function Repair-DdaHost {
    <#
    .SYNOPSIS
        Finishes an interrupted device change: brings every device of it back to its state before.

    .DESCRIPTION
        When a dismount, mount, disable or enable was interrupted (power loss, the engine killed)
        the engine's journal says so, and further changes are refused (Refused, reason
        RepairNeeded). Repair-DdaHost asks the engine to undo that operation from the journal:
        every function touched is brought back to the driver and driver_override it had before,
        last function first, looking at the live state (so it is right whichever step was
        interrupted). Nothing to repair is not an error. -WhatIf shows what the journal holds.

    .PARAMETER Root
        Repair a fake sysfs tree instead of the live machine. An empty or blank value is refused.
        Without -Root, a piped object's own Root property (e.g. of Get-DdaHostAssignableDevice
        -Root output; empty for this host) names the host: each one piped is repaired once.

    .PARAMETER Force
        Do not ask for confirmation.

    .OUTPUTS
        DdaBridge.RepairResult (Repaired, Operation, Kind, Status, Actions, Devices, Drift)

    .EXAMPLE
        Repair-DdaHost -WhatIf

        Shows whether a repair is needed and what the interrupted operation was.

    .EXAMPLE
        Repair-DdaHost -Force

        Repairs without a prompt.

    .EXAMPLE
        Get-DdaHostAssignableDevice 3>&1; Repair-DdaHost

        The pool's warning tells when a repair is needed; then repair.

    .LINK
        Get-DdaHostAssignableDevice
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('DdaBridge.RepairResult')]
    param(
        # By property name too (see Resolve-DdaInputRoot); the command-line value is checked in begin.
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [switch] $Force,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        $piped = $PSBoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject
        $image = Resolve-DdaInputRoot -Cmdlet $PSCmdlet -Selection $selection -Root $Root -InputObject $InputObject -Piped $piped
        if ($null -ne $image -and -not $selection.SeenRoots.Contains($image)) { $selection.SeenRoots.Add($image) }
    }

    end {
        if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) { $ConfirmPreference = 'None' }
        foreach ($rootPath in $selection.SeenRoots) {
            $base = [ordered]@{}
            if ($rootPath) { $base.root = $rootPath }
            $target = if ($rootPath) { "host image $rootPath" } else { 'this host' }
            $text = "Repair (undo an interrupted device change) on $target"
            if ($WhatIfPreference -or $ConfirmPreference -ne 'None') {
                # The engine's view of the journal: the What if: text and the confirmation prompt.
                $plan = Invoke-DdaEngine -Command repair -Arguments ($base + @{ whatIf = $true }) -Cmdlet $PSCmdlet -ErrorMode Write
                if ($null -eq $plan) { continue }
                $text = if ($plan.Needed) {
                    "Repair: undo $($plan.Operation.Kind) $($plan.Operation.Id) (status $($plan.Operation.Status)), restoring " +
                    (@($plan.Operation.Devices | ForEach-Object { "$($_.Address) -> $(if ($_.BeforeDriver) { $_.BeforeDriver } else { 'no driver' })" }) -join ', ')
                } else { 'Repair: nothing to repair (the last operation finished).' }
                $text += " [$target]"
                if (@($plan.Drift).Count) { $text += [Environment]::NewLine + '  drift: ' + (@($plan.Drift) -join '; ') }
            }
            if (-not (Invoke-DdaShouldProcess -Cmdlet $PSCmdlet -Description $text -Warning "$text$([Environment]::NewLine)Repair ${target}?" -Caption 'Repair')) { continue }
            $result = Invoke-DdaEngine -Command repair -Arguments $base -Cmdlet $PSCmdlet -ErrorMode Write -NoRetry
            if ($null -ne $result) { ConvertTo-DdaObject -InputObject $result -TypeName $script:DdaTypeName.RepairResult }
        }
    }
}
