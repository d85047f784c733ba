# SPDX-License-Identifier: MIT

function Test-DdaDevice {
    <#
    .SYNOPSIS
        Tells, per PCI device, whether it can be assigned to a VM, and why.

    .DESCRIPTION
        Test-DdaDevice asks the engine's checker about each device and returns a
        DdaBridge.DeviceReport: every property of a DdaBridge.Device plus
          Verdict              Assignable, AssignableWithWarnings, NotAssignable, ...
          Reasons              DdaBridge.Reason objects (Code, Severity, Message, Evidence,
                               Remediation), in the order of Microsoft's SurveyDDA.ps1 checks
          PredictedIommuGroup  the IOMMU group the PCI topology implies (addresses)
          MustMoveWith         functions that must be assigned to the same VM
          Mmio                 MMIO the device's BARs need (BelowFourGiB, AboveFourGiB, bytes)
        Without an identity every device is tested. Devices piped from Get-DdaDevice (or any
        object with Address, LocationPath or InstanceId) are tested together in one engine
        request; a device that does not exist gives a non-terminating DeviceNotFound error.

        It only reads.

    .PARAMETER Address
        PCI address(es), e.g. 0000:01:00.0 (or 01:00.0).

    .PARAMETER LocationPath
        Windows location path(s), e.g. PCIROOT(0)#PCI(0200)#PCI(0000).

    .PARAMETER InstanceId
        PnP instance id(s).

    .PARAMETER Root
        Test a host image instead of the live machine.

    .PARAMETER Target
        Whose rules the Verdict follows: Vfio (Linux KVM/QEMU) or HyperV (Windows DDA). Default: the
        hypervisor the host runs (Linux hosts and images: Vfio; Windows: HyperV). Each report also
        carries both targets' device-only verdicts (Targets).

    .INPUTS
        DdaBridge.Device, or any object with Address, LocationPath or InstanceId; strings (addresses).

    .OUTPUTS
        DdaBridge.DeviceReport

    .EXAMPLE
        Test-DdaDevice

        Tests every PCI function of this host.

    .EXAMPLE
        Get-DdaDevice -Class 0108 | Test-DdaDevice | Format-List Address, Verdict, Reasons

        Tests the NVMe controllers and shows why each is or is not assignable.

    .EXAMPLE
        Get-DdaDevice | Test-DdaDevice | Where-Object Verdict -eq Assignable | Dismount-DdaHostAssignableDevice -WhatIf

        Shows what the engine would do to put every assignable device into the pool.

    .EXAMPLE
        Test-DdaDevice -LocationPath 'PCIROOT(0)#PCI(0600)#PCI(0000)#PCI(0100)' -Root ./server1.tar.gz | Select-Object -ExpandProperty Reasons

        Explains the verdict for one device of a captured host.

    .LINK
        Get-DdaDevice
    .LINK
        Get-DdaMmioRequirement
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.DeviceReport')]
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

        [ValidateSet('Vfio', 'HyperV')]
        [string] $Target,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        Add-DdaSelection -Cmdlet $PSCmdlet -Selection $selection -BoundParameters $PSBoundParameters -Root $Root `
            -Values @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId } -InputObject $InputObject
    }

    end {
        if (Test-DdaEmptyPipeline $selection) { return }
        if ($selection.SawInput -and $selection.Lookups.Count -eq 0) { return }
        $byRoot = Get-DdaSelectionByRoot $selection
        $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        # One survey per host image the devices came from (this host: '').
        foreach ($rootPath in $byRoot.Keys) {
            $lookups = $byRoot[$rootPath]
            $computerName = if ($rootPath) { $null } else { [Environment]::MachineName }
            $base = [ordered]@{}
            if ($rootPath) { $base.root = $rootPath }
            if ($Target) { $base.target = $Target.ToLowerInvariant() }

            # All devices in one request (the checker looks at the whole host anyway); if one of
            # them does not exist, ask per device so that each missing one is its own error.
            $request = [ordered]@{}
            foreach ($k in $base.Keys) { $request[$k] = $base[$k] }
            Add-DdaLookupArgument -Request $request -Lookups $lookups
            $surveys = @()
            try {
                # No -Cmdlet: a terminating error of Invoke-DdaEngine's own is catchable here.
                $surveys = @(Invoke-DdaEngine -Command survey -Arguments $request -ErrorMode Throw)
            } catch {
                if ($lookups.Count -gt 1 -and $_.FullyQualifiedErrorId -like 'DeviceNotFound*') {
                    foreach ($l in $lookups) {
                        $one = [ordered]@{}
                        foreach ($k in $base.Keys) { $one[$k] = $base[$k] }
                        $one[(ConvertTo-DdaRequestKey $l[0])] = $l[1]
                        $s = Invoke-DdaEngine -Command survey -Arguments $one -Cmdlet $PSCmdlet -ErrorMode Write
                        if ($null -ne $s) { $surveys += $s }
                    }
                } else {
                    $PSCmdlet.WriteError((Copy-DdaErrorRecord $_))
                }
            }
            foreach ($s in $surveys) {
                foreach ($device in (ConvertTo-DdaObject -InputObject $s.Devices -TypeName $script:DdaTypeName.DeviceReport -ComputerName $computerName -Root $rootPath)) {
                    if ($seen.Add("$rootPath`0$($device.Address)")) { $device }
                }
            }
        }
    }
}

Register-DdaDeviceCompleter -CommandName Test-DdaDevice
