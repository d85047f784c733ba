# SPDX-License-Identifier: MIT

function Add-DdaVMAssignableDevice {
    <#
    .SYNOPSIS
        Gives a pooled PCI device (its whole IOMMU group, on vfio-pci) to a virtual machine.

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Add-VMAssignableDevice, through the engine's vm-add. The
        VM is a libvirt domain name (on -Uri, default qemu:///system or $env:DDABRIDGE_LIBVIRT_URI)
        or qmp:/path/to/qmp.sock (a QEMU without libvirt). libvirt gets a <hostdev managed='no'>
        live (when the domain runs) and in its persistent definition, so libvirt never rebinds host
        drivers; QMP gets device_add vfio-pci into a free pcie-root-port. Every function of the group
        moves together; a function not on vfio-pci is refused (NotDismounted: dismount it first).

        The 64-bit PCI hole the survey computes for the group is checked against the domain's
        <pcihole64>: a persistent definition too small gets a larger one (effective at the next
        start, a warning says so while the domain runs); a transient running domain is refused.

        Each step is journaled; a failure rolls back, and Repair-DdaHost finishes an interrupted
        change. -WhatIf shows the engine's plan and changes nothing. Without a device, -Any takes
        the first device of the pool no VM holds (as Hyper-V's cmdlet does without a device).

    .PARAMETER VMName
        libvirt domain name, or qmp:/absolute/path/to/qmp.sock.

    .PARAMETER Address
        PCI address, e.g. 0000:01:00.0.

    .PARAMETER LocationPath
        Windows-form location path, e.g. PCIROOT(0)#PCI(0200)#PCI(0000).

    .PARAMETER InstanceId
        Windows-form instance id.

    .PARAMETER Any
        The first pooled device that no VM holds.

    .PARAMETER Uri
        libvirt connection URI (default: $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .PARAMETER Root
        A host image (fake sysfs tree) that stands for this host's /sys and /proc (for tests).

    .INPUTS
        DdaBridge.AssignableDevice, DdaBridge.Device (by property name: Address, LocationPath, InstanceId).

    .OUTPUTS
        DdaBridge.VMOperation

    .EXAMPLE
        Add-DdaVMAssignableDevice -VMName StorageServer -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)'

        Gives the NVMe controller in root port 02 to the libvirt domain StorageServer.

    .EXAMPLE
        Get-DdaHostAssignableDevice | Add-DdaVMAssignableDevice -VMName qmp:/run/vm1.qmp -WhatIf

        Shows the plan for giving every pooled device to a QEMU started with -qmp unix:/run/vm1.qmp.

    .EXAMPLE
        Add-DdaVMAssignableDevice -VMName StorageServer -Any -Uri qemu+ssh://root@kvm1/system

        Gives the first free pooled device to a domain on another libvirt host's connection.

    .LINK
        Remove-DdaVMAssignableDevice
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', PositionalBinding = $false, DefaultParameterSetName = 'Device')]
    [OutputType('DdaBridge.VMOperation')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Alias('VM', 'Name')]
        [ValidateNotNullOrEmpty()]
        [string] $VMName,

        [Parameter(ParameterSetName = 'Device', ValueFromPipelineByPropertyName)]
        [Alias('Bdf')]
        [string[]] $Address,

        [Parameter(ParameterSetName = 'Device', ValueFromPipelineByPropertyName)]
        [string[]] $LocationPath,

        [Parameter(ParameterSetName = 'Device', ValueFromPipelineByPropertyName)]
        [Alias('DeviceInstanceId', 'PNPDeviceID')]
        [string[]] $InstanceId,

        [Parameter(Mandatory, ParameterSetName = 'Any')]
        [switch] $Any,

        [string] $Uri,

        # By property name too: a piped object's Root names the host image it was read from (see
        # Resolve-DdaInputRoot); the command-line value is checked in begin (Get-DdaCommandLineRoot).
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [Parameter(ParameterSetName = 'Device', ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        if ($Any) { return }
        Add-DdaSelection -Cmdlet $PSCmdlet -Selection $selection -BoundParameters $PSBoundParameters -Root $Root `
            -Values @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId } -InputObject $InputObject
    }

    end {
        # An empty pipeline does nothing (PowerShell's convention), not "no device given".
        if (-not $Any -and (Test-DdaEmptyPipeline $selection)) { return }
        $items = [System.Collections.Generic.List[object]]::new()
        if ($Any) { $items.Add(@('Any', $true)) } else { $items.AddRange($selection.Lookups) }
        if ($items.Count -eq 0) {
            $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $null `
                        -Message 'Add-DdaVMAssignableDevice needs a device: -Address, -LocationPath, -InstanceId, pipeline input or -Any.' `
                        -RecommendedAction 'List the pool with Get-DdaHostAssignableDevice.'))
            return
        }
        $askFirst = Test-DdaAskFirst -BoundParameters $PSBoundParameters -ConfirmPreferenceValue $ConfirmPreference -Impact Medium
        $uriValue = Get-DdaVmUri $Uri
        for ($i = 0; $i -lt $items.Count; $i++) {
            $item = $items[$i]
            $request = [ordered]@{ vm = $VMName }
            if ($uriValue) { $request.uri = $uriValue }
            $rootPath = if ($Any) { Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $Root } else { Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $selection.Roots[$i] }
            if ($rootPath) { $request.root = $rootPath }
            if ($Any) { $request.any = $true; $target = "any pooled device to VM $VMName" }
            else { $request[(ConvertTo-DdaRequestKey $item[0])] = [string[]] @($item[1]); $target = "$($item[0]) $($item[1]) to VM $VMName" }
            $r = Invoke-DdaVmChange -Cmdlet $PSCmdlet -Command vm-add -Action 'Add' -Target $target -Request $request `
                -WhatIfActive ([bool] $WhatIfPreference) -AskFirst $askFirst
            if ($null -eq $r) { continue }
            foreach ($w in @($r.Warnings)) { if ($w) { Write-Warning "DdaBridge: $w" } }
            [pscustomobject]@{
                PSTypeName = 'DdaBridge.VMOperation'
                Operation  = 'Add'
                VMName     = [string] $r.Vm
                IommuGroup = $r.Group
                Functions  = [string[]] @($r.Functions)
                Pending    = [string[]] @()
                Steps      = [string[]] @($r.Steps)
                Warnings   = [string[]] @($r.Warnings | Where-Object { $_ })
                Mmio64Kib  = $r.Mmio64Kib
                WhatIf     = [bool] $r.WhatIf
            }
        }
    }
}

Register-DdaDeviceCompleter -CommandName Add-DdaVMAssignableDevice
