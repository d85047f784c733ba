# SPDX-License-Identifier: MIT
#
# The one transport between the module and the Java engine (ddabridge.jar): every public cmdlet
# calls Invoke-DdaEngine and nothing else talks to Java. It sends the request through the
# session's serve process (EngineServeSession.ps1) and falls back to a one-shot process
# (EngineOneShot.ps1) when serve cannot be used; both speak the same JSON Lines protocol
# (EngineProtocol.ps1). The answer becomes the result or an ErrorRecord (EngineResult.ps1,
# EngineErrorRecord.ps1).

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
        Skip the serve process and run a one-shot process ($env:DDABRIDGE_ONESHOT = '1' does the
        same for every call).
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
        $launch = Get-DdaEngineLaunch
    } catch {
        $Cmdlet.ThrowTerminatingError($_)
    }

    $envelope = $null
    # (.NET reads the variable in microseconds; $env: goes through the provider, about 50 us.)
    if (-not $OneShot -and [System.Environment]::GetEnvironmentVariable('DDABRIDGE_ONESHOT') -ne '1') {
        $envelope = Invoke-DdaServeSession -Launch $launch -Command $Command -Arguments $requestArgs -NoRetry:$NoRetry
        if ($envelope -is [DdaTransportFailure]) {
            if ($NoRetry) {
                # A state change may have run before the engine died: never run it a second time.
                $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'EngineFailed' -Category InvalidResult `
                            -TargetObject $Command -InnerException $envelope.Exception `
                            -Message "The DdaBridge engine stopped while running '$Command': $($envelope.Message)"))
            }
            Write-Verbose "DdaBridge: falling back to a one-shot engine process for '$Command'."
            $envelope = $null
        }
    }

    if (-not $envelope) {
        try {
            $envelope = Invoke-DdaEngineOnce -Launch $launch -Command $Command -Arguments $requestArgs
        } catch {
            $Cmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'EngineStartFailed' -Category OpenError `
                        -TargetObject $launch.Java -InnerException $_.Exception `
                        -Message "Cannot run the DdaBridge engine ($($launch.Java)): $($_.Exception.Message)"))
        }
    }

    Resolve-DdaEnvelope -Envelope $envelope -Cmdlet $Cmdlet -ErrorMode $ErrorMode
}
