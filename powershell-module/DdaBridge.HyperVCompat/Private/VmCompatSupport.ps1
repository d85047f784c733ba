# SPDX-License-Identifier: MIT
#
# What the compat VM cmdlets (Get-VM, Set-VM, Add-/Remove-/Get-VMAssignableDevice) share. They call
# DdaBridge's public VM cmdlets only. Hyper-V names a VM by -VMName or -VM objects (from Get-VM); on
# Linux a VM is a libvirt domain on $env:DDABRIDGE_LIBVIRT_URI (default qemu:///system), or -Uri (a
# DdaBridge extension), or qmp:/path/to/qmp.sock for a QEMU without libvirt.

function Get-VmCompatName {
    # The VM names of a call: -VMName, else the Name of each -VM object.
    param([string[]] $VMName, [object[]] $VM)
    if ($VMName) { return $VMName }
    foreach ($v in @($VM)) {
        if ($null -eq $v) { continue }
        if ($v -is [string]) { $v; continue }
        $p = $v.PSObject.Properties['Name']
        if (-not $p) { $p = $v.PSObject.Properties['VMName'] }
        if ($p -and $p.Value) { [string] $p.Value }
    }
}

function Invoke-VmCompatChange {
    # One DdaBridge VM cmdlet for a compat cmdlet: -WhatIf goes through (the engine's plan is shown),
    # otherwise the compat cmdlet's own ShouldProcess (its ConfirmImpact, -Confirm) decides and the
    # DdaBridge cmdlet runs unprompted. Its errors are re-issued through the compat cmdlet.
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [hashtable] $Parameters,
        [Parameter(Mandatory)] [string] $Target,
        [Parameter(Mandatory)] [string] $Action,
        [bool] $WhatIfActive
    )
    $errors = $null
    if ($WhatIfActive) {
        & "DdaBridge\$Command" @Parameters -WhatIf -ErrorAction SilentlyContinue -ErrorVariable errors
    } elseif ($Cmdlet.ShouldProcess($Target, $Action)) {
        & "DdaBridge\$Command" @Parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors
    }
    foreach ($e in @($errors)) { if ($e -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($e) } }
}
