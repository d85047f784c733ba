# SPDX-License-Identifier: MIT

function ConvertTo-DdaCamelCaseTree {
    # The module's objects carry the engine's JSON names in PascalCase (ConvertTo-DdaObject
    # upper-cases the first letter); the engine reads its own camelCase names back.
    param($Value, [int] $Depth = 0)
    if ($null -eq $Value -or $Depth -gt 16) { return $Value }
    if ($Value -is [string] -or $Value -is [ValueType]) { return $Value }
    if ($Value -is [System.Collections.IDictionary]) {
        $o = [ordered]@{}
        foreach ($k in $Value.Keys) { $o[[string] $k] = ConvertTo-DdaCamelCaseTree $Value[$k] ($Depth + 1) }
        return $o
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        return , @(foreach ($v in $Value) { ConvertTo-DdaCamelCaseTree $v ($Depth + 1) })
    }
    $o = [ordered]@{}
    foreach ($p in $Value.PSObject.Properties) {
        if ($p.MemberType -notin 'NoteProperty', 'Property') { continue }
        if ($p.Name -in 'ComputerName', 'Root', 'PSComputerName', 'RunspaceId', 'PSShowComputerName') { continue }
        $name = if ($p.Name.Length -gt 0) { [char]::ToLowerInvariant($p.Name[0]) + $p.Name.Substring(1) } else { $p.Name }
        $o[$name] = ConvertTo-DdaCamelCaseTree $p.Value ($Depth + 1)
    }
    $o
}

function Export-DdaReport {
    <#
    .SYNOPSIS
        Writes the self-contained HTML report of one host or a fleet.

    .DESCRIPTION
        Export-DdaReport renders surveys as one HTML file that opens offline (inline styles,
        script and SVG; it fetches nothing): host readiness, the PCIe topology with IOMMU groups
        drawn as enclosures and every function coloured by its verdict, a sortable device table,
        the MMIO settings, and, for several hosts, a fleet overview (one row per host) with a
        matrix of device models across hosts.

        Input from the pipeline:
          DdaBridge.RemoteSurvey   from Invoke-DdaSurvey (one host each)
          DdaBridge.DeviceReport   from Test-DdaDevice (grouped by ComputerName / Root; the
                                   host checks come from Test-DdaHost for this machine or an image)
          DdaBridge.Host           from Test-DdaHost (the host part of a report)
        Without input the report is of this machine, or of -Root.

    .PARAMETER Path
        The HTML file to write.

    .PARAMETER InputObject
        Surveys, device reports or hosts (pipeline).

    .PARAMETER Root
        Report on this host image (directory or .tar.gz) when nothing is piped.

    .PARAMETER Force
        Overwrite an existing file.

    .OUTPUTS
        System.IO.FileInfo

    .EXAMPLE
        Invoke-DdaSurvey -ComputerName hv01, hv02, hv03 | Export-DdaReport -Path ./fleet.html

        One fleet report of three Hyper-V hosts.

    .EXAMPLE
        Test-DdaDevice | Export-DdaReport -Path ./this-host.html

        The report of this machine.

    .EXAMPLE
        Export-DdaReport -Path ./server1.html -Root ./server1.tar.gz

        The report of a captured host (Export-DdaHostImage).

    .LINK
        Invoke-DdaSurvey
    .LINK
        Test-DdaDevice
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string] $Path,

        [Parameter(ValueFromPipeline)]
        [object] $InputObject,

        # By property name too: a piped device's or host's Root is the image it was read from (see
        # Resolve-DdaInputRoot); the command-line value is checked in begin.
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        [switch] $Force
    )

    begin {
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
        $output = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
        # host key -> @{ Name; Root; Survey (raw JSON text) | Host; Devices }
        $hosts = [ordered]@{}
        $sawInput = $false
        function Get-HostEntry([string] $key, [string] $name, [string] $root) {
            if (-not $hosts.Contains($key)) {
                $hosts[$key] = @{ Name = $name; Root = $root; Survey = $null; Host = $null; Devices = [System.Collections.Generic.List[object]]::new() }
            }
            $hosts[$key]
        }
    }

    process {
        if ($null -eq $InputObject) { return }
        $sawInput = $true
        $selection.SawInput = $true
        $o = $InputObject
        $types = $o.PSObject.TypeNames
        if ($o.PSObject.Properties['SurveyJson'] -and $o.SurveyJson) {
            $entry = Get-HostEntry ('remote:' + $o.PSComputerName) $o.PSComputerName $null
            $entry.Survey = [string] $o.SurveyJson
        } elseif ($types -contains 'DdaBridge.DeviceReport' -or ($o.PSObject.Properties['Verdict'] -and $o.PSObject.Properties['Address'])) {
            # ($image, not $root: PowerShell names are case-blind, and the [string] $Root would turn $null into '')
            $image = Resolve-DdaInputRoot -Cmdlet $PSCmdlet -Selection $selection -Root $Root -InputObject $o -Piped $true
            if ($null -eq $image) { return }
            $name = if ($o.PSObject.Properties['ComputerName'] -and $o.ComputerName) { [string] $o.ComputerName } else { [Environment]::MachineName }
            (Get-HostEntry "$name|$image" $name $image).Devices.Add($o)
        } elseif ($types -contains 'DdaBridge.Host') {
            # ($image, not $root: PowerShell names are case-blind, and the [string] $Root would turn $null into '')
            $image = Resolve-DdaInputRoot -Cmdlet $PSCmdlet -Selection $selection -Root $Root -InputObject $o -Piped $true
            if ($null -eq $image) { return }
            $name = if ($o.ComputerName) { [string] $o.ComputerName } else { [Environment]::MachineName }
            (Get-HostEntry "$name|$image" $name $image).Host = $o
        } else {
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.ArgumentException]::new("Export-DdaReport takes Invoke-DdaSurvey, Test-DdaDevice or Test-DdaHost output, not $($types[0])."),
                    'UnsupportedReportInput', [System.Management.Automation.ErrorCategory]::InvalidArgument, $o))
        }
    }

    end {
        if ((Test-Path -LiteralPath $output) -and -not $Force) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    [System.IO.IOException]::new("'$output' exists; use -Force to overwrite it."),
                    'FileExists', [System.Management.Automation.ErrorCategory]::ResourceExists, $output))
        }
        if ($sawInput -and $hosts.Count -eq 0) { return }
        if (Test-DdaEmptyPipeline $selection) { return }   # piped nothing: no report (not one of this host)
        if (-not $PSCmdlet.ShouldProcess($output, 'Write HTML report')) { return }
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ('ddabridge-report-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        try {
            $inputs = [System.Collections.Generic.List[string]]::new()
            $i = 0
            foreach ($entry in $hosts.Values) {
                $i++
                # An image's survey is named by its file, as `ddabridge report IMAGE` names it.
                $stem = if ($entry.Root) { ([System.IO.Path]::GetFileName($entry.Root.TrimEnd('/', '\')) -replace '\.(tar\.gz|tgz|windows\.json)$', '') } else { 'host' }
                $file = Join-Path $work ('{0:d3}' -f $i) | Join-Path -ChildPath "$stem.survey.json"
                $null = New-Item -ItemType Directory -Path (Split-Path -Parent $file) -Force
                if ($entry.Survey) {
                    # The engine's own envelope, plus the name remoting knows the host by.
                    $doc = $entry.Survey | ConvertFrom-Json -Depth 64 -AsHashtable
                    $doc['computerName'] = $entry.Name
                } else {
                    $hostInfo = $entry.Host
                    if ($null -eq $hostInfo -and ($entry.Root -or $entry.Name -eq [Environment]::MachineName)) {
                        $hostArgs = @{}
                        if ($entry.Root) { $hostArgs.Root = $entry.Root }
                        $hostInfo = Test-DdaHost @hostArgs
                    }
                    $hostDoc = if ($hostInfo) { ConvertTo-DdaCamelCaseTree $hostInfo } else { [ordered]@{ hostname = $entry.Name; checks = @() } }
                    foreach ($extra in 'iovSupport', 'iovSupportReasons') { if ($hostDoc.Contains($extra)) { $hostDoc.Remove($extra) } }
                    if ($entry.Root) { $hostDoc['source'] = $entry.Root }
                    $doc = [ordered]@{}
                    if (-not $entry.Root) { $doc.computerName = $entry.Name }
                    $doc.host = $hostDoc
                    $doc.devices = @($entry.Devices | ForEach-Object { ConvertTo-DdaCamelCaseTree $_ })
                }
                [System.IO.File]::WriteAllText($file, ($doc | ConvertTo-Json -Depth 64 -Compress), [System.Text.UTF8Encoding]::new($false))
                $inputs.Add($file)
            }
            $request = [ordered]@{ output = $output }
            if ($inputs.Count -gt 0) { $request.input = [string[]] $inputs }
            elseif ($selection.CommandLineRoot) { $request.root = (Resolve-Path -LiteralPath $selection.CommandLineRoot -ErrorAction Stop).ProviderPath }
            $result = Invoke-DdaEngine -Command report -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
            if ($null -eq $result) { return }
            Get-Item -LiteralPath $output
        } finally {
            Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
