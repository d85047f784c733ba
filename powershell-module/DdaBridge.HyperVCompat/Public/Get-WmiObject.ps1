# SPDX-License-Identifier: MIT

function Get-WmiObject {
    <#
    .SYNOPSIS
        Gets the WMI instances Hyper-V readiness scripts read (Win32_PnPAllocatedResource,
        Win32_IRQResource, Win32_DeviceMemoryAddress, Win32_PnPEntity), for this Linux host.

    .DESCRIPTION
        Windows PowerShell's Get-WmiObject (alias gwmi) for the classes Microsoft's SurveyDDA.ps1
        uses, built from the DdaBridge engine's facts: a device's allocated resources are its
        interrupts (message-signalled vectors numbered from 4294967294 downwards, as Windows numbers
        them; an INTx-only device its line number) and its memory BARs. Instances have the WMI
        system properties (__RELPATH, __PATH, __CLASS, ...); Win32_PnPAllocatedResource's
        Antecedent and Dependent are object paths, e.g.
        \\HOST\root\cimv2:Win32_IRQResource.IRQNumber=4294967294 and
        \\HOST\root\cimv2:Win32_PnPEntity.DeviceID="PCI\\VEN_...". -Query takes WQL
        (SELECT * | props FROM class [WHERE prop op value [AND ...]]); anything else, or another
        class, is an InvalidQuery / InvalidClass error.

    .PARAMETER Class
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
        gwmi -query "select * from Win32_PnPAllocatedResource" | Where-Object { $_.__RELPATH -like "*Win32_IRQResource*" }

        Every allocated interrupt, as SurveyDDA.ps1 lists them.

    .EXAMPLE
        Get-WmiObject -Query "SELECT * FROM Win32_DeviceMemoryAddress WHERE StartingAddress = 4257218560"

        One memory range by its start.

    .EXAMPLE
        Get-WmiObject -Class Win32_IRQResource -Filter 'IRQNumber >= 4294967040' -Root ./host.tar.gz

        The message-signalled interrupts of a captured host image.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Class', PositionalBinding = $false)]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Class')]
        [Alias('ClassName')]
        [string] $Class,
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
    Invoke-WmiCompatQuery -Cmdlet $PSCmdlet -Class $Class -Query $Query -Filter $Filter -Property $Property -Namespace $Namespace -Root $image
}
