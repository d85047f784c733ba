# SPDX-License-Identifier: MIT

function Set-DdaVM {
    <#
    .SYNOPSIS
        Applies Microsoft's DDA VM settings to a libvirt domain, saying what each one maps to.

    .DESCRIPTION
        Through the engine's vm-set. The four settings of Microsoft's DDA preparation map as follows:

          -HighMemoryMappedIoSpace   the root PCI controller's <pcihole64> in the persistent
                                     definition. QEMU fixes the hole when the VM starts, so a running
                                     domain gets it at its next start (Status pendingRestart, and a
                                     warning). A transient running domain, or one without a
                                     pci-root/pcie-root controller, is refused (SettingNotApplicable).
          -LowMemoryMappedIoSpace    libvirt has no per-domain size for the 32-bit PCI window:
                                     reported (noEquivalent, warning), nothing changed.
          -AutomaticStopAction       libvirt has no per-domain host-shutdown action (it is host-wide:
                                     the libvirt-guests service's ON_SHUTDOWN): reported
                                     (noEquivalent, warning), nothing changed.
          -GuestControlledCacheTypes KVM needs no setting (notNeeded, verbose note).

        Outputs one DdaBridge.VMSetting per setting given. A QEMU without libvirt (qmp:/path) takes
        these at its start only and is refused.

    .PARAMETER VMName
        libvirt domain name.

    .PARAMETER LowMemoryMappedIoSpace
        Bytes (3GB).

    .PARAMETER HighMemoryMappedIoSpace
        Bytes (33280MB).

    .PARAMETER AutomaticStopAction
        TurnOff, Save or ShutDown.

    .PARAMETER GuestControlledCacheTypes
        $true or $false.

    .PARAMETER Uri
        libvirt connection URI (default: $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .OUTPUTS
        DdaBridge.VMSetting

    .EXAMPLE
        Set-DdaVM -VMName StorageServer -HighMemoryMappedIoSpace 33280MB

        Gives the domain a 33280 MiB 64-bit PCI hole (<pcihole64 unit='KiB'>34078720</pcihole64>).

    .EXAMPLE
        Set-DdaVM StorageServer -AutomaticStopAction TurnOff -GuestControlledCacheTypes $true -WhatIf

        Shows what libvirt has (and has not) for these two settings.
    .EXAMPLE
        $mmio = Get-DdaMmioRequirement -Address 0000:01:00.0; Set-DdaVM -VMName StorageServer -HighMemoryMappedIoSpace $mmio.HighMemoryMappedIoSpace

        Sizes the domain's 64-bit PCI hole from the survey's MMIO figure for the device.

    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType('DdaBridge.VMSetting')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('VM', 'Name')]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [ValidateRange(1, [long]::MaxValue)]
        [long] $LowMemoryMappedIoSpace,

        [ValidateRange(1, [long]::MaxValue)]
        [long] $HighMemoryMappedIoSpace,

        [ValidateSet('TurnOff', 'Save', 'ShutDown')]
        [string] $AutomaticStopAction,

        [bool] $GuestControlledCacheTypes,

        [string] $Uri
    )

    process {
        $uriValue = Get-DdaVmUri $Uri
        $askFirst = Test-DdaAskFirst -BoundParameters $PSBoundParameters -ConfirmPreferenceValue $ConfirmPreference -Impact Medium
        foreach ($vm in $VMName) {
            $request = [ordered]@{ vm = $vm }
            if ($uriValue) { $request.uri = $uriValue }
            if ($PSBoundParameters.ContainsKey('LowMemoryMappedIoSpace')) { $request.lowMemoryMappedIoSpace = [string] $LowMemoryMappedIoSpace }
            if ($PSBoundParameters.ContainsKey('HighMemoryMappedIoSpace')) { $request.highMemoryMappedIoSpace = [string] $HighMemoryMappedIoSpace }
            if ($PSBoundParameters.ContainsKey('AutomaticStopAction')) { $request.automaticStopAction = $AutomaticStopAction }
            if ($PSBoundParameters.ContainsKey('GuestControlledCacheTypes')) { $request.guestControlledCacheTypes = [string] $GuestControlledCacheTypes.ToString().ToLowerInvariant() }
            $r = Invoke-DdaVmChange -Cmdlet $PSCmdlet -Command vm-set -Action 'Set' -Target "VM $vm" -Request $request `
                -WhatIfActive ([bool] $WhatIfPreference) -AskFirst $askFirst
            if ($null -eq $r) { continue }
            foreach ($o in @($r.Settings)) {
                if ($null -eq $o) { continue }
                $text = "DdaBridge: $vm $($o.Setting) $($o.Value): $($o.Status)$(if ($o.AppliedAs) { " ($($o.AppliedAs))" }). $($o.Note)".TrimEnd(' ', '.') + '.'
                if ($o.Status -in 'noEquivalent', 'pendingRestart') { Write-Warning $text } else { Write-Verbose $text }
                [pscustomobject]@{
                    PSTypeName = 'DdaBridge.VMSetting'
                    VMName     = [string] $r.Vm
                    Setting    = [string] $o.Setting
                    Value      = [string] $o.Value
                    Status     = [string] $o.Status
                    AppliedAs  = [string] $o.AppliedAs
                    Note       = [string] $o.Note
                    WhatIf     = [bool] $r.WhatIf
                }
            }
        }
    }
}
