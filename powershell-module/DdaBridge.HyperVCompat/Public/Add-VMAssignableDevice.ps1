# SPDX-License-Identifier: MIT

function Add-VMAssignableDevice {
    <#
    .SYNOPSIS
        Gives a pooled device to a VM (libvirt domain, or qmp:/path for a QEMU without libvirt).

    .DESCRIPTION
        Linux meaning of Hyper-V's Add-VMAssignableDevice, through DdaBridge's Add-DdaVMAssignableDevice
        (the engine's vm-add): the device's whole IOMMU group, dismounted first with
        Dismount-VMHostAssignableDevice, becomes a <hostdev managed='no'> of the domain, live and
        persistent. Without -LocationPath and -InstanceId, the first device of the pool that no VM holds
        is taken. Like Hyper-V it outputs nothing unless -Passthru and does not prompt by default.

    .PARAMETER VMName
        VM name(s).

    .PARAMETER VM
        VM objects from Get-VM.

    .PARAMETER LocationPath
        The device's location path (as Dismount-VMHostAssignableDevice took it).

    .PARAMETER InstanceId
        The device's instance id.

    .PARAMETER Passthru
        Output the VM's assigned device(s).

    .PARAMETER Root
        A host image (fake sysfs tree) that stands for this host (DdaBridge extension, for tests). An empty
        or blank value is refused.

    .PARAMETER Uri
        libvirt connection URI (DdaBridge extension; default $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .EXAMPLE
        Add-VMAssignableDevice -LocationPath "PCIROOT(40)#PCI(0200)#PCI(0000)" -VMName StorageServer

        Microsoft's example, unchanged.

    .EXAMPLE
        Get-VM StorageServer | Add-VMAssignableDevice

        Gives the first free pooled device to StorageServer.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VM', ValueFromPipeline)]
        [object[]] $VM,

        [Parameter(ValueFromPipelineByPropertyName)] [string] $LocationPath,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $InstanceId,
        [switch] $Passthru,
        [string] $Uri,

        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    process {
        foreach ($n in @(Get-VmCompatName -VMName $VMName -VM $VM)) {
            $p = @{ VMName = $n }
            if ($LocationPath) { $p.LocationPath = $LocationPath } elseif ($InstanceId) { $p.InstanceId = $InstanceId } else { $p.Any = $true }
            if ($Uri) { $p.Uri = $Uri }
            if ($Root) { $p.Root = $Root }
            $what = if ($LocationPath) { $LocationPath } elseif ($InstanceId) { $InstanceId } else { 'a pooled device' }
            $ops = @(Invoke-VmCompatChange -Cmdlet $PSCmdlet -Command Add-DdaVMAssignableDevice -Parameters $p -Target "$what -> $n" `
                    -Action 'Add-VMAssignableDevice' -WhatIfActive ([bool] $WhatIfPreference))
            if ($Passthru -and $ops.Count -and -not $WhatIfPreference) {
                $g = @{ VMName = $n }
                if ($Uri) { $g.Uri = $Uri }
                DdaBridge\Get-DdaVMAssignableDevice @g | Where-Object { $_.Address -in @($ops.Functions) }
            }
        }
    }
}
