# SPDX-License-Identifier: MIT

function Get-DdaVMAssignableDevice {
    <#
    .SYNOPSIS
        Gets the host PCI devices that virtual machines hold.

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Get-VMAssignableDevice, through the engine's vm-list: one
        DdaBridge.VMAssignableDevice per host function a VM has (libvirt: the <hostdev> elements of
        the live definition, or of the persistent one while the domain is off; QMP: the vfio-pci
        devices of the QEMU), with its identities (Address, LocationPath, InstanceId) and IOMMU
        group. Without -VMName, every libvirt domain on -Uri. It only reads.

    .PARAMETER VMName
        libvirt domain name(s), or qmp:/path/to/qmp.sock; all domains when omitted.

    .PARAMETER LocationPath
        Only devices with these location paths (wildcards allowed).

    .PARAMETER InstanceId
        Only devices with these instance ids (wildcards allowed).

    .PARAMETER Uri
        libvirt connection URI (default: $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .PARAMETER Root
        A host image (fake sysfs tree) to read the devices' identities from (for tests).

    .INPUTS
        DdaBridge.VM (by property name: VMName).

    .OUTPUTS
        DdaBridge.VMAssignableDevice

    .EXAMPLE
        Get-DdaVMAssignableDevice -VMName StorageServer

        Lists the host devices of the domain StorageServer.

    .EXAMPLE
        Get-DdaVMAssignableDevice | Format-List

        Every host device of every libvirt domain, with all properties.
    .EXAMPLE
        Get-DdaVM | Get-DdaVMAssignableDevice -LocationPath 'PCIROOT(0)#PCI(02*'

        Which VM holds the devices below root port 02.

    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.VMAssignableDevice')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('VM', 'Name')]
        [string[]] $VMName,

        [SupportsWildcards()]
        [string[]] $LocationPath,

        [SupportsWildcards()]
        [string[]] $InstanceId,

        [string] $Uri,

        [ValidateScript({ Assert-DdaRootArgument $_ })]
        [string] $Root
    )

    process {
        $uriValue = Get-DdaVmUri $Uri
        $rootPath = Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $Root
        $names = if ($VMName) { $VMName } else { @($null) }
        foreach ($name in $names) {
            $request = [ordered]@{}
            if ($name) { $request.vm = $name }
            if ($uriValue) { $request.uri = $uriValue }
            if ($rootPath) { $request.root = $rootPath }
            foreach ($vm in @(Invoke-DdaEngine -Command vm-list -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write)) {
                if ($null -eq $vm) { continue }
                foreach ($d in @($vm.Devices)) {
                    if ($null -eq $d) { continue }
                    if ($LocationPath -and -not ($LocationPath | Where-Object { $d.LocationPath -like $_ })) { continue }
                    if ($InstanceId -and -not ($InstanceId | Where-Object { $d.InstanceId -like $_ })) { continue }
                    New-DdaVmDeviceObject -Vm $vm -Device $d -Uri $uriValue
                }
            }
        }
    }
}
