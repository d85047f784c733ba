# SPDX-License-Identifier: MIT

function Get-VMHost {
    <#
    .SYNOPSIS
        Gets this Linux host in the shape of Hyper-V's Get-VMHost: IovSupport and
        IovSupportReasons from DdaBridge's host checks, and the properties Linux has a true value for.

    .DESCRIPTION
        IovSupport is $false exactly when a host check that device assignment here requires fails
        (the engine's vmhost answer: IommuPresent, IommuEnabled, InterruptRemapping on Linux, the
        checks Test-DdaHost shows); IovSupportReasons then lists them with their messages, one
        string each. A check that is only a warning or unknown (no evidence) does not make it $false.
        ComputerName and Name are the host's name, LogicalProcessorCount the processors of
        /proc/cpuinfo, MemoryCapacity /proc/meminfo's MemTotal in bytes ($null when the image holds
        no meminfo). FailedChecks names the failing checks (DdaBridge extension).

    .PARAMETER Root
        Read a host image instead of the live machine (DdaBridge extension; also
        $env:DDABRIDGE_COMPAT_ROOT). An empty or blank value is refused.

    .EXAMPLE
        if ((Get-VMHost).IovSupport -eq $false) { (Get-VMHost).IovSupportReasons }

        Why this machine cannot give devices to VMs, as Microsoft's SurveyDDA.ps1 asks.

    .EXAMPLE
        Get-VMHost -Root ./host.tar.gz | Format-List ComputerName, LogicalProcessorCount, IovSupport, FailedChecks

        A captured host image's answer.

    .EXAMPLE
        $env:DDABRIDGE_COMPAT_ROOT = './host.tar.gz'; ./SurveyDDA.ps1

        Microsoft's survey script, unchanged, against a host image.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.VMHost')]
    param(
        [ValidateScript({ Assert-PnpCompatRoot $_ })]
        [string] $Root
    )
    $image = Get-PnpCompatImage -BoundParameters $PSBoundParameters -Root $Root -InputObject $null
    $request = @{ Command = 'vmhost'; Cmdlet = $PSCmdlet }
    if ($image) { $request.Root = $image }
    foreach ($h in @(DdaBridge\Invoke-DdaEngineRequest @request)) {
        if ($null -eq $h) { continue }
        [pscustomobject]@{
            PSTypeName            = 'DdaBridge.VMHost'
            ComputerName          = $h.ComputerName
            Name                  = $h.ComputerName
            LogicalProcessorCount = $(if ($null -ne $h.LogicalProcessorCount) { [int] $h.LogicalProcessorCount })
            MemoryCapacity        = $(if ($null -ne $h.MemoryCapacity) { [long] $h.MemoryCapacity })
            IovSupport            = [bool] $h.IovSupport
            IovSupportReasons     = [string[]] @($h.IovSupportReasons)
            FailedChecks          = [string[]] @($h.FailedChecks)
        }
    }
}
