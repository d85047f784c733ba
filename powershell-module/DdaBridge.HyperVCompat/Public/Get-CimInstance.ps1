# SPDX-License-Identifier: MIT

function Get-CimInstance {
    <#
    .SYNOPSIS
        Gets the CIM instances Hyper-V readiness scripts read (Win32_PnPAllocatedResource,
        Win32_IRQResource, Win32_DeviceMemoryAddress, Win32_PnPEntity), for this Linux host.

    .DESCRIPTION
        PowerShell's Get-CimInstance (alias gcim) for the classes Microsoft's SurveyDDA.ps1
        uses, built from the DdaBridge engine's facts: a device's allocated resources are its
        interrupts (message-signalled vectors numbered from 4294967294 downwards, as Windows numbers
        them; an INTx-only device its line number) and its memory BARs. As CIM gives them,
        Win32_PnPAllocatedResource's Antecedent and Dependent are the associated instances' keys
        (Antecedent.IRQNumber or Antecedent.StartingAddress, Dependent.DeviceID) and there are no
        WMI system properties. -Query takes WQL (SELECT * | props FROM class [WHERE prop op value
        [AND ...]]); anything else, or another class, is an InvalidQuery / InvalidClass error.

    .PARAMETER ClassName
        The class.

    .PARAMETER Query
        A WQL query.

    .PARAMETER Filter
        A WQL WHERE clause for -Class.

    .PARAMETER Property
        Only these properties (and the system properties).

    .PARAMETER Namespace
        root\cimv2 (the only namespace here).

    .PARAMETER Root
        Read a host image instead of the live machine (DdaBridge extension; also
        $env:DDABRIDGE_COMPAT_ROOT). An empty or blank value is refused.

    .EXAMPLE
        Get-CimInstance -ClassName Win32_PnPAllocatedResource | Where-Object { $_.Antecedent.IRQNumber -ge 4294967040 }

        The message-signalled interrupts (CIM gives Antecedent and Dependent as key objects).

    .EXAMPLE
        Get-CimInstance -Query "SELECT * FROM Win32_DeviceMemoryAddress WHERE StartingAddress = 4257218560"

        One memory range by its start.

    .EXAMPLE
        Get-CimInstance -ClassName Win32_DeviceMemoryAddress -Property StartingAddress, EndingAddress

        Every device memory range of this host.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Class', PositionalBinding = $false)]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Class')]
        [Alias('Class')]
        [string] $ClassName,
        [Parameter(Position = 1, ParameterSetName = 'Class')]
        [string[]] $Property,
        [Parameter(ParameterSetName = 'Class')]
        [string] $Filter,
        [Parameter(Mandatory, ParameterSetName = 'Query')]
        [string] $Query,
        [string] $Namespace,
        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    $image = Get-PnpCompatImage -BoundParameters $PSBoundParameters -Root $Root -InputObject $null
    Invoke-WmiCompatQuery -Cmdlet $PSCmdlet -Class $ClassName -Query $Query -Filter $Filter -Property $Property -Namespace $Namespace -Root $image -Cim
}
