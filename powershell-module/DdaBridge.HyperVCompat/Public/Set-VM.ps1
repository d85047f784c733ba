# SPDX-License-Identifier: MIT

function Set-VM {
    <#
    .SYNOPSIS
        Applies Hyper-V's DDA VM settings to a libvirt domain (the four settings of Microsoft's DDA preparation).

    .DESCRIPTION
        Linux meaning of Hyper-V's Set-VM for the settings a DDA script sets, through DdaBridge's Set-DdaVM:
          -HighMemoryMappedIoSpace    the domain's <pcihole64> (persistent definition; a running
                                      domain gets it at its next start, with a warning)
          -LowMemoryMappedIoSpace     no per-domain libvirt setting: a warning says so, nothing changes
          -AutomaticStopAction        no per-domain libvirt setting (host-wide libvirt-guests
                                      ON_SHUTDOWN): a warning says so, nothing changes
          -GuestControlledCacheTypes  accepted; KVM needs no setting (verbose note)
        Other Set-VM parameters do not exist here. Outputs nothing unless -Passthru (then the VM).

    .PARAMETER Name
        VM name(s) (alias VMName).

    .PARAMETER VM
        VM objects from Get-VM.

    .PARAMETER AutomaticStopAction
        TurnOff, Save or ShutDown.

    .PARAMETER GuestControlledCacheTypes
        $true or $false.

    .PARAMETER LowMemoryMappedIoSpace
        Bytes (3GB).

    .PARAMETER HighMemoryMappedIoSpace
        Bytes (33280MB).

    .PARAMETER Passthru
        Output the VM.

    .PARAMETER Uri
        libvirt connection URI (DdaBridge extension; default $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .EXAMPLE
        Set-VM -Name StorageServer -AutomaticStopAction TurnOff

        Says that libvirt decides this host-wide (libvirt-guests), and changes nothing.

    .EXAMPLE
        Set-VM -HighMemoryMappedIoSpace 33280Mb -VMName StorageServer

        Sets the domain's <pcihole64> to 34078720 KiB.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Name')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Name', ValueFromPipelineByPropertyName)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'VM', ValueFromPipeline)]
        [object[]] $VM,

        [ValidateSet('TurnOff', 'Save', 'ShutDown')]
        [string] $AutomaticStopAction,

        [bool] $GuestControlledCacheTypes,

        [long] $LowMemoryMappedIoSpace,

        [long] $HighMemoryMappedIoSpace,

        [switch] $Passthru,

        [string] $Uri
    )
    process {
        foreach ($n in @(Get-VmCompatName -VMName $Name -VM $VM)) {
            $p = @{ VMName = $n }
            foreach ($k in 'AutomaticStopAction', 'GuestControlledCacheTypes', 'LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'Uri') {
                if ($PSBoundParameters.ContainsKey($k)) { $p[$k] = $PSBoundParameters[$k] }
            }
            if ($PSBoundParameters.ContainsKey('Verbose')) { $p.Verbose = $PSBoundParameters['Verbose'] }
            Invoke-VmCompatChange -Cmdlet $PSCmdlet -Command Set-DdaVM -Parameters $p -Target $n -Action 'Set-VM' `
                -WhatIfActive ([bool] $WhatIfPreference) | Out-Null
            if ($Passthru -and -not $WhatIfPreference) {
                $g = @{ Name = $n }
                if ($Uri) { $g.Uri = $Uri }
                DdaBridge\Get-DdaVM @g
            }
        }
    }
}
