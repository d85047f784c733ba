# SPDX-License-Identifier: MIT

function Remove-VMAssignableDevice {
    <#
    .SYNOPSIS
        Takes a device out of a VM; it stays in the pool (vfio-pci).

    .DESCRIPTION
        Linux meaning of Hyper-V's Remove-VMAssignableDevice, through DdaBridge's
        Remove-DdaVMAssignableDevice (the engine's vm-remove): the device's whole group is detached
        live and from the persistent definition; Mount-VMHostAssignableDevice then gives it back to
        the host. Devices by -LocationPath / -InstanceId, or piped from Get-VMAssignableDevice. Without
        either, every host device of the VM is removed (as Hyper-V does). It waits up to 150 s for the guest
        to release the device (PCIe hot-unplug), then warns. Outputs nothing unless -Passthru.

    .PARAMETER VMName
        VM name(s).

    .PARAMETER VM
        VM objects from Get-VM.

    .PARAMETER VMAssignableDevice
        Objects from Get-VMAssignableDevice.

    .PARAMETER LocationPath
        The device's location path.

    .PARAMETER InstanceId
        The device's instance id.

    .PARAMETER Passthru
        Output what was removed.

    .PARAMETER Root
        A host image (fake sysfs tree) that stands for this host (DdaBridge extension, for tests). An empty
        or blank value is refused.

    .PARAMETER Uri
        libvirt connection URI (DdaBridge extension; default $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .EXAMPLE
        Remove-VMAssignableDevice -LocationPath $locationPath -VMName StorageServer

        Takes the device out of StorageServer.

    .EXAMPLE
        Get-VMAssignableDevice -VMName StorageServer | Remove-VMAssignableDevice

        Takes every host device out of StorageServer.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VM')]
        [object[]] $VM,

        [Parameter(Mandatory, ParameterSetName = 'Object', ValueFromPipeline)]
        [object[]] $VMAssignableDevice,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'VM')] [string] $LocationPath,
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'VM')] [string] $InstanceId,
        [switch] $Passthru,
        [string] $Uri,

        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    process {
        $work = [System.Collections.Generic.List[object]]::new()
        if ($PSCmdlet.ParameterSetName -eq 'Object') {
            foreach ($d in @($VMAssignableDevice)) { if ($d) { $work.Add(@([string] $d.VMName, @{ Address = [string] $d.Address }, [string] $d.LocationPath)) } }
        } else {
            foreach ($n in @(Get-VmCompatName -VMName $VMName -VM $VM)) {
                if ($LocationPath) { $work.Add(@($n, @{ LocationPath = $LocationPath }, $LocationPath)) }
                elseif ($InstanceId) { $work.Add(@($n, @{ InstanceId = $InstanceId }, $InstanceId)) }
                else {
                    # no device named: every host device the VM has, one group per request
                    $g = @{ VMName = $n }
                    if ($Uri) { $g.Uri = $Uri }
                    if ($Root) { $g.Root = $Root }
                    $seen = @{}
                    foreach ($d in @(DdaBridge\Get-DdaVMAssignableDevice @g)) {
                        $key = if ($null -ne $d.IommuGroup) { "g$($d.IommuGroup)" } else { $d.Address }
                        if (-not $seen.ContainsKey($key)) { $seen[$key] = $true; $work.Add(@($n, @{ Address = $d.Address }, $d.Address)) }
                    }
                }
            }
        }
        foreach ($w in $work) {
            $p = $w[1].Clone()
            $p.VMName = $w[0]
            # Hyper-V's removal returns when the guest has let go; wait as long for a PCIe hot-unplug here
            $p.TimeoutSeconds = 150
            if ($Uri) { $p.Uri = $Uri }
            if ($Root) { $p.Root = $Root }
            $ops = @(Invoke-VmCompatChange -Cmdlet $PSCmdlet -Command Remove-DdaVMAssignableDevice -Parameters $p -Target "$($w[2]) <- $($w[0])" `
                    -Action 'Remove-VMAssignableDevice' -WhatIfActive ([bool] $WhatIfPreference))
            if ($Passthru) { $ops }
        }
    }
}
