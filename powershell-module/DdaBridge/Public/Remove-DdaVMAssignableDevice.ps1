# SPDX-License-Identifier: MIT

function Remove-DdaVMAssignableDevice {
    <#
    .SYNOPSIS
        Takes a PCI device (its whole IOMMU group) out of a virtual machine; it stays in the pool.

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Remove-VMAssignableDevice, through the engine's vm-remove:
        libvirt detaches the <hostdev> live and from the persistent definition; QMP sends device_del
        and waits for DEVICE_DELETED. A running guest must let go of the device (PCIe hot-unplug);
        what it has not released within -TimeoutSeconds is reported as Pending and a warning. The
        device stays on vfio-pci: Mount-DdaHostAssignableDevice gives it back to the host.

    .PARAMETER VMName
        libvirt domain name, or qmp:/absolute/path/to/qmp.sock.

    .PARAMETER Address
        PCI address, e.g. 0000:01:00.0.

    .PARAMETER LocationPath
        Windows-form location path.

    .PARAMETER InstanceId
        Windows-form instance id.

    .PARAMETER TimeoutSeconds
        How long to wait for the guest to release the device (default 30).

    .PARAMETER Uri
        libvirt connection URI (default: $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .PARAMETER Root
        A host image (fake sysfs tree) that stands for this host's /sys and /proc (for tests).

    .INPUTS
        DdaBridge.VMAssignableDevice, DdaBridge.AssignableDevice (by property name).

    .OUTPUTS
        DdaBridge.VMOperation

    .EXAMPLE
        Remove-DdaVMAssignableDevice -VMName StorageServer -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)'

        Takes the NVMe controller out of the domain StorageServer.

    .EXAMPLE
        Get-DdaVMAssignableDevice -VMName StorageServer | Remove-DdaVMAssignableDevice -Confirm:$false

        Takes every host device out of StorageServer.

    .EXAMPLE
        Remove-DdaVMAssignableDevice -VMName qmp:/run/vm1.qmp -Address 0000:03:00.0 -TimeoutSeconds 120

        Takes the e1000e pair (one IOMMU group) out of a QEMU without libvirt, waiting up to 2 minutes
        for its guest to release it.

    .LINK
        Add-DdaVMAssignableDevice
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType('DdaBridge.VMOperation')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('VM', 'Name')]
        [ValidateNotNullOrEmpty()]
        [string] $VMName,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('Bdf')]
        [string[]] $Address,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string[]] $LocationPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeviceInstanceId', 'PNPDeviceID')]
        [string[]] $InstanceId,

        [ValidateRange(0, 3600)]
        [int] $TimeoutSeconds = 30,

        [string] $Uri,

        # By property name too: a piped object's Root names the host image it was read from (see
        # Resolve-DdaInputRoot); the command-line value is checked in begin (Get-DdaCommandLineRoot).
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
        $vmOf = [System.Collections.Generic.List[string]]::new()
    }

    process {
        $before = $selection.Lookups.Count
        Add-DdaSelection -Cmdlet $PSCmdlet -Selection $selection -BoundParameters $PSBoundParameters -Root $Root `
            -Values @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId } -InputObject $InputObject
        for ($i = $before; $i -lt $selection.Lookups.Count; $i++) { $vmOf.Add($VMName) }
    }

    end {
        # An empty pipeline does nothing (PowerShell's convention), not "no device given".
        if (Test-DdaEmptyPipeline $selection) { return }
        if ($selection.Lookups.Count -eq 0) {
            $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $null `
                        -Message 'Remove-DdaVMAssignableDevice needs a device: -Address, -LocationPath, -InstanceId or pipeline input.' `
                        -RecommendedAction 'List what the VM has with Get-DdaVMAssignableDevice -VMName <vm>.'))
            return
        }
        $askFirst = Test-DdaAskFirst -BoundParameters $PSBoundParameters -ConfirmPreferenceValue $ConfirmPreference -Impact Medium
        $uriValue = Get-DdaVmUri $Uri
        for ($i = 0; $i -lt $selection.Lookups.Count; $i++) {
            $item = $selection.Lookups[$i]
            $vm = $vmOf[$i]
            $request = [ordered]@{ vm = $vm; timeoutSeconds = [string] $TimeoutSeconds }
            if ($uriValue) { $request.uri = $uriValue }
            $rootPath = Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $selection.Roots[$i]
            if ($rootPath) { $request.root = $rootPath }
            $request[(ConvertTo-DdaRequestKey $item[0])] = [string[]] @($item[1])
            $r = Invoke-DdaVmChange -Cmdlet $PSCmdlet -Command vm-remove -Action 'Remove' -Target "$($item[0]) $($item[1]) from VM $vm" `
                -Request $request -WhatIfActive ([bool] $WhatIfPreference) -AskFirst $askFirst
            if ($null -eq $r) { continue }
            $pending = [string[]] @($r.Pending | Where-Object { $_ })
            if ($pending.Count) {
                Write-Warning "DdaBridge: the guest of $vm has not released $($pending -join ', ') yet (PCIe hot-unplug pending); it stays assigned until the guest lets go or the VM stops."
            }
            [pscustomobject]@{
                PSTypeName = 'DdaBridge.VMOperation'
                Operation  = 'Remove'
                VMName     = [string] $r.Vm
                IommuGroup = $r.Group
                Functions  = [string[]] @($r.Removed | Where-Object { $_ })
                Pending    = $pending
                Steps      = [string[]] @()
                Warnings   = [string[]] @()
                Mmio64Kib  = $null
                WhatIf     = [bool] $r.WhatIf
            }
        }
    }
}

Register-DdaDeviceCompleter -CommandName Remove-DdaVMAssignableDevice
