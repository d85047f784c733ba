# SPDX-License-Identifier: MIT

function Get-VM {
    <#
    .SYNOPSIS
        Lists the libvirt domains (and QEMU processes) of this Linux host, in the shape of Hyper-V's Get-VM.

    .DESCRIPTION
        Linux meaning of Hyper-V's Get-VM, minimal: DdaBridge's Get-DdaVM. Each object has what is
        true on libvirt: Name (and VMName), State (Running, Off, Paused), Id (the domain's UUID),
        HighMemoryMappedIoSpace (its 64-bit PCI hole), the host devices it holds, and Uri. Objects
        pipe into Set-VM, Add-/Get-/Remove-VMAssignableDevice (-VM). Connection: $env:DDABRIDGE_LIBVIRT_URI
        or -Uri (default qemu:///system).

    .PARAMETER Name
        VM name(s), wildcards allowed.

    .PARAMETER Id
        The domain's UUID.

    .PARAMETER Uri
        libvirt connection URI (DdaBridge extension).

    .EXAMPLE
        Get-VM

        Lists every domain.

    .EXAMPLE
        Get-VM -Name StorageServer | Set-VM -HighMemoryMappedIoSpace 33280MB

        Gives the domain a 33280 MiB 64-bit PCI hole.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(Position = 0, ParameterSetName = 'Name', ValueFromPipelineByPropertyName)]
        [Alias('VMName')]
        [SupportsWildcards()]
        [string[]] $Name,

        [Parameter(Mandatory, ParameterSetName = 'Id')]
        [guid] $Id,

        [string] $Uri
    )
    process {
        $p = @{}
        if ($Name) { $p.Name = $Name }
        if ($Uri) { $p.Uri = $Uri }
        $all = DdaBridge\Get-DdaVM @p
        if ($PSCmdlet.ParameterSetName -eq 'Id') { $all = @($all | Where-Object { $_.Id -eq $Id }) }
        $all
    }
}
