# SPDX-License-Identifier: MIT
#
# One-shot mode, the fallback when the serve session cannot be used (and the mode forced by
# $env:DDABRIDGE_ONESHOT = '1'): a fresh `ddabridge.jar serve` per request, given exactly one
# request line and then end of input, so it answers and exits. Same protocol and same commands as
# the session (the engine's CLI subcommands and options are not the protocol: many requests have
# no CLI form at all).

function Invoke-DdaEngineOnce {
    <#
    .SYNOPSIS
        Runs one request in its own serve process and returns the envelope (synthesised from the
        exit code and stderr when the engine gave none).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Launch,
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Arguments
    )
    $stderr = [System.IO.MemoryStream]::new()
    $process = $null
    $answer = $null
    $exitCode = $null
    try {
        $process = Start-DdaEngineProcess -Launch $Launch
        # stderr drained concurrently: an undrained pipe would block the engine.
        $errCopy = $process.StandardError.BaseStream.CopyToAsync($stderr)
        $answer = Send-DdaEngineRequest -Process $process -Id 1 -Command $Command -Arguments $Arguments
        # End of input is what makes serve exit after its one answer.
        try { $process.StandardInput.Close() } catch { Write-Debug "DdaBridge: closing engine stdin: $_" }
        if (-not $answer) { $answer = Read-DdaEngineAnswer -Process $process -Id 1 -Command $Command }
        if (-not $process.WaitForExit(10000)) { Write-Verbose 'DdaBridge: the one-shot engine did not exit after answering; stopping it.' }
        else { $exitCode = $process.ExitCode }
        [void] [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]] @($errCopy), 5000)
    } finally {
        # Reached early when interrupted (Ctrl+C), or when the engine hangs: do not leave it running.
        if ($process) {
            if (-not $process.HasExited) { try { $process.Kill($true) } catch [System.Management.Automation.MethodException] { $process.Kill() } catch { Write-Debug "DdaBridge: kill: $_" } }
            $process.Dispose()
        }
        $errText = Get-DdaLogText -Text ($script:DdaUtf8.GetString($stderr.ToArray())) -Lines 10
        $stderr.Dispose()
    }
    if ($errText) { Write-Verbose "DdaBridge engine stderr: $errText" }
    if ($answer -isnot [DdaTransportFailure]) { return $answer }

    # No envelope: the engine died (or broke the protocol) before answering. Its own error ids
    # are unknown here, so the module reports its own: EngineFailed / EngineProtocolError.
    $failed = $null -ne $exitCode -and $exitCode -ne 0
    $what = if ($failed) { "failed on '$Command' (exit code $exitCode)" } else { "gave no answer to '$Command'" }
    [pscustomobject]@{
        schemaVersion = $script:DdaSchemaVersion
        ok            = $false
        error         = [pscustomobject]@{
            id       = if ($failed) { 'EngineFailed' } else { 'EngineProtocolError' }
            category = if ($failed) { 'InvalidResult' } else { 'InvalidData' }
            message  = "The DdaBridge engine $what. $($answer.Message) $errText".Trim()
            target   = $Command
        }
    }
}
