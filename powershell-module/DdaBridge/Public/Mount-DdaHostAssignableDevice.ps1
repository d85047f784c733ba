# SPDX-License-Identifier: MIT

function Mount-DdaHostAssignableDevice {
    <#
    .SYNOPSIS
        Gives pooled PCI devices back to the host (their original drivers).

    .DESCRIPTION
        The Linux counterpart of Hyper-V's Mount-VMHostAssignableDevice. For the held functions of
        each device's IOMMU group the engine clears driver_override, unbinds vfio-pci and lets the
        original driver (from its journal) bind again. A device that was disabled before it was
        dismounted (Disable-DdaDevice, or Disable-PnpDevice of DdaBridge.HyperVCompat) comes back
        disabled, as on Hyper-V: enable it afterwards.

        Every device is one engine request, sent once (state changes are never retried): a
        device the engine refuses or cannot find gives a non-terminating error (ErrorId
        Refused / DeviceNotFound / Busy / IoFailure, with the engine's details in
        $error[0].Exception.Data['Details']) and the next device is still processed. Several
        devices show progress. -WhatIf prints the engine's own plan (the exact sysfs steps, in
        order) and changes nothing; the confirmation prompt shows the same plan.

        On a live host the engine refuses to write /sys unless DDABRIDGE_ALLOW_LIVE_MUTATION=1 is
        set (or the kernel command line has the QEMU test guest's marker). With -Root the steps
        run against a fake sysfs tree (a simulated kernel), for trying things out and for tests.

    .PARAMETER Address
        PCI address(es), e.g. 0000:01:00.0.

    .PARAMETER LocationPath
        Windows location path(s), e.g. PCIROOT(0)#PCI(0200)#PCI(0000), as Hyper-V takes them.

    .PARAMETER InstanceId
        PnP instance id(s).

    .PARAMETER Force
        Do not ask for confirmation.

    .PARAMETER Root
        A host image directory (fake sysfs tree) to change instead of the live machine.

    .PARAMETER PassThru
        Accepted for symmetry with Hyper-V; the operation result is always returned.

    .INPUTS
        DdaBridge.Device, DdaBridge.DeviceReport, DdaBridge.AssignableDevice (by property name).

    .OUTPUTS
        DdaBridge.Operation (Operation, Kind, Status, Devices, Steps, DurationMs)

    .EXAMPLE
        Get-DdaHostAssignableDevice | Mount-DdaHostAssignableDevice

        Gives every pooled device back to the host.

    .EXAMPLE
        Mount-DdaHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf

        Shows the engine's plan only.

    .EXAMPLE
        Mount-DdaHostAssignableDevice 0000:01:00.0 -Force

        Mounts one device without a prompt.

    .LINK
        about_DdaBridge
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', PositionalBinding = $false)]
    [OutputType('DdaBridge.Operation')]
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

        [switch] $Force,

        [Parameter(ValueFromPipelineByPropertyName)]
        [AllowNull()] [AllowEmptyString()]
        [string] $Root,

        [switch] $PassThru,

        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $commandLine = @($PSBoundParameters.Keys | Where-Object { $_ -in $script:DdaIdentityKeys })
        $lookups = [System.Collections.Generic.List[object]]::new()
        $roots = [System.Collections.Generic.List[string]]::new()
    }

    process {
        $values = @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId }
        $found = Get-DdaIdentity -CommandLineKeys $commandLine -Values $values -InputObject $InputObject
        if ($PSBoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject -and $found.Count -eq 0 -and $commandLine.Count -eq 0) {
            $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $InputObject `
                        -Message "The input object has no Address, LocationPath or InstanceId property: $InputObject"))
            return
        }
        foreach ($l in $found) {
            # Once per device, whatever the pipeline repeats (a command-line identity binds once).
            if (-not ($lookups | Where-Object { $_[0] -eq $l[0] -and $_[1] -eq $l[1] })) { $lookups.Add($l); $roots.Add($Root) }
        }
    }

    end {
        if ($lookups.Count -eq 0) {
            $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $null `
                        -Message 'Mount-DdaHostAssignableDevice needs a device: -Address, -LocationPath, -InstanceId or pipeline input.'))
            return
        }
        # Devices are grouped by host image so that progress counts every device once.
        $byRoot = [ordered]@{}
        for ($i = 0; $i -lt $lookups.Count; $i++) {
            $key = [string] $roots[$i]
            if (-not $byRoot.Contains($key)) { $byRoot[$key] = [System.Collections.Generic.List[object]]::new() }
            $byRoot[$key].Add($lookups[$i])
        }
        foreach ($key in $byRoot.Keys) {
            $rootPath = Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $key
            $base = [ordered]@{}
            if ($rootPath) { $base.root = $rootPath }
            Invoke-DdaStateChange -Cmdlet $PSCmdlet -Command mount -Action 'Mount' -Lookups $byRoot[$key] -BaseArguments $base `
                -Force:$Force -Root $rootPath -WhatIfActive $WhatIfPreference -ConfirmPreferenceValue $ConfirmPreference `
                -Impact High -ConfirmSwitch $(if ($PSBoundParameters.ContainsKey('Confirm')) { [bool] $PSBoundParameters['Confirm'] } else { $null })
        }
    }
}

foreach ($ddaCompletedParameter in 'Address', 'LocationPath', 'InstanceId') {
    Register-ArgumentCompleter -CommandName Mount-DdaHostAssignableDevice -ParameterName $ddaCompletedParameter -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        Complete-DdaDeviceArgument -Property $parameterName -WordToComplete $wordToComplete -BoundParameters $fakeBoundParameters
    }
}
Remove-Variable -Name ddaCompletedParameter
