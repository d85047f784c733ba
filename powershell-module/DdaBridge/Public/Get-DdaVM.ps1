# SPDX-License-Identifier: MIT

function Get-DdaVM {
    <#
    .SYNOPSIS
        Gets the virtual machines DdaBridge can give devices to: libvirt domains and QEMU processes.

    .DESCRIPTION
        Through the engine's vm-list: one DdaBridge.VM per libvirt domain on -Uri (Name, State in
        Hyper-V's words: Running, Off, Paused; Id, the domain's UUID; HighMemoryMappedIoSpace, the
        64-bit PCI hole in bytes: its <pcihole64>, else QEMU's q35 default) and per QEMU process
        without libvirt (Name qmp:/path of its QMP socket, or its -name; ProcessId, VfioGroups). The
        host devices each holds are in Devices. It only reads.

    .PARAMETER Name
        Only these VMs (wildcards allowed), or one qmp:/path/to/qmp.sock.

    .PARAMETER Uri
        libvirt connection URI (default: $env:DDABRIDGE_LIBVIRT_URI, else qemu:///system).

    .OUTPUTS
        DdaBridge.VM

    .EXAMPLE
        Get-DdaVM

        Lists the domains and QEMU processes of this host.

    .EXAMPLE
        Get-DdaVM -Name StorageServer | Format-List *

        Shows one domain with its UUID, 64-bit PCI hole and host devices.
    .EXAMPLE
        Get-DdaVM -Name qmp:/run/vm1.qmp

        One QEMU without libvirt, through its QMP socket (its state and vfio-pci devices).

    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.VM')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('VMName')]
        [SupportsWildcards()]
        [string[]] $Name,

        [string] $Uri
    )

    process {
        $uriValue = Get-DdaVmUri $Uri
        $request = [ordered]@{}
        if ($uriValue) { $request.uri = $uriValue }
        # qmp:/path names one QEMU directly (it is not in the listing unless it holds a group)
        $direct = @($Name | Where-Object { $_ -and $_ -like 'qmp:*' })
        $answers = [System.Collections.Generic.List[object]]::new()
        foreach ($q in $direct) {
            $one = [ordered]@{ vm = $q }
            if ($uriValue) { $one.uri = $uriValue }
            foreach ($v in @(Invoke-DdaEngine -Command vm-list -Arguments $one -Cmdlet $PSCmdlet -ErrorMode Write)) { if ($v) { $answers.Add($v) } }
        }
        $patterns = @($Name | Where-Object { $_ -and $_ -notlike 'qmp:*' })
        if ($direct.Count -eq 0 -or $patterns.Count) {
            $all = @(Invoke-DdaEngine -Command vm-list -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write)
            $matched = @($all | Where-Object { $vm = $_; $vm -and (-not $patterns.Count -or ($patterns | Where-Object { $vm.Vm -like $_ })) })
            foreach ($p in $patterns) {
                if (-not [WildcardPattern]::ContainsWildcardCharacters($p) -and -not ($matched | Where-Object { $_.Vm -eq $p })) {
                    $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'VmNotFound' -Category ObjectNotFound -TargetObject $p `
                                -Message "No VM named '$p' on $(if ($uriValue) { $uriValue } else { 'qemu:///system' })." `
                                -RecommendedAction 'List the VMs with Get-DdaVM (virsh list --all), or give -Uri.'))
                }
            }
            foreach ($v in $matched) { $answers.Add($v) }
        }
        foreach ($v in $answers) {
            $id = [guid]::Empty
            [pscustomobject]@{
                PSTypeName              = 'DdaBridge.VM'
                Name                    = [string] $v.Vm
                VMName                  = [string] $v.Vm
                State                   = ConvertTo-DdaVmState ([string] $v.State)
                Id                      = if ($v.Uuid -and [guid]::TryParse([string] $v.Uuid, [ref] $id)) { $id } else { $null }
                Kind                    = [string] $v.Kind
                HighMemoryMappedIoSpace = if ($null -ne $v.PciHole64Kib) { [long] $v.PciHole64Kib * 1024 } else { $null }
                Devices                 = @(foreach ($d in @($v.Devices)) { if ($d) { New-DdaVmDeviceObject -Vm $v -Device $d -Uri $uriValue } })
                ProcessId               = $v.Pid
                VfioGroups              = @($v.VfioGroups)
                Uri                     = $uriValue
                ComputerName            = [Environment]::MachineName
            }
        }
    }
}
