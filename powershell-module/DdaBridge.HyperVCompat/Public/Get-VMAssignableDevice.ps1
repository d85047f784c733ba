# SPDX-License-Identifier: MIT

function Get-VMAssignableDevice {
    <#
    .SYNOPSIS
        Lists the host devices a VM holds (libvirt <hostdev> elements, QMP vfio-pci devices).

    .DESCRIPTION
        Linux meaning of Hyper-V's Get-VMAssignableDevice, through DdaBridge's Get-DdaVMAssignableDevice:
        one object per host function with VMName, LocationPath, InstanceID (as Hyper-V names them),
        Address and IommuGroup. It only reads.

    .PARAMETER VMName
        VM name(s).

    .PARAMETER VM
        VM objects from Get-VM.

    .PARAMETER LocationPath
        Only this location path (wildcards allowed).

    .PARAMETER InstanceId
        Only this instance id (wildcards allowed).

    .PARAMETER Root
        A host image (fake sysfs tree) that stands for this host (DdaBridge extension, for tests). An empty
        or blank value is refused.

    .PARAMETER Uri
        libvirt connection URI (DdaBridge extension; default $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .EXAMPLE
        Get-VMAssignableDevice -VMName StorageServer

        The host devices of StorageServer.
    #>
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VM', ValueFromPipeline)]
        [object[]] $VM,

        [string] $LocationPath,
        [string] $InstanceId,
        [string] $Uri,

        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    process {
        $p = @{ VMName = @(Get-VmCompatName -VMName $VMName -VM $VM) }
        if ($LocationPath) { $p.LocationPath = $LocationPath }
        if ($InstanceId) { $p.InstanceId = $InstanceId }
        if ($Uri) { $p.Uri = $Uri }
        if ($Root) { $p.Root = $Root }
        DdaBridge\Get-DdaVMAssignableDevice @p
    }
}
