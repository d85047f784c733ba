# SPDX-License-Identifier: MIT

function Get-DdaIommuGroup {
    <#
    .SYNOPSIS
        Gets the IOMMU groups of this host (or a host image): members, prediction, viability.

    .DESCRIPTION
        An IOMMU group is the smallest set of PCI functions that can be given to a VM: VFIO
        assigns whole groups. Get-DdaIommuGroup returns DdaBridge.IommuGroup objects:
          Group              the group number ($null for a group only predicted)
          Source             live (the kernel's groups) or predicted (no live groups: IOMMU off)
          Members            DdaBridge.IommuGroupMember: Address, LocationPath, InstanceId,
                             ClassName, DeviceName, Driver, IsBridge, Verdict
          PredictedMembers   the group the engine's checker predicts from the PCI topology (ACS)
          MatchesPrediction  $true when the kernel formed the group the checker predicted
          Viable             $true when VFIO would accept the group now: every endpoint is on
                             vfio-pci or pci-stub or has no driver (ports and bridges are tolerated)
          HostDrivers        the endpoints still on host drivers ("address (driver)")
          Assignable         every endpoint's verdict is Assignable

        It only reads.

    .PARAMETER Number
        Only these group numbers.

    .PARAMETER Address
        Only the groups that hold these PCI addresses.

    .PARAMETER LocationPath
        Only the groups that hold the devices with these location paths.

    .PARAMETER InstanceId
        Only the groups that hold the devices with these instance ids.

    .PARAMETER Root
        Read a host image instead of the live machine.

    .INPUTS
        DdaBridge.Device (or any object with Address / LocationPath / InstanceId).

    .OUTPUTS
        DdaBridge.IommuGroup

    .EXAMPLE
        Get-DdaIommuGroup

        Lists every IOMMU group with its members.

    .EXAMPLE
        Get-DdaDevice -Class 0108 | Get-DdaIommuGroup | Format-List

        Shows the groups of the NVMe controllers, what else is in them and whether VFIO would take them.

    .EXAMPLE
        Get-DdaIommuGroup | Where-Object MatchesPrediction -eq $false

        Finds groups the kernel formed differently from the checker's prediction (a quirk or a bug worth reporting).

    .EXAMPLE
        Get-DdaIommuGroup -Number 15 -Root ./server1.tar.gz | Select-Object -ExpandProperty Members

        Lists the members of group 15 of a captured host.

    .LINK
        Test-DdaDevice
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.IommuGroup')]
    param(
        [Parameter(Position = 0)]
        [Alias('Group', 'IommuGroup')]
        [int[]] $Number,

        [Parameter(ValueFromPipelineByPropertyName)]
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
        if ($selection.SawInput -and $selection.Lookups.Count -eq 0) { return }
        $byRoot = Get-DdaSelectionByRoot $selection
        foreach ($rootPath in $byRoot.Keys) {
            $request = [ordered]@{}
            if ($rootPath) { $request.root = $rootPath }
            if ($Number) { $request.group = [string[]] @($Number | ForEach-Object { [string] $_ }) }
            Add-DdaLookupArgument -Request $request -Lookups $byRoot[$rootPath]
            $groups = Invoke-DdaEngine -Command groups -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
            ConvertTo-DdaObject -InputObject $groups -TypeName $script:DdaTypeName.IommuGroup `
                -ComputerName $(if ($rootPath) { $null } else { [Environment]::MachineName }) -Root $rootPath
        }
    }
}

Register-DdaDeviceCompleter -CommandName Get-DdaIommuGroup
