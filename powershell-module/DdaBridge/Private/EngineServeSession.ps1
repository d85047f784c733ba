# SPDX-License-Identifier: MIT
#
# The serve session: one long-lived `ddabridge.jar serve` process per PowerShell session (a JVM
# start costs about a second; a warm request tens of milliseconds), restarted when it has died,
# a request resent once when the process died while handling it (never for state changes), and
# given up on for a while when serve has never answered in this session.

# State of the serve process of this session; $null until the first request.
$script:DdaServe = $null

# Set when `serve` failed before it ever answered in this session: until then (UTC) calls go
# straight to one-shot mode. $null when serve mode is usable.
$script:DdaServeUnavailable = $null
$script:DdaServeRetryAfter = [timespan]::FromMinutes(5)

# True once a serve process has answered in this session (serve mode works here).
$script:DdaServeWorked = $false

function Start-DdaEngine {
    <#
    .SYNOPSIS
        Starts the serve process and stores it as the session's engine.
    #>
    [CmdletBinding()]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'Private; starts a helper process owned by this module.')]
    param([Parameter(Mandatory)] $Launch)

    $process = Start-DdaEngineProcess -Launch $Launch

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
        Process   = $process
        LogPath   = $logPath
        LogStream = $logStream
        LogCopy   = $logCopy
        NextId    = 1
        Answered  = 0
        StartedAt = [datetime]::UtcNow
    }
    $script:DdaServe
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

function Test-DdaCurrentServe {
    # True when $Serve is still the session's serve process (compared by PID: PSCustomObjects
    # do not compare by reference with -eq).
    param($Serve)
    $current = $script:DdaServe
    [bool] ($current -and $current.Process.Id -eq $Serve.Process.Id)
}

function Invoke-DdaEngineServe {
    # Sends one request to the serve process and returns the final envelope, or a
    # DdaTransportFailure object when the process is gone or the pipe broke (the caller
    # decides whether to restart); the process is then stopped. Simple function, like the other
    # per-request helpers (see Send-DdaEngineRequest).
    param($Serve, [string] $Command, [System.Collections.IDictionary] $Arguments)
    $id = $Serve.NextId
    $Serve.NextId++
    $completed = $false
    $answer = $null
    try {
        $answer = Send-DdaEngineRequest -Process $Serve.Process -Id $id -Command $Command -Arguments $Arguments
        if (-not $answer) { $answer = Read-DdaEngineAnswer -Process $Serve.Process -Id $id -Command $Command }
        if ($answer -isnot [DdaTransportFailure]) {
            $completed = $true
            $Serve.Answered++
        }
        return $answer
    } finally {
        if (-not $completed) {
            # Broken, or interrupted (Ctrl+C): the stream may now hold a half-read answer, so the
            # process cannot be reused. The next call starts a fresh one.
            if ($answer -is [DdaTransportFailure]) {
                $log = Get-DdaLogTail -Path $Serve.LogPath
                if ($log) { $answer.Message += [Environment]::NewLine + $log }
            }
            if (Test-DdaCurrentServe $Serve) { Stop-DdaEngine }
        }
    }
}

function Invoke-DdaServeSession {
    # Runs one request through the session's serve process: (re)starts it as needed and resends
    # once when it died mid-request (unless -NoRetry). Returns the envelope, else the last
    # DdaTransportFailure (or $null when serve mode is off for now). Simple function.
    param($Launch, [string] $Command, [System.Collections.IDictionary] $Arguments, [switch] $NoRetry)
    if ($script:DdaServeUnavailable -and [datetime]::UtcNow -ge $script:DdaServeUnavailable) {
        $script:DdaServeUnavailable = $null
    }
    if ($script:DdaServeUnavailable) { return $null }

    $failure = $null
    $attempts = if ($NoRetry) { 1 } else { 2 }
    for ($attempt = 1; $attempt -le $attempts; $attempt++) {
        $serve = $script:DdaServe
        if ($serve -and $serve.Process.HasExited) {
            Write-Verbose "DdaBridge: engine PID $($serve.Process.Id) has exited (code $($serve.Process.ExitCode)); restarting it."
            Stop-DdaEngine
            $serve = $null
        }
        if (-not $serve) {
            try {
                $serve = Start-DdaEngine -Launch $Launch
            } catch {
                $failure = New-DdaTransportFailure "Cannot start the DdaBridge engine: $($_.Exception.Message)" $_.Exception
                Write-Verbose "DdaBridge: $($failure.Message)"
                $script:DdaServeUnavailable = [datetime]::UtcNow + $script:DdaServeRetryAfter
                return $failure
            }
        }
        $answer = Invoke-DdaEngineServe -Serve $serve -Command $Command -Arguments $Arguments
        if ($answer -isnot [DdaTransportFailure]) {
            $script:DdaServeWorked = $true
            return $answer
        }
        $failure = $answer
        Write-Verbose "DdaBridge: serve request failed: $($answer.Message)"
        if (-not $script:DdaServeWorked) {
            # Serve mode has never answered in this session: it does not work here.
            $script:DdaServeUnavailable = [datetime]::UtcNow + $script:DdaServeRetryAfter
            break
        }
    }
    $failure
}
