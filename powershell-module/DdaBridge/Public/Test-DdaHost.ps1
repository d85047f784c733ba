# SPDX-License-Identifier: MIT

function Test-DdaHost {
    <#
    .SYNOPSIS
        Tests whether this machine (or a host image) can pass PCIe devices through to VMs.

    .DESCRIPTION
        Test-DdaHost runs the engine's host checks (the "host" part of the survey): IOMMU present
        and enabled, interrupt remapping, VFIO available, nested virtualization, IOMMU mode. It
        returns one DdaBridge.Host object whose IovSupport is $true when no check failed and
        whose IovSupportReasons lists why not, like (Get-VMHost).IovSupport and
        IovSupportReasons on Hyper-V. The individual checks are in its Checks property
        (DdaBridge.HostCheck: Id, Status pass/warn/fail/unknown, Message, Evidence, Remediation).

        It only reads.

    .PARAMETER Root
        Test this host image instead of the live machine: a directory treated as / or a .tar.gz
        capture (Export-DdaHostImage). An empty or blank value is refused. Without -Root, a piped
        object's Root property names the image (empty for this host).

    .PARAMETER Quiet
        Return only $true or $false (IovSupport).

    .OUTPUTS
        DdaBridge.Host, or System.Boolean with -Quiet.

    .EXAMPLE
        Test-DdaHost

        Shows whether this host supports device assignment and why not.

    .EXAMPLE
        (Test-DdaHost).Checks | Where-Object Status -ne pass | Format-List

        Lists the checks that did not pass, with their evidence and remediation.

    .EXAMPLE
        Test-DdaHost -Root ./captures/server1.tar.gz -Quiet

        $true when the captured server supports device assignment.

    .LINK
        Test-DdaDevice
    .LINK
        about_DdaBridge
    #>
    [CmdletBinding()]
    [OutputType('DdaBridge.Host', [bool])]
    param(
        # By property name: a piped object's Root is the host image it was read from (empty for
        # this host). The command-line value is checked in begin (an empty -Root is refused).
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [switch] $Quiet,

        # Receives piped objects: each distinct host image among them is tested once.
        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        $piped = $PSBoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject
        if ($piped) {
            $selection.SawInput = $true
            if (-not $selection.HasCommandLineRoot -and -not $InputObject.PSObject.Properties['Root']) {
                $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'InputObjectNotBound' -Category InvalidArgument -TargetObject $InputObject `
                            -Message "The input object has no Root property: $InputObject"))
                return
            }
        }
        $image = Resolve-DdaInputRoot -Cmdlet $PSCmdlet -Selection $selection -Root $Root -InputObject $InputObject -Piped $piped
        if ($null -ne $image -and -not $selection.SeenRoots.Contains($image)) { $selection.SeenRoots.Add($image) }
    }

    end {
        foreach ($rootPath in $selection.SeenRoots) {
            $request = [ordered]@{}
            if ($rootPath) { $request.root = $rootPath }
            $survey = Invoke-DdaEngine -Command survey -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
            if ($null -eq $survey) { continue }
            $hostInfo = ConvertTo-DdaObject -InputObject $survey.Host -TypeName $script:DdaTypeName.Host `
                -ComputerName $(if ($rootPath) { $null } else { [Environment]::MachineName }) -Root $rootPath
            $failed = @($hostInfo.Checks | Where-Object { $_.Status -eq 'fail' })
            $hostInfo | Add-Member -NotePropertyName IovSupport -NotePropertyValue ($failed.Count -eq 0) -Force
            # A list that Export-Csv writes joined (see DdaBridgeList).
            $hostInfo | Add-Member -NotePropertyName IovSupportReasons -NotePropertyValue ([DdaBridgeList]::Of(@($failed | ForEach-Object Message))) -Force
            if ($Quiet) { $hostInfo.IovSupport } else { $hostInfo }
        }
    }
}
