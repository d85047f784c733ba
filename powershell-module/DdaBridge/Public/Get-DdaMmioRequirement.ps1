# SPDX-License-Identifier: MIT

function Get-DdaMmioRequirement {
    <#
    .SYNOPSIS
        Computes the VM MMIO settings a set of devices needs when assigned to the same VM.

    .DESCRIPTION
        Every BAR of every assigned device must fit in the VM's MMIO space: 32-bit BARs below
        4 GiB, 64-bit BARs above. Get-DdaMmioRequirement collects all devices given (on the
        command line or from the pipeline) and returns ONE DdaBridge.MmioRequirement for the
        whole set, computed by the engine from the checker's per-device figures:
          Devices                    per-device BelowFourGiB / AboveFourGiB (bytes)
          BelowFourGiB, AboveFourGiB the sums (bytes)
          LowMemoryMappedIoSpace     value for Hyper-V Set-VM -LowMemoryMappedIoSpace (bytes)
          HighMemoryMappedIoSpace    value for Set-VM -HighMemoryMappedIoSpace (bytes)
          SetVMCommand               the Set-VM command line (GPUs add -GuestControlledCacheTypes)
          QemuPciHole64Size          QEMU q35's 64-bit PCI hole that fits the 64-bit BARs
          QemuArgument, LibvirtXml   the QEMU option and the libvirt element that set it
          QemuNeeded                 $true when the default 32 GiB hole is too small

        It only reads.

    .PARAMETER Address
        PCI addresses of the devices that will share one VM.

    .PARAMETER LocationPath
        Location paths of those devices.

    .PARAMETER InstanceId
        Instance ids of those devices.

    .PARAMETER Root
        Read a host image instead of the live machine.

    .INPUTS
        DdaBridge.Device, DdaBridge.DeviceReport (or any object with Address / LocationPath / InstanceId).

    .OUTPUTS
        DdaBridge.MmioRequirement

    .EXAMPLE
        Get-DdaDevice -Class 0108 | Get-DdaMmioRequirement

        The MMIO settings for a VM that gets every NVMe controller.

    .EXAMPLE
        $mmio = Get-DdaMmioRequirement 0000:41:00.0, 0000:41:00.1
        Set-VM -VMName gpu-vm -LowMemoryMappedIoSpace $mmio.LowMemoryMappedIoSpace -HighMemoryMappedIoSpace $mmio.HighMemoryMappedIoSpace

        Applies the figures on a Hyper-V host (values are bytes, as Set-VM takes them).

    .EXAMPLE
        (Get-DdaMmioRequirement -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)').QemuArgument

        The QEMU option that makes room for the device's 64-bit BARs.

    .LINK
        Test-DdaDevice
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.MmioRequirement')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Bdf')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Address,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string[]] $LocationPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeviceInstanceId', 'PNPDeviceID')]
        [ValidateNotNullOrEmpty()]
        [string[]] $InstanceId,

        # By property name too: a piped object's Root names the host image it was read from (see
        # Resolve-DdaInputRoot); the command-line value is checked in begin (Get-DdaCommandLineRoot).
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        Add-DdaSelection -Cmdlet $PSCmdlet -Selection $selection -BoundParameters $PSBoundParameters -Root $Root -IgnoreUnidentified `
            -Values @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId } -InputObject $InputObject
    }

    end {
        if (Test-DdaEmptyPipeline $selection) { return }
        if ($selection.Lookups.Count -eq 0) {
            if ($selection.SawInput) { return }   # piped objects that named no device (or another image)
            $PSCmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $null `
                        -Message 'Give the devices that will share one VM (-Address, -LocationPath, -InstanceId or pipeline input).' `
                    -RecommendedAction 'Name the device with -Address (e.g. 0000:01:00.0), -LocationPath or -InstanceId, or pipe Get-DdaDevice output in.'))
        }
        # One sum per host image: devices of different hosts never share a VM.
        $byRoot = Get-DdaSelectionByRoot $selection
        foreach ($rootPath in $byRoot.Keys) {
            $request = [ordered]@{}
            if ($rootPath) { $request.root = $rootPath }
            Add-DdaLookupArgument -Request $request -Lookups $byRoot[$rootPath] -Unique
            $result = Invoke-DdaEngine -Command mmio -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
            if ($null -eq $result) { continue }
            $o = ConvertTo-DdaObject -InputObject $result -TypeName $script:DdaTypeName.MmioRequirement `
                -ComputerName $(if ($rootPath) { $null } else { [Environment]::MachineName }) -Root $rootPath
            # Flat properties for the usual questions (the nested HyperV/Qemu objects stay too).
            $o | Add-Member -NotePropertyMembers ([ordered]@{
                    DeviceCount               = @($o.Devices).Count
                    LowMemoryMappedIoSpace    = $o.HyperV.LowMemoryMappedIoSpace
                    HighMemoryMappedIoSpace   = $o.HyperV.HighMemoryMappedIoSpace
                    GuestControlledCacheTypes = $o.HyperV.GuestControlledCacheTypes
                    SetVMCommand              = $o.HyperV.Command
                    QemuPciHole64Size         = $o.Qemu.PciHole64Size
                    QemuNeeded                = $o.Qemu.Needed
                    QemuArgument              = $o.Qemu.Argument
                    LibvirtXml                = $o.Qemu.Libvirt
                }) -Force
            $o
        }
    }
}

Register-DdaDeviceCompleter -CommandName Get-DdaMmioRequirement
