# SPDX-License-Identifier: MIT
#
# What the VM cmdlets share (Add-/Remove-/Get-DdaVMAssignableDevice, Get-/Set-DdaVM): the VM and the
# libvirt URI of a request, and one VM change run the way the host changes run (the engine's plan in
# -WhatIf and in the prompt, then one request, never resent). No rules here: the engine decides.

function Get-DdaVmUri {
    # -Uri when given, else $env:DDABRIDGE_LIBVIRT_URI, else $null (the engine's qemu:///system). Read per
    # call: the session's serve process keeps the environment it was started with.
    param([string] $Uri)
    if (-not [string]::IsNullOrWhiteSpace($Uri)) { return $Uri }
    if (-not [string]::IsNullOrWhiteSpace($env:DDABRIDGE_LIBVIRT_URI)) { return $env:DDABRIDGE_LIBVIRT_URI }
    $null
}

function ConvertTo-DdaVmState {
    # libvirt's state words in Hyper-V's VMState names where one means the same.
    param([string] $State)
    switch ($State) {
        'running' { 'Running' } 'shutoff' { 'Off' } 'paused' { 'Paused' } 'prelaunch' { 'Paused' }
        'shutdown' { 'Stopping' } 'pmsuspended' { 'Saved' } 'crashed' { 'Off' }
        default { if ($State) { (Get-Culture).TextInfo.ToTitleCase($State) } else { $State } }
    }
}

function Format-DdaVmPlan {
    # The engine's what-if answer of vm-add / vm-remove / vm-set as prompt text.
    param([string] $Action, [string] $Target, $Plan)
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add("$Action $Target")
    if ($null -eq $Plan) { return $lines -join [Environment]::NewLine }
    if ($Plan.PSObject.Properties['Group']) { $lines.Add("  IOMMU group $($Plan.Group): $(@(@($Plan.Functions) + @($Plan.Removed) | Where-Object { $_ }) -join ', ')") }
    foreach ($s in @($Plan.PSObject.Properties['Steps'] | ForEach-Object { $_.Value })) { if ($s) { $lines.Add("  step: $s") } }
    foreach ($w in @($Plan.PSObject.Properties['Warnings'] | ForEach-Object { $_.Value })) { if ($w) { $lines.Add("  warning: $w") } }
    foreach ($o in @($Plan.PSObject.Properties['Settings'] | ForEach-Object { $_.Value })) {
        if ($o) { $lines.Add("  $($o.Setting) $($o.Value): $($o.Status)$(if ($o.AppliedAs) { " as $($o.AppliedAs)" })") }
    }
    $lines -join [Environment]::NewLine
}

function Invoke-DdaVmChange {
    <#
    .SYNOPSIS
        One VM-changing engine request (vm-add, vm-remove, vm-set) through the calling cmdlet's
        ShouldProcess: with -WhatIf or a prompt, the engine's plan (whatIf) is shown first. Returns
        the engine's result, or nothing when declined or failed (the error is written).
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [string] $Action,
        [Parameter(Mandatory)] [string] $Target,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Request,
        [bool] $WhatIfActive,
        [bool] $AskFirst
    )
    $description = "$Action $Target"
    if ($WhatIfActive -or $AskFirst) {
        $plan = [ordered]@{}
        foreach ($k in $Request.Keys) { $plan[$k] = $Request[$k] }
        $plan.whatIf = $true
        $answer = Invoke-DdaEngine -Command $Command -Arguments $plan -Cmdlet $Cmdlet -ErrorMode Write
        if ($null -eq $answer) { return }
        $description = Format-DdaVmPlan -Action $Action -Target $Target -Plan $answer
    }
    if (-not $Cmdlet.ShouldProcess($description, "$Action ${Target}?", $Action)) { return }
    Invoke-DdaEngine -Command $Command -Arguments $Request -Cmdlet $Cmdlet -ErrorMode Write -NoRetry
}

function Test-DdaAskFirst {
    # Whether ShouldProcess will prompt (then the prompt shows the engine's plan): -Confirm, or the
    # cmdlet's ConfirmImpact at or above $ConfirmPreference.
    param([System.Collections.IDictionary] $BoundParameters, [string] $ConfirmPreferenceValue,
        [System.Management.Automation.ConfirmImpact] $Impact)
    if ($BoundParameters.ContainsKey('Confirm')) { return [bool] $BoundParameters['Confirm'] }
    $ConfirmPreferenceValue -ne 'None' -and [int] $Impact -ge [int][System.Management.Automation.ConfirmImpact] $ConfirmPreferenceValue
}

function New-DdaVmDeviceObject {
    # One host function a VM holds, as Get-DdaVMAssignableDevice shows it.
    param($Vm, $Device, [string] $Uri)
    [pscustomobject]@{
        PSTypeName   = 'DdaBridge.VMAssignableDevice'
        VMName       = [string] $Vm.Vm
        VMKind       = [string] $Vm.Kind
        VMState      = ConvertTo-DdaVmState ([string] $Vm.State)
        Address      = [string] $Device.Address
        LocationPath = [string] $Device.LocationPath
        InstanceId   = [string] $Device.InstanceId
        VendorId     = [string] $Device.VendorId
        DeviceId     = [string] $Device.DeviceId
        DeviceName   = [string] $Device.DeviceName
        IommuGroup   = $Device.IommuGroup
        Uri          = $Uri
        ComputerName = [Environment]::MachineName
    }
}
