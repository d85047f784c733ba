# SPDX-License-Identifier: MIT
#
# The one transport between the module and the Java engine (ddabridge.jar).
#
# Every public cmdlet calls Invoke-DdaEngine and nothing else talks to Java. It keeps one
# long-lived `java -jar ddabridge.jar serve` process per session (JSON Lines over stdin/stdout,
# BOM-free UTF-8), restarts it when it has died, and falls back to a one-shot
# `java -jar ddabridge.jar <command> --json ...` process when `serve` cannot be started.
# Requests travel on stdin only: JSON is never put on a command line, because native argument
# quoting differs between PowerShell versions (PowerShell/PowerShell#1995, #15143).

# Exit codes of the engine, mapped to the ErrorCategory used when the engine gave no JSON error.
$script:DdaExitCodeCategory = @{
    1 = [System.Management.Automation.ErrorCategory]::NotSpecified
    2 = [System.Management.Automation.ErrorCategory]::InvalidArgument
    3 = [System.Management.Automation.ErrorCategory]::ObjectNotFound
    4 = [System.Management.Automation.ErrorCategory]::InvalidResult
    5 = [System.Management.Automation.ErrorCategory]::ResourceBusy
    6 = [System.Management.Automation.ErrorCategory]::PermissionDenied
}

# The protocol version this module understands (the "schemaVersion" of every envelope).
$script:DdaSchemaVersion = 1

# State of the serve process of this session; $null until the first request.
$script:DdaServe = $null

# Set when `serve` failed before it ever answered in this session: until then (UTC) calls go
# straight to one-shot mode. $null when serve mode is usable.
$script:DdaServeUnavailable = $null
$script:DdaServeRetryAfter = [timespan]::FromMinutes(5)

# True once a serve process has answered in this session (serve mode works here).
$script:DdaServeWorked = $false

# Id of the Write-Progress records that relay the engine's progress events.
$script:DdaProgressId = 0x0DDA

$script:DdaUtf8 = [System.Text.UTF8Encoding]::new($false)
# $IsWindows does not exist in Windows PowerShell 5.1 (and reading it there fails under StrictMode).
$script:DdaOnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT

function New-DdaErrorRecord {
    <#
    .SYNOPSIS
        Builds an ErrorRecord from an engine error id, category name, message and target.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $ErrorId,
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $Message,
        [object] $Category = 'NotSpecified',
        [object] $TargetObject,
        [string] $RecommendedAction,
        [System.Exception] $InnerException
    )

    $parsedCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
    if ($Category -is [System.Management.Automation.ErrorCategory]) {
        $parsedCategory = $Category
    } elseif (-not [string]::IsNullOrWhiteSpace([string] $Category)) {
        if (-not [System.Enum]::TryParse([System.Management.Automation.ErrorCategory], [string] $Category, $true, [ref] $parsedCategory)) {
            Write-Verbose "DdaBridge: unknown error category '$Category' from the engine; using NotSpecified."
            $parsedCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
        }
    }
    if ([string]::IsNullOrWhiteSpace($Message)) { $Message = "The DdaBridge engine reported error '$ErrorId'." }
    if ([string]::IsNullOrWhiteSpace($ErrorId)) { $ErrorId = 'EngineError' }

    # A .NET exception type that matches the category, so `catch [type]` works as people expect.
    $exception = switch ($parsedCategory) {
        'ObjectNotFound' { [System.Management.Automation.ItemNotFoundException]::new($Message, $InnerException) }
        'InvalidArgument' { [System.ArgumentException]::new($Message, $InnerException) }
        'PermissionDenied' { [System.UnauthorizedAccessException]::new($Message, $InnerException) }
        'NotImplemented' { [System.NotImplementedException]::new($Message, $InnerException) }
        'InvalidData' { [System.IO.InvalidDataException]::new($Message, $InnerException) }
        default { [System.InvalidOperationException]::new($Message, $InnerException) }
    }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $parsedCategory, $TargetObject)
    if ($RecommendedAction) {
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Message)
        $record.ErrorDetails.RecommendedAction = $RecommendedAction
    }
    $record
}

function Resolve-DdaEngineLaunch {
    <#
    .SYNOPSIS
        Finds java and ddabridge.jar and returns the executable plus the JVM arguments.
    .DESCRIPTION
        java: $env:DDABRIDGE_JAVA, else $env:JAVA_HOME/bin/java, else java on PATH.
        jar:  $env:DDABRIDGE_JAR, else <module>/../ddabridge.jar (dist layout),
              else <module>/../../dist/ddabridge.jar (source layout).
        Throws an ErrorRecord (JavaNotFound / EngineJarNotFound) when either is missing.
    #>
    [CmdletBinding()]
    param()

    $exeName = if ($script:DdaOnWindows) { 'java.exe' } else { 'java' }
    $java = $null
    if ($env:DDABRIDGE_JAVA) {
        $java = $env:DDABRIDGE_JAVA
    } elseif ($env:JAVA_HOME -and (Test-Path -LiteralPath (Join-Path $env:JAVA_HOME "bin/$exeName") -PathType Leaf)) {
        $java = Join-Path $env:JAVA_HOME "bin/$exeName"
    } else {
        $command = Get-Command -Name 'java' -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($command) { $java = $command.Source }
    }
    if (-not $java -or -not (Test-Path -LiteralPath $java -PathType Leaf)) {
        throw (New-DdaErrorRecord -ErrorId 'JavaNotFound' -Category ObjectNotFound -TargetObject 'java' `
                -Message 'Cannot find a Java runtime (17 or later) for the DdaBridge engine.' `
                -RecommendedAction 'Install Java 17+, then put java on PATH or set JAVA_HOME (or DDABRIDGE_JAVA).')
    }

    $candidates = if ($env:DDABRIDGE_JAR) {
        @($env:DDABRIDGE_JAR)
    } else {
        @(
            (Join-Path $script:DdaModuleRoot '../ddabridge.jar'),
            (Join-Path $script:DdaModuleRoot '../../dist/ddabridge.jar')
        )
    }
    $jar = $candidates | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    if (-not $jar) {
        throw (New-DdaErrorRecord -ErrorId 'EngineJarNotFound' -Category ObjectNotFound -TargetObject ($candidates -join ', ') `
                -Message "Cannot find the DdaBridge engine (ddabridge.jar). Looked in: $($candidates -join ', ')." `
                -RecommendedAction 'Set DDABRIDGE_JAR to the path of ddabridge.jar, or build the project (build.sh).')
    }
    $jar = [System.IO.Path]::GetFullPath($jar)
    $jarDir = [System.IO.Path]::GetDirectoryName($jar)

    # Serial GC and class-data sharing for a quick start (the AppCDS archive is optional). The full
    # tiered compiler stays on: the serve process lives for the session, and C2 makes a warm survey of a
    # large host about a third faster than C1 alone (tests/bench).
    $jvmArgs = [System.Collections.Generic.List[string]]::new()
    $jvmArgs.AddRange([string[]] @('-XX:+UseSerialGC', '-Xshare:auto'))
    $jsa = Join-Path $jarDir 'ddabridge.jsa'
    if (Test-Path -LiteralPath $jsa -PathType Leaf) { $jvmArgs.Add("-XX:SharedArchiveFile=$jsa") }
    # stdout carries JSON only: send the JVM's own log lines (e.g. a CDS archive warning, which
    # unified logging prints on stdout by default) to stderr.
    $jvmArgs.Add('-Xlog:disable')
    $jvmArgs.Add('-Xlog:all=warning:stderr')
    # The engine writes UTF-8 JSON; make the JVM's default charset agree whatever the locale is.
    $jvmArgs.Add('-Dfile.encoding=UTF-8')
    $jvmArgs.Add('-Dstdout.encoding=UTF-8')
    $jvmArgs.Add('-Dstderr.encoding=UTF-8')
    $jvmArgs.Add('-jar')
    $jvmArgs.Add($jar)

    [pscustomobject]@{
        Java      = $java
        Jar       = $jar
        JarDir    = $jarDir
        JvmArgs   = $jvmArgs.ToArray()
    }
}

function New-DdaProcessStartInfo {
    [CmdletBinding()]
    [OutputType([System.Diagnostics.ProcessStartInfo])]
    param(
        [Parameter(Mandatory)] $Launch,
        [Parameter(Mandatory)] [string[]] $EngineArguments
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Launch.Java)
    $all = [string[]] (@($Launch.JvmArgs) + @($EngineArguments))
    if ($psi.PSObject.Properties['ArgumentList']) {
        foreach ($a in $all) { $psi.ArgumentList.Add($a) }
    } else {
        # .NET Framework (Windows PowerShell 5.1) has only the one command-line string.
        $psi.Arguments = Join-DdaProcessArgument -Argument $all
    }
    $psi.UseShellExecute = $false
    $psi.CreateNoWindow = $true
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    # StandardInputEncoding is .NET Core 2.1+ only; requests are ASCII JSON anyway (ConvertTo-DdaRequestJson).
    if ($psi.PSObject.Properties['StandardInputEncoding']) { $psi.StandardInputEncoding = $script:DdaUtf8 }
    $psi.StandardOutputEncoding = $script:DdaUtf8
    $psi.StandardErrorEncoding = $script:DdaUtf8
    $psi.WorkingDirectory = $Launch.JarDir
    $psi
}

function Join-DdaProcessArgument {
    # One command line from separate arguments, quoted so that the Microsoft C runtime (and .NET's
    # ProcessStartInfo.Arguments parser) splits it back into exactly these arguments: a quote is written
    # as \", backslashes are doubled only where a quote follows them.
    [CmdletBinding()]
    [OutputType([string])]
    param([AllowEmptyString()] [AllowEmptyCollection()] [string[]] $Argument)
    $parts = foreach ($a in $Argument) {
        if ($a.Length -gt 0 -and $a -notmatch '[\s"]') { $a; continue }
        $b = [System.Text.StringBuilder]::new('"')
        $slashes = 0
        foreach ($c in $a.ToCharArray()) {
            if ($c -eq '\') { $slashes++; continue }
            if ($c -eq '"') {
                [void] $b.Append([char] '\', 2 * $slashes + 1).Append('"')
            } else {
                if ($slashes) { [void] $b.Append([char] '\', $slashes) }
                [void] $b.Append($c)
            }
            $slashes = 0
        }
        # Backslashes before the closing quote are doubled so it stays a quote.
        [void] $b.Append([char] '\', 2 * $slashes).Append('"')
        $b.ToString()
    }
    @($parts) -join ' '
}

function Get-DdaProcessArgumentText {
    # The start info's arguments, for verbose messages (ArgumentList on .NET Core, Arguments on .NET Framework).
    param([System.Diagnostics.ProcessStartInfo] $StartInfo)
    if ($StartInfo.PSObject.Properties['ArgumentList'] -and $StartInfo.ArgumentList.Count) {
        return ($StartInfo.ArgumentList -join ' ')
    }
    $StartInfo.Arguments
}

function ConvertTo-DdaRequestJson {
    # One request as compact JSON in ASCII: every non-ASCII UTF-16 unit written as \uXXXX, so the line
    # means the same whatever encoding the engine's stdin writer uses (.NET Framework cannot set it).
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Request)
    $json = ConvertTo-Json -InputObject $Request -Depth 20 -Compress
    [regex]::Replace($json, '[^\x00-\x7F]', { param($m) '\u{0:x4}' -f [int] [char] $m.Value })
}

function Get-DdaLogTail {
    # Last lines of an engine stderr log, for error messages.
    [CmdletBinding()]
    [OutputType([string])]
    param([string] $Path, [int] $Lines = 20)
    if (-not $Path -or -not (Test-Path -LiteralPath $Path)) { return '' }
    try {
        $fs = [System.IO.FileStream]::new($Path, 'Open', 'Read', 'ReadWrite, Delete')
        try {
            $text = [System.IO.StreamReader]::new($fs, $script:DdaUtf8).ReadToEnd()
        } finally { $fs.Dispose() }
        $text = $text -replace '\x1b\[[0-9;]*[A-Za-z]', ''
        (($text -split "`r?`n") | Where-Object { $_ } | Select-Object -Last $Lines) -join [Environment]::NewLine
    } catch { '' }
}

function Stop-DdaEngine {
    <#
    .SYNOPSIS
        Stops the session's serve process (closing stdin first, so it exits on EOF).
    #>
    [CmdletBinding(SupportsShouldProcess = $false)]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'Private; stops only the helper process this module started.')]
    param()
    $serve = $script:DdaServe
    $script:DdaServe = $null
    if (-not $serve) { return }
    try {
        if (-not $serve.Process.HasExited) {
            try { $serve.Process.StandardInput.Close() } catch { Write-Verbose "DdaBridge: closing engine stdin: $_" }
            if (-not $serve.Process.WaitForExit(2000)) {
                # Kill(bool) (the whole tree) is .NET Core 3.0+; .NET Framework has Kill() only.
                try { $serve.Process.Kill($true) } catch [System.Management.Automation.MethodException] {
                    try { $serve.Process.Kill() } catch { Write-Verbose "DdaBridge: killing engine: $_" }
                } catch { Write-Verbose "DdaBridge: killing engine: $_" }
                [void] $serve.Process.WaitForExit(2000)
            }
        }
    } catch {
        Write-Verbose "DdaBridge: stopping engine: $_"
    } finally {
        [void] [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]] @($serve.LogCopy), 1000)
        try { $serve.LogStream.Dispose() } catch { Write-Debug "DdaBridge: log close: $_" }
        try { $serve.Process.Dispose() } catch { Write-Debug "DdaBridge: process dispose: $_" }
        if ($serve.LogPath) { Remove-Item -LiteralPath $serve.LogPath -Force -ErrorAction Ignore -WhatIf:$false -Confirm:$false }
    }
}

function Start-DdaEngine {
    <#
    .SYNOPSIS
        Starts `java -jar ddabridge.jar serve` and stores it as the session's engine.
    #>
    [CmdletBinding()]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'Private; starts a helper process owned by this module.')]
    param([Parameter(Mandatory)] $Launch)

    $psi = New-DdaProcessStartInfo -Launch $Launch -EngineArguments @('serve')
    $process = [System.Diagnostics.Process]::new()
    $process.StartInfo = $psi
    Write-Verbose "DdaBridge: starting engine: $($Launch.Java) $(Get-DdaProcessArgumentText $psi)"
    [void] $process.Start()

    # Logs of sessions that ended without removing the module (the file name holds the PID of
    # the PowerShell that made it) are stale: delete them.
    Get-ChildItem -Path ([System.IO.Path]::GetTempPath()) -Filter 'ddabridge-serve-*.log' -File -ErrorAction Ignore |
        Where-Object { $_.Name -match '^ddabridge-serve-(\d+)-' -and [int] $Matches[1] -ne $PID -and -not (Get-Process -Id ([int] $Matches[1]) -ErrorAction Ignore) } |
        Remove-Item -Force -ErrorAction Ignore -WhatIf:$false -Confirm:$false

    # stderr carries the engine's logs; drain it into a file without running PowerShell code on
    # another thread (an undrained pipe would block the engine once its buffer is full).
    $logPath = Join-Path ([System.IO.Path]::GetTempPath()) ("ddabridge-serve-{0}-{1}.log" -f $PID, $process.Id)
    $logStream = [System.IO.FileStream]::new($logPath, 'Create', 'Write', 'ReadWrite, Delete', 1)
    $logCopy = $process.StandardError.BaseStream.CopyToAsync($logStream)

    $script:DdaServe = [pscustomobject]@{
        Process     = $process
        LogPath     = $logPath
        LogStream   = $logStream
        LogCopy     = $logCopy
        NextId      = 1
        Answered    = 0
        StartedAt   = [datetime]::UtcNow
    }
    $script:DdaServe
}

# One regex per lower-case initial letter: a JSON object key ("name" right after '{' or ',' and
# followed by ':') that starts with that letter. Keys cannot be confused with string values:
# inside a JSON string a quote is always escaped.
$script:DdaKeyPatterns = foreach ($letter in [char[]] 'abcdefghijklmnopqrstuvwxyz') {
    , @([regex]::new('(?<=[{,]\s*)"' + $letter + '(?=[^"\\]*"\s*:)'), ('"' + [char]::ToUpperInvariant($letter)))
}

function ConvertFrom-DdaJson {
    <#
    .SYNOPSIS
        Parses engine JSON, renaming every object key from camelCase to PascalCase on the way
        (26 regex passes over the text are much cheaper than rebuilding objects in script).
        PowerShell property access is case-insensitive, so $envelope.ok still works.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Json)
    foreach ($pattern in $script:DdaKeyPatterns) {
        $Json = $pattern[0].Replace($Json, $pattern[1])
    }
    ConvertFrom-Json -InputObject $Json -ErrorAction Stop
}

function Test-DdaCurrentServe {
    # True when $Serve is still the session's serve process (compared by PID: PSCustomObjects
    # do not compare by reference with -eq).
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] $Serve)
    $current = $script:DdaServe
    [bool] ($current -and $current.Process.Id -eq $Serve.Process.Id)
}

function Write-DdaProgressEvent {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Event, [string] $Command)
    $activity = if ($Event.activity) { [string] $Event.activity } else { "DdaBridge $Command" }
    $progress = @{ Id = $script:DdaProgressId; Activity = $activity }
    if ($Event.status) { $progress.Status = [string] $Event.status }
    $percent = $Event.percent -as [int]
    if ($null -ne $Event.percent -and $null -ne $percent -and $percent -ge 0) {
        $progress.PercentComplete = [Math]::Min(100, $percent)
    }
    Write-Progress @progress
}

function Wait-DdaTask {
    # Waits for a task without throwing (a faulted task is reported through its state), polling
    # so that Ctrl+C can stop the pipeline meanwhile.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [System.Threading.Tasks.Task] $Task)
    $tasks = [System.Threading.Tasks.Task[]] @($Task)
    while ([System.Threading.Tasks.Task]::WaitAny($tasks, 200) -lt 0) { }
}

function New-DdaTransportFailure {
    # What Invoke-DdaEngineServe returns instead of an envelope when the process or pipe failed.
    # (A returned value, not an exception: caught exceptions would still land in the caller's
    # -ErrorVariable.)
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Message, [System.Exception] $Exception)
    [pscustomobject]@{ PSTypeName = 'DdaBridge.TransportFailure'; Message = $Message; Exception = $Exception }
}

function Invoke-DdaEngineServe {
    <#
    .SYNOPSIS
        Sends one request to the serve process and returns the final envelope.
    .DESCRIPTION
        Returns a DdaBridge.TransportFailure object when the process is gone or the pipe broke
        (the caller decides whether to restart); the process is then stopped. Progress events
        are relayed to Write-Progress.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Serve,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Arguments
    )

    $process = $Serve.Process
    $id = $Serve.NextId
    $Serve.NextId++
    $request = [ordered]@{ id = $id; command = $Command; args = $Arguments }
    $json = ConvertTo-DdaRequestJson -Request $request
    Write-Debug "DdaBridge -> $json"

    $completed = $false
    $progressShown = $false
    $failure = $null
    try {
        if ($process.HasExited) {
            $failure = New-DdaTransportFailure "The DdaBridge engine (PID $($process.Id)) has exited with code $($process.ExitCode)."
            return $failure
        }
        # One line, '\n' terminated, UTF-8 without BOM (JSON Lines).
        $write = $process.StandardInput.WriteAsync($json + "`n")
        Wait-DdaTask $write
        if (-not $write.IsFaulted) {
            $write = $process.StandardInput.FlushAsync()
            Wait-DdaTask $write
        }
        if ($write.IsFaulted) {
            $failure = New-DdaTransportFailure "Cannot send the request to the DdaBridge engine (PID $($process.Id)): $($write.Exception.GetBaseException().Message)" $write.Exception
            return $failure
        }

        while ($true) {
            $read = $process.StandardOutput.ReadLineAsync()
            Wait-DdaTask $read
            if ($read.IsFaulted) {
                $failure = New-DdaTransportFailure "Cannot read from the DdaBridge engine (PID $($process.Id)): $($read.Exception.GetBaseException().Message)" $read.Exception
                return $failure
            }
            $line = $read.Result
            if ($null -eq $line) {
                [void] $process.WaitForExit(2000)
                $code = if ($process.HasExited) { $process.ExitCode } else { 'unknown' }
                $failure = New-DdaTransportFailure "The DdaBridge engine (PID $($process.Id)) closed its output (exit code $code)."
                return $failure
            }
            if ([string]::IsNullOrWhiteSpace($line)) { continue }
            Write-Debug "DdaBridge <- $line"
            $message = $null
            if ($line.TrimStart().StartsWith('{')) {
                try { $message = ConvertFrom-DdaJson -Json $line } catch { $message = $null }
            }
            if ($message -isnot [System.Management.Automation.PSCustomObject]) {
                # The contract keeps stdout for JSON only; tolerate a stray line rather than hang.
                Write-Verbose "DdaBridge: ignoring a line from the engine that is not a JSON object: $line"
                continue
            }
            $names = $message.PSObject.Properties.Name
            if ($names -contains 'id' -and $null -ne $message.id -and [string] $message.id -ne [string] $id) {
                Write-Verbose "DdaBridge: ignoring a line for request $($message.id) (waiting for $id)."
                continue
            }
            if ($names -contains 'event') {
                if ($message.event -eq 'progress') {
                    Write-DdaProgressEvent -Event $message -Command $Command
                    $progressShown = $true
                } else {
                    Write-Verbose "DdaBridge: engine event '$($message.event)': $line"
                }
                continue
            }
            if ($names -contains 'ok') {
                $completed = $true
                $Serve.Answered++
                return $message
            }
            Write-Verbose "DdaBridge: ignoring an unexpected line from the engine: $line"
        }
    } finally {
        if ($progressShown) { Write-Progress -Id $script:DdaProgressId -Activity "DdaBridge $Command" -Completed }
        if (-not $completed) {
            # Broken, or interrupted (Ctrl+C): the stream may now hold a half-read answer, so the
            # process cannot be reused. The next call starts a fresh one.
            if ($failure) {
                $log = Get-DdaLogTail -Path $Serve.LogPath
                if ($log) { $failure.Message += [Environment]::NewLine + $log }
            }
            if (Test-DdaCurrentServe $Serve) { Stop-DdaEngine }
        }
    }
}

# Request arguments that the one-shot CLI takes as positional parameters, per command.
$script:DdaPositionalArgument = @{
    devices = 'address'
}

function ConvertTo-DdaCommandLine {
    # camelCase request args -> `--kebab-case value` options of the one-shot CLI (positional
    # parameters last, after `--`).
    [CmdletBinding()]
    [OutputType([string[]])]
    param([Parameter(Mandatory)] [string] $Command, [System.Collections.IDictionary] $Arguments)
    $list = [System.Collections.Generic.List[string]]::new()
    $list.Add($Command)
    $list.Add('--json')
    $positional = [System.Collections.Generic.List[string]]::new()
    if ($Arguments) {
        foreach ($key in $Arguments.Keys) {
            $value = $Arguments[$key]
            if ($null -eq $value) { continue }
            if ($script:DdaPositionalArgument[$Command] -eq $key) {
                foreach ($item in @($value)) { $positional.Add([string] $item) }
                continue
            }
            $option = '--' + ([regex]::Replace([string] $key, '(?<=[a-z0-9])([A-Z])', '-$1')).ToLowerInvariant()
            if ($value -is [bool]) {
                if ($value) { $list.Add($option) }
                continue
            }
            foreach ($item in @($value)) {
                $list.Add($option)
                $list.Add([string] $item)
            }
        }
    }
    if ($positional.Count) {
        $list.Add('--')
        $list.AddRange($positional)
    }
    , $list.ToArray()
}

function Invoke-DdaEngineOnce {
    <#
    .SYNOPSIS
        Runs one `java -jar ddabridge.jar <command> --json ...` process and returns its envelope.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Launch,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Arguments
    )
    $engineArgs = ConvertTo-DdaCommandLine -Command $Command -Arguments $Arguments
    $psi = New-DdaProcessStartInfo -Launch $Launch -EngineArguments $engineArgs
    Write-Verbose "DdaBridge: one-shot engine call: $($Launch.Java) $(Get-DdaProcessArgumentText $psi)"
    $process = [System.Diagnostics.Process]::new()
    $process.StartInfo = $psi
    $stderr = [System.IO.MemoryStream]::new()
    $started = $false
    try {
        $started = $process.Start()
        $process.StandardInput.Close()
        $errCopy = $process.StandardError.BaseStream.CopyToAsync($stderr)
        $outRead = $process.StandardOutput.ReadToEndAsync()
        Wait-DdaTask $outRead
        $process.WaitForExit()
        [void] [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]] @($errCopy), 5000)
        $stdout = if ($outRead.IsFaulted) { '' } else { $outRead.Result }
        $errText = ($script:DdaUtf8.GetString($stderr.ToArray()) -replace '\x1b\[[0-9;]*[A-Za-z]', '').Trim()
        $exitCode = $process.ExitCode
    } finally {
        # Reached early only when interrupted (Ctrl+C): do not leave the engine running.
        if ($started -and -not $process.HasExited) { try { $process.Kill($true) } catch [System.Management.Automation.MethodException] { $process.Kill() } catch { Write-Debug "DdaBridge: kill: $_" } }
        $process.Dispose()
        $stderr.Dispose()
    }
    if ($errText) { Write-Verbose "DdaBridge engine stderr: $errText" }

    $envelope = $null
    # The envelope is the JSON object that starts on the first line beginning with '{'
    # (anything before it is not the engine's answer).
    $start = if ($stdout) { [regex]::Match($stdout, '(?m)^\s*\{') } else { $null }
    if ($start -and $start.Success) {
        try { $envelope = ConvertFrom-DdaJson -Json $stdout.Substring($start.Index) } catch { $envelope = $null }
        if ($start.Index -gt 0) { Write-Verbose "DdaBridge: ignored engine output before the JSON: $($stdout.Substring(0, $start.Index).Trim())" }
    }
    if ($envelope -is [System.Management.Automation.PSCustomObject] -and $envelope.PSObject.Properties.Name -contains 'ok') {
        return $envelope
    }
    # No JSON envelope: synthesise one from the exit code and stderr.
    $category = $script:DdaExitCodeCategory[$exitCode]
    if (-not $category) { $category = [System.Management.Automation.ErrorCategory]::NotSpecified }
    $tail = (($errText -split "`r?`n") | Select-Object -Last 10) -join [Environment]::NewLine
    [pscustomobject]@{
        schemaVersion = $script:DdaSchemaVersion
        ok            = $false
        error         = [pscustomobject]@{
            id       = if ($exitCode -eq 0) { 'EngineProtocolError' } else { 'EngineFailed' }
            category = if ($exitCode -eq 0) { 'InvalidData' } else { [string] $category }
            message  = if ($exitCode -eq 0) {
                "The DdaBridge engine gave no JSON answer to '$Command'. $tail".Trim()
            } else {
                "The DdaBridge engine failed on '$Command' (exit code $exitCode). $tail".Trim()
            }
            target   = $Command
        }
    }
}

function Invoke-DdaEngine {
    <#
    .SYNOPSIS
        Runs one engine command and returns its result; engine errors become ErrorRecords.
    .PARAMETER Command
        Engine command: devices, survey, capture, ...
    .PARAMETER Arguments
        Request arguments (camelCase keys, as in the serve protocol). $null values are dropped.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet: errors are written or thrown through it, so that the
        FullyQualifiedErrorId is '<ErrorId>,<Caller>' and -ErrorAction / -ErrorVariable apply.
    .PARAMETER ErrorMode
        Write (default): an engine error (ok:false) is written as a non-terminating error and
        nothing is returned. Throw: it becomes a terminating error. Failures to run the engine at
        all are always terminating.
    .PARAMETER NoRetry
        Do not resend the request when the serve process died while handling it (for commands
        that change state).
    .PARAMETER OneShot
        Skip the serve process and run a one-shot process.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Command,
        [System.Collections.IDictionary] $Arguments = @{},
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [ValidateSet('Write', 'Throw')] [string] $ErrorMode = 'Write',
        [switch] $NoRetry,
        [switch] $OneShot
    )

    $PSNativeCommandUseErrorActionPreference = $false
    if (-not $Cmdlet) { $Cmdlet = $PSCmdlet }

    # Drop $null values and copy into an ordered map (the request is echoed in -Debug output).
    $requestArgs = [ordered]@{}
    foreach ($key in $Arguments.Keys) {
        if ($null -ne $Arguments[$key]) { $requestArgs[[string] $key] = $Arguments[$key] }
    }

    try {
        $launch = Resolve-DdaEngineLaunch
    } catch {
        $Cmdlet.ThrowTerminatingError($_)
    }

    $envelope = $null
    $serveFailure = $null
    if ($script:DdaServeUnavailable -and [datetime]::UtcNow -ge $script:DdaServeUnavailable) {
        $script:DdaServeUnavailable = $null
    }
    if (-not $OneShot -and -not $script:DdaServeUnavailable) {
        $attempts = if ($NoRetry) { 1 } else { 2 }
        for ($attempt = 1; $attempt -le $attempts -and -not $envelope; $attempt++) {
            $serve = $script:DdaServe
            if ($serve -and $serve.Process.HasExited) {
                Write-Verbose "DdaBridge: engine PID $($serve.Process.Id) has exited (code $($serve.Process.ExitCode)); restarting it."
                Stop-DdaEngine
                $serve = $null
            }
            if (-not $serve) {
                try {
                    $serve = Start-DdaEngine -Launch $launch
                } catch {
                    $serveFailure = New-DdaTransportFailure "Cannot start the DdaBridge engine: $($_.Exception.Message)" $_.Exception
                    Write-Verbose "DdaBridge: $($serveFailure.Message)"
                    $script:DdaServeUnavailable = [datetime]::UtcNow + $script:DdaServeRetryAfter
                    break
                }
            }
            $answer = Invoke-DdaEngineServe -Serve $serve -Command $Command -Arguments $requestArgs
            if ($answer.PSObject.TypeNames -contains 'DdaBridge.TransportFailure') {
                $serveFailure = $answer
                Write-Verbose "DdaBridge: serve request failed: $($answer.Message)"
                if (-not $script:DdaServeWorked) {
                    # Serve mode has never answered in this session: it does not work here.
                    $script:DdaServeUnavailable = [datetime]::UtcNow + $script:DdaServeRetryAfter
                    break
                }
            } else {
                $envelope = $answer
                $script:DdaServeWorked = $true
            }
        }
        if (-not $envelope -and $NoRetry -and $serveFailure) {
            $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'EngineFailed' -Category InvalidResult `
                        -TargetObject $Command -InnerException $serveFailure.Exception `
                        -Message "The DdaBridge engine stopped while running '$Command': $($serveFailure.Message)"))
        }
    }

    if (-not $envelope) {
        if ($serveFailure) { Write-Verbose "DdaBridge: falling back to a one-shot engine process for '$Command'." }
        try {
            $envelope = Invoke-DdaEngineOnce -Launch $launch -Command $Command -Arguments $requestArgs
        } catch {
            $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'EngineStartFailed' -Category OpenError `
                        -TargetObject $launch.Java -InnerException $_.Exception `
                        -Message "Cannot run the DdaBridge engine ($($launch.Java)): $($_.Exception.Message)"))
        }
    }

    if ($null -ne $envelope.schemaVersion -and $envelope.schemaVersion -ne $script:DdaSchemaVersion) {
        Write-Verbose "DdaBridge: engine answered with schemaVersion $($envelope.schemaVersion); this module expects $($script:DdaSchemaVersion)."
    }
    if ($envelope.ok -eq $true) {
        return $envelope.result
    }

    $err = $envelope.error
    $recommended = [string] $err.recommendedAction
    $details = if ($err.PSObject.Properties['details']) { $err.details } else { $null }
    if (-not $recommended -and $details -and $details.PSObject.Properties['forceHelps'] -and $details.forceHelps -eq $true) {
        $recommended = 'Check the reasons in the message; -Force overrides this refusal.'
    }
    $record = New-DdaErrorRecord -ErrorId ([string] $err.id) -Category ([string] $err.category) `
        -Message ([string] $err.message) -TargetObject $err.target -RecommendedAction $recommended
    # The engine's structured details (guards, failed step, rollback) stay reachable:
    # $err.Exception.Data['Details'].
    if ($null -ne $details) { $record.Exception.Data['Details'] = $details }
    if ($ErrorMode -eq 'Throw') {
        $Cmdlet.ThrowTerminatingError($record)
    } else {
        $Cmdlet.WriteError($record)
    }
}
