# SPDX-License-Identifier: MIT

# Runs on each remote host (PowerShell remoting). It finds the engine the way an administrator
# would run it there: the `ddabridge` command on PATH, else the installed DdaBridge module's
# dist layout (<module>/../ddabridge[.cmd]), and returns the `survey --json` envelope as text,
# so the survey crosses the wire as the engine wrote it (no remoting serialisation of objects).
$script:DdaRemoteSurveyScript = {
    param([string] $Root)
    $candidates = [System.Collections.Generic.List[string]]::new()
    foreach ($c in @(Get-Command -Name ddabridge -CommandType Application -ErrorAction SilentlyContinue)) {
        $candidates.Add($c.Source)
    }
    foreach ($m in @(Get-Module -ListAvailable -Name DdaBridge -ErrorAction SilentlyContinue)) {
        foreach ($name in 'ddabridge', 'ddabridge.cmd') {
            $p = Join-Path (Split-Path -Parent $m.ModuleBase) $name
            if (Test-Path -LiteralPath $p -PathType Leaf) { $candidates.Add($p) }
        }
    }
    $hostname = [System.Net.Dns]::GetHostName()
    if ($candidates.Count -eq 0) {
        return [pscustomobject]@{ Found = $false; Hostname = $hostname; Json = $null; ExitCode = $null; Engine = $null }
    }
    $arguments = @('survey', '--json')
    if ($Root) { $arguments += @('--root', $Root) }
    $json = (& $candidates[0] @arguments 2>$null) -join "`n"
    [pscustomobject]@{ Found = $true; Hostname = $hostname; Json = $json; ExitCode = $LASTEXITCODE; Engine = $candidates[0] }
}

function Invoke-DdaSurvey {
    <#
    .SYNOPSIS
        Surveys many hosts at once through PowerShell remoting (WinRM or SSH).

    .DESCRIPTION
        Invoke-DdaSurvey runs the DdaBridge survey (`ddabridge survey --json`: host checks and a
        pass-through verdict for every PCI function) on each host with Invoke-Command, in
        parallel up to -ThrottleLimit, and returns one DdaBridge.RemoteSurvey object per host:
          PSComputerName  the host as remoting names it
          Hostname        the host's own name
          Platform        linux or windows
          IovSupport      $true when no host check failed
          Checks          the host checks (Id, Status, Message, Evidence, Remediation)
          Devices         the functions with Verdict, Reasons, IommuGroup, Mmio, ...
          Summary         count per verdict
          SurveyJson      the survey as the engine wrote it (what Export-DdaReport renders)
        A host that cannot be reached, has no DdaBridge installed, or whose engine fails gives
        a non-terminating error for that host (TargetObject: the computer name); the other
        hosts' surveys still come out.

        -ComputerName uses WinRM, -HostName uses SSH (the remote sshd needs PowerShell's SSH
        subsystem: `Subsystem powershell /path/to/pwsh -sshs -NoLogo`), -Session reuses open
        PSSessions of either kind. It only reads.

    .PARAMETER ComputerName
        Hosts to reach over WinRM.

    .PARAMETER HostName
        Hosts to reach over SSH ([user@]host).

    .PARAMETER Session
        Open PSSessions (New-PSSession, WinRM or SSH).

    .PARAMETER Credential
        Credential for WinRM.

    .PARAMETER UserName
        SSH user name.

    .PARAMETER KeyFilePath
        SSH private key file.

    .PARAMETER Port
        WinRM or SSH port.

    .PARAMETER Options
        SSH options (ssh -o), e.g. @{ StrictHostKeyChecking = 'no' }.

    .PARAMETER ThrottleLimit
        Hosts surveyed at the same time (default 32, Invoke-Command's). With -HostName the SSH
        sessions are opened first and then surveyed ThrottleLimit at a time.

    .PARAMETER Root
        Survey this host image on each remote host instead of the live host.

    .OUTPUTS
        DdaBridge.RemoteSurvey

    .EXAMPLE
        Invoke-DdaSurvey -ComputerName hv01, hv02, hv03 | Export-DdaReport -Path ./fleet.html

        Surveys three Hyper-V hosts over WinRM and writes one fleet report.

    .EXAMPLE
        Invoke-DdaSurvey -HostName root@kvm1, root@kvm2 -KeyFilePath ~/.ssh/id_ed25519 | Format-Table PSComputerName, IovSupport, Summary

        Surveys two Linux hosts over SSH.

    .EXAMPLE
        $s = New-PSSession -ComputerName (Get-ClusterNode).Name; Invoke-DdaSurvey -Session $s -ThrottleLimit 8

        Surveys every node of a failover cluster through open sessions.

    .LINK
        Export-DdaReport
    .LINK
        Test-DdaDevice
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    [OutputType('DdaBridge.RemoteSurvey')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ComputerName', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,

        [Parameter(Mandatory, ParameterSetName = 'HostName', ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string[]] $HostName,

        [Parameter(Mandatory, ParameterSetName = 'Session', ValueFromPipeline)]
        [ValidateNotNullOrEmpty()]
        [System.Management.Automation.Runspaces.PSSession[]] $Session,

        [Parameter(ParameterSetName = 'ComputerName')]
        [pscredential] $Credential,

        [Parameter(ParameterSetName = 'HostName')]
        [string] $UserName,

        [Parameter(ParameterSetName = 'HostName')]
        [string] $KeyFilePath,

        [Parameter(ParameterSetName = 'ComputerName')]
        [Parameter(ParameterSetName = 'HostName')]
        [ValidateRange(1, 65535)]
        [int] $Port,

        [Parameter(ParameterSetName = 'HostName')]
        [hashtable] $Options,

        [ValidateRange(1, 1024)]
        [int] $ThrottleLimit = 32,

        [ValidateScript({ Assert-DdaRootArgument $_ })]
        [string] $Root
    )

    begin {
        $targets = [System.Collections.Generic.List[object]]::new()
    }

    process {
        switch ($PSCmdlet.ParameterSetName) {
            'ComputerName' { foreach ($c in $ComputerName) { $targets.Add($c) } }
            'HostName' { foreach ($h in $HostName) { $targets.Add($h) } }
            'Session' { foreach ($s in $Session) { $targets.Add($s) } }
        }
    }

    end {
        if ($targets.Count -eq 0) { return }
        $connectErrors = $null
        $opened = @()
        $invoke = @{
            ScriptBlock   = $script:DdaRemoteSurveyScript
            ArgumentList  = @($Root)
            ThrottleLimit = $ThrottleLimit
            ErrorAction   = 'SilentlyContinue'
            ErrorVariable = 'remoteErrors'
        }
        switch ($PSCmdlet.ParameterSetName) {
            'ComputerName' {
                $invoke.ComputerName = [string[]] $targets
                if ($Credential) { $invoke.Credential = $Credential }
                if ($Port) { $invoke.Port = $Port }
            }
            'HostName' {
                # Invoke-Command has no -ThrottleLimit over SSH: open the sessions, then survey
                # through them, ThrottleLimit at a time; a host that cannot be reached is its own error.
                $connect = @{ HostName = [string[]] $targets; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'connectErrors' }
                if ($UserName) { $connect.UserName = $UserName }
                if ($KeyFilePath) { $connect.KeyFilePath = $KeyFilePath }
                if ($Port) { $connect.Port = $Port }
                if ($Options) { $connect.Options = $Options }
                $connectErrors = $null
                $opened = @(New-PSSession @connect)
                $invoke.Session = $opened
            }
            'Session' { $invoke.Session = [System.Management.Automation.Runspaces.PSSession[]] $targets }
        }
        $remoteErrors = $null
        $answers = @()
        try {
            if ($PSCmdlet.ParameterSetName -ne 'HostName' -or $opened.Count -gt 0) { $answers = @(Invoke-Command @invoke) }
        } finally {
            if ($PSCmdlet.ParameterSetName -eq 'HostName' -and $opened.Count -gt 0) { $opened | Remove-PSSession -ErrorAction SilentlyContinue }
        }
        foreach ($e in @($connectErrors) + @($remoteErrors)) {
            if ($null -eq $e) { continue }
            # Connection failures name the host in TargetObject or OriginInfo; keep it as this host's error.
            # (New-PSSession over SSH puts the failed runspace there, whose connection names the host.)
            $computer = if ($e.OriginInfo -and $e.OriginInfo.PSComputerName) { $e.OriginInfo.PSComputerName }
            elseif ($e.TargetObject -is [System.Management.Automation.Runspaces.Runspace] -and $e.TargetObject.ConnectionInfo) { $e.TargetObject.ConnectionInfo.ComputerName }
            elseif ($e.TargetObject) { [string] $e.TargetObject } else { $null }
            $message = "Cannot survey '$computer' through PowerShell remoting: $($e.Exception.Message)"
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.Management.Automation.Remoting.PSRemotingTransportException]::new($message, $e.Exception),
                    'RemoteSurveyFailed', [System.Management.Automation.ErrorCategory]::ConnectionError, $computer))
        }
        foreach ($a in $answers) {
            $computer = $a.PSComputerName
            if (-not $a.Found) {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.InvalidOperationException]::new("DdaBridge is not installed on '$computer': neither the ddabridge command nor the DdaBridge module (with its engine) was found there. Install DdaBridge on that host (dist/ of ./build.sh) and put ddabridge on PATH."),
                        'DdaBridgeNotInstalled', [System.Management.Automation.ErrorCategory]::NotInstalled, $computer))
                continue
            }
            $envelope = $null
            try { $envelope = $a.Json | ConvertFrom-Json -Depth 64 -ErrorAction Stop } catch { $envelope = $null }
            if ($null -eq $envelope -or -not $envelope.ok) {
                $id = if ($envelope -and $envelope.error) { [string] $envelope.error.id } else { 'EngineFailed' }
                $why = if ($envelope -and $envelope.error) { [string] $envelope.error.message } else { "exit code $($a.ExitCode), no JSON answer" }
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.InvalidOperationException]::new("The DdaBridge survey failed on '$computer' ($($a.Engine)): $why"),
                        "RemoteSurvey$id", [System.Management.Automation.ErrorCategory]::InvalidResult, $computer))
                continue
            }
            $survey = $envelope.result
            $failed = @($survey.host.checks | Where-Object { $_.status -eq 'fail' })
            $summary = [ordered]@{}
            foreach ($p in $survey.summary.PSObject.Properties) { $summary[$p.Name] = $p.Value }
            $o = [pscustomobject]@{
                PSTypeName     = 'DdaBridge.RemoteSurvey'
                PSComputerName = $computer
                Hostname       = $survey.host.hostname
                Platform       = $survey.host.platform
                IovSupport     = ($failed.Count -eq 0)
                Checks         = @($survey.host.checks)
                Devices        = @($survey.devices)
                Summary        = [pscustomobject] $summary
                SurveyJson     = $a.Json
            }
            # Shown by default: one line per host (the devices and the raw JSON stay one property away).
            $o.PSObject.Members.Add([System.Management.Automation.PSMemberSet]::new('PSStandardMembers',
                    [System.Management.Automation.PSMemberInfo[]] @([System.Management.Automation.PSPropertySet]::new(
                            'DefaultDisplayPropertySet', [string[]] @('PSComputerName', 'Hostname', 'Platform', 'IovSupport', 'Summary')))))
            $o
        }
    }
}
