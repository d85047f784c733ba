# SPDX-License-Identifier: MIT
#
# Engine location and launch: finds java and ddabridge.jar, and starts `ddabridge.jar serve` with
# redirected, BOM-free UTF-8 pipes. Both transport modes (the long-lived serve session and the
# one-shot fallback) start the engine here, with the same JVM flags and the same `serve` command.

$script:DdaUtf8 = [System.Text.UTF8Encoding]::new($false)
# $IsWindows does not exist in Windows PowerShell 5.1 (and reading it there fails under StrictMode).
$script:DdaOnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT

function Resolve-DdaEngineLaunch {
    <#
    .SYNOPSIS
        Finds java and ddabridge.jar and returns the executable plus the JVM arguments.
    .DESCRIPTION
        java: $env:DDABRIDGE_JAVA, else $env:JAVA_HOME/bin/java, else java on PATH.
        jar:  $env:DDABRIDGE_JAR, else <module>/engine/ddabridge.jar (the module folder as
              built and installed: self-contained, so a copy in any PSModulePath folder works),
              else <module>/../ddabridge.jar (a jar beside the module folder, e.g. the e2e guest's
              /out), else <module>/../../dist/ddabridge.jar (the source tree's powershell-module/).
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
            (Join-Path $script:DdaModuleRoot 'engine/ddabridge.jar'),
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

    # Serial GC and class-data sharing for a quick start (the AppCDS archive is optional).
    # C1 only, compiling early (thresholds at a tenth): a cmdlet session sends tens of requests, not
    # thousands, and under the full tiered compiler they ran in profiled code while C2 compiled beside
    # them; with C1 alone a small host's requests were twice as fast over a session's first 15-45 calls
    # (tests/bench/Cmdlet.ps1). The price is a slower warm survey of a very large host (C2's code is
    # faster there); the launcher's `serve` (build.sh), which the large-host benchmark runs, keeps C2.
    $jvmArgs = [System.Collections.Generic.List[string]]::new()
    # The heap flags are the launcher's for serve (build.sh): a small young generation and a heap that
    # shrinks back, so a survey of a large host leaves no gigabytes of garbage resident (tests/bench).
    $jvmArgs.AddRange([string[]] @('-XX:TieredStopAtLevel=1', '-XX:CompileThresholdScaling=0.1',
            '-XX:+UseSerialGC', '-Xmn32m', '-Xms64m', '-XX:MinHeapFreeRatio=20', '-XX:MaxHeapFreeRatio=40', '-Xshare:auto'))
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
        Java    = $java
        Jar     = $jar
        JarDir  = $jarDir
        JvmArgs = $jvmArgs.ToArray()
    }
}

# The last launch found, and the settings it was found from: Resolve-DdaEngineLaunch searches PATH
# (Get-Command) and probes several files, tens of milliseconds per call, which every request paid.
$script:DdaLaunchCache = $null

function Get-DdaEngineLaunch {
    # Resolve-DdaEngineLaunch's answer, reused while the environment variables it reads are unchanged
    # and its java and jar still exist (checked with File.Exists: microseconds); else resolved afresh,
    # so a changed DDABRIDGE_JAVA / DDABRIDGE_JAR / JAVA_HOME / PATH, or a deleted file, still gives
    # JavaNotFound / EngineJarNotFound at once. Simple function: it runs once per request.
    # (Read through .NET: $env: goes through the provider, about 50 us a variable.)
    $key = [string]::Join([char] 0, [string[]] @(
            [System.Environment]::GetEnvironmentVariable('DDABRIDGE_JAVA'), [System.Environment]::GetEnvironmentVariable('DDABRIDGE_JAR'),
            [System.Environment]::GetEnvironmentVariable('JAVA_HOME'), [System.Environment]::GetEnvironmentVariable('PATH')))
    $cached = $script:DdaLaunchCache
    if ($cached -and [string]::Equals($cached.Key, $key, [System.StringComparison]::Ordinal) -and
        [System.IO.File]::Exists($cached.Launch.Java) -and [System.IO.File]::Exists($cached.Launch.Jar)) {
        return $cached.Launch
    }
    $script:DdaLaunchCache = $null
    $launch = Resolve-DdaEngineLaunch
    # Only absolute paths are cached: File.Exists resolves a relative one against the process's
    # directory, not PowerShell's current location as Resolve-DdaEngineLaunch does.
    if ([System.IO.Path]::IsPathRooted($launch.Java) -and [System.IO.Path]::IsPathRooted($launch.Jar)) {
        $script:DdaLaunchCache = @{ Key = $key; Launch = $launch }
    }
    $launch
}

function Start-DdaEngineProcess {
    <#
    .SYNOPSIS
        Starts `java <flags> -jar ddabridge.jar serve` with stdin, stdout and stderr redirected.
    .DESCRIPTION
        Always `serve`: the engine's only machine interface is its JSON Lines protocol, so the
        one-shot fallback is the same process given one request line and end of input. The
        caller owns the returned Process (drain stderr, dispose).
    #>
    [CmdletBinding()]
    [OutputType([System.Diagnostics.Process])]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'Private; starts a helper process owned by this module.')]
    param([Parameter(Mandatory)] $Launch)

    $psi = [System.Diagnostics.ProcessStartInfo]::new($Launch.Java)
    $all = [string[]] (@($Launch.JvmArgs) + @('serve'))
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
    # Java 17 converts file names with the locale's charset (sun.jnu.encoding): under the C/POSIX locale
    # (services, ssh without a locale) a non-ASCII path is refused as malformed. The engine's pipes are
    # UTF-8 already; give it a UTF-8 locale for names too when the session has none.
    if (-not $script:DdaOnWindows) {
        $ctype = @($env:LC_ALL, $env:LC_CTYPE, $env:LANG) | Where-Object { $_ } | Select-Object -First 1
        if ($ctype -notmatch 'UTF-?8') { $psi.Environment['LC_ALL'] = 'C.UTF-8' }
    }
    $process = [System.Diagnostics.Process]::new()
    $process.StartInfo = $psi
    Write-Verbose "DdaBridge: starting engine: $($Launch.Java) $(Get-DdaProcessArgumentText $psi)"
    [void] $process.Start()
    $process
}

function Wait-DdaTask {
    # Waits for a task without throwing (a faulted task is reported through its state), polling
    # so that Ctrl+C can stop the pipeline meanwhile. Callers skip it for a task already completed.
    param([System.Threading.Tasks.Task] $Task)
    $tasks = [System.Threading.Tasks.Task[]] @($Task)
    while ([System.Threading.Tasks.Task]::WaitAny($tasks, 200) -lt 0) { }
}

function Get-DdaLogText {
    # Engine stderr text without terminal colour codes, last $Lines non-empty lines (error messages).
    [CmdletBinding()]
    [OutputType([string])]
    param([AllowEmptyString()] [string] $Text, [int] $Lines = 20)
    $Text = $Text -replace '\x1b\[[0-9;]*[A-Za-z]', ''
    (($Text -split "`r?`n") | Where-Object { $_ } | Select-Object -Last $Lines) -join [Environment]::NewLine
}

function Get-DdaLogTail {
    # Last lines of an engine stderr log file, for error messages ('' when there is none).
    [CmdletBinding()]
    [OutputType([string])]
    param([string] $Path, [int] $Lines = 20)
    if (-not $Path -or -not (Test-Path -LiteralPath $Path)) { return '' }
    try {
        # Shared read: the serve process may still be writing the file.
        $fs = [System.IO.FileStream]::new($Path, 'Open', 'Read', 'ReadWrite, Delete')
        try {
            $text = [System.IO.StreamReader]::new($fs, $script:DdaUtf8).ReadToEnd()
        } finally { $fs.Dispose() }
        Get-DdaLogText -Text $text -Lines $Lines
    } catch { '' }
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
