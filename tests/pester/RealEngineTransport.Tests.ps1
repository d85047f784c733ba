# The transport's promises checked against the REAL engine (dist/ddabridge.jar, or $env:DDABRIDGE_JAR),
# not tests/pester/FakeEngine: a serve process killed from outside (SIGKILL) while it holds a request
# (the module resends it; with -NoRetry it does not and says so), the one-shot fallback when the first
# serve process dies before it ever answered, UTF-8 both ways, the serve process stopped on module
# removal and on Ctrl+C (PowerShell.Stop). Reads only host images from tests/fixtures/hosts and
# directories made here: nothing touches this machine's /sys.
#
# "While it holds a request": the engine is frozen with SIGSTOP before the request is sent, so it
# cannot answer, and killed with SIGKILL by a separate process a moment later. That makes the kill
# land between "request written" and "answer read" every time, without hooks in the module.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $jar = Get-DdaTestJar
    if (-not $jar -or -not (Test-Path -LiteralPath $jar)) {
        throw 'The engine jar was not found (dist/ddabridge.jar or DDABRIDGE_JAR); build it with ./build.sh.'
    }
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $script:SavedOneShot = $env:DDABRIDGE_ONESHOT
    $env:DDABRIDGE_JAVA = $null
    $env:DDABRIDGE_ONESHOT = $null
    Stop-DdaTestEngine
    $script:Reference = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path
    foreach ($tool in 'bash', 'kill', 'pgrep') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) { throw "$tool is needed for these tests" }
    }
}

AfterAll {
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    $env:DDABRIDGE_ONESHOT = $script:SavedOneShot
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'Transport against the real engine' -Skip:($IsWindows) {
    BeforeEach {
        Stop-DdaTestEngine
    }

    It 'resends a request to a new engine when the serve process is killed while holding it' {
        @(Get-DdaDevice -Root $Reference).Count | Should -Be 21        # the session works (serve answered)
        $old = Get-DdaTestServeProcessId
        $old | Should -Not -BeNullOrEmpty
        Suspend-DdaTestProcess $old
        $killer = Start-DdaTestKiller -ProcessId $old -DelaySeconds 3
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $devices = @(Get-DdaDevice -Root $Reference -ErrorVariable errs)
        $watch.Stop()
        $killer.WaitForExit(10000) | Should -BeTrue
        $killer.ExitCode | Should -Be 0
        # The request waited on the frozen engine until the kill: it was in flight when the engine died.
        $watch.Elapsed.TotalSeconds | Should -BeGreaterThan 2.8
        Get-Process -Id $old -ErrorAction Ignore | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
        $devices.Count | Should -Be 21
        # Answered by a new serve process of the session (a resend), not by the one-shot fallback
        # (which leaves no session process).
        $new = Get-DdaTestServeProcessId
        $new | Should -Not -BeNullOrEmpty
        $new | Should -Not -Be $old
    }

    It 'does not resend with -NoRetry, and says the engine stopped' {
        @(Get-DdaDevice -Root $Reference).Count | Should -Be 21
        $old = Get-DdaTestServeProcessId
        $others = @(Get-DdaTestEngineChild | Where-Object { $_ -ne $old })
        Suspend-DdaTestProcess $old
        $killer = Start-DdaTestKiller -ProcessId $old -DelaySeconds 3
        $caught = $null
        try {
            & (Get-Module DdaBridge) { param($r) Invoke-DdaEngine -Command devices -Arguments @{ root = $r } -NoRetry -ErrorMode Throw } $Reference
        } catch { $caught = $_ }
        $killer.WaitForExit(10000) | Should -BeTrue
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be 'EngineFailed,Invoke-DdaEngine'
        $caught.Exception.Message | Should -Match "stopped while running 'devices'"
        # Neither a second serve process nor a one-shot process was started for it.
        Get-DdaTestServeProcessId | Should -BeNullOrEmpty
        @(Get-DdaTestEngineChild | Where-Object { $_ -notin $others }).Count | Should -Be 0
    }

    It 'falls back to a one-shot process when the first serve process dies before it ever answered' {
        # Kills the first serve process this PowerShell starts, as soon as it exists (long before a
        # JVM could answer); the one-shot process that follows is left alone.
        $killer = Start-DdaTestKiller -FirstChildOf $PID
        $devices = @(Get-DdaDevice -Root $Reference -Verbose -ErrorVariable errs 4>&1)
        $killer.WaitForExit(10000) | Should -BeTrue
        $killer.ExitCode | Should -Be 0
        $errs | Should -BeNullOrEmpty
        $verbose = @($devices | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).ForEach('Message')
        $verbose -match 'falling back to a one-shot engine process' | Should -Not -BeNullOrEmpty
        @($devices | Where-Object { $_.PSObject.TypeNames[0] -eq 'DdaBridge.Device' }).Count | Should -Be 21
        Get-DdaTestServeProcessId | Should -BeNullOrEmpty
        # Serve mode is given up on for a while: the next call is one-shot straight away.
        & (Get-Module DdaBridge) { $script:DdaServeUnavailable } | Should -Not -BeNullOrEmpty
        (Get-DdaDevice -Root $Reference 01:00.0).Driver | Should -Be 'nvme'
        Get-DdaTestServeProcessId | Should -BeNullOrEmpty
    }

    It 'keeps non-ASCII text intact both ways (a path the engine echoes, a file it names)' {
        $dir = Join-Path $TestDrive 'Grüße-日本-«x»'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $missing = Join-Path $dir 'nö-such-image-—'
        Get-DdaDevice -Root $missing -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null
        $e[0].FullyQualifiedErrorId | Should -Be 'HostImageNotFound,Get-DdaDevice'
        $e[0].TargetObject | Should -BeExactly $missing
        $e[0].Exception.Message | Should -BeLike "*$missing*"
        # The engine writes the report at exactly the non-ASCII name it was given, and names it back.
        $path = Join-Path $dir 'rapport-été-日本.html'
        $report = Export-DdaReport -Root $Reference -Path $path
        [System.IO.File]::Exists($path) | Should -BeTrue
        @(Get-ChildItem -LiteralPath $dir -Filter '*.html').Name | Should -BeExactly 'rapport-été-日本.html'
        $report.FullName | Should -BeExactly $path
        # The same under the C locale (where Java 17 would refuse a non-ASCII file name).
        Stop-DdaTestEngine
        $saved = @{ LC_ALL = $env:LC_ALL; LC_CTYPE = $env:LC_CTYPE; LANG = $env:LANG }
        try {
            $env:LC_ALL = 'C'; $env:LC_CTYPE = $null; $env:LANG = 'C'
            $cPath = Join-Path $dir 'c-locale-ñ.html'
            Export-DdaReport -Root $Reference -Path $cPath | Out-Null
            [System.IO.File]::Exists($cPath) | Should -BeTrue
        } finally {
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
            Stop-DdaTestEngine
        }
    }

    It 'stops the serve process when the module is removed' {
        Get-DdaDevice -Root $Reference | Out-Null
        $enginePid = Get-DdaTestServeProcessId
        $engine = Get-Process -Id $enginePid
        Remove-Module DdaBridge -Force
        try {
            $engine.WaitForExit(5000) | Should -BeTrue
        } finally {
            Import-DdaTestModule
        }
    }

    It 'stops the engine when the pipeline is stopped (Ctrl+C) while it waits for an answer' {
        $rs = [runspacefactory]::CreateRunspace()
        $rs.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $rs
        try {
            $null = $ps.AddScript({
                    param($manifest, $image)
                    Import-Module $manifest
                    Get-DdaDevice -Root $image | Out-Null
                    & (Get-Module DdaBridge) { $script:DdaServe.Process.Id }
                }).AddArgument((Get-DdaTestModulePath)).AddArgument($Reference)
            $enginePid = @($ps.Invoke())[-1]
            $enginePid | Should -BeGreaterThan 0
            Suspend-DdaTestProcess $enginePid          # the engine will not answer: a request that hangs
            $ps.Commands.Clear()
            $null = $ps.AddScript({ param($image) Get-DdaDevice -Root $image }).AddArgument($Reference)
            $async = $ps.BeginInvoke()
            Start-Sleep -Seconds 1
            $async.IsCompleted | Should -BeFalse
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            # The interrupted engine is stopped by the module (it cannot be reused after a half-read answer).
            $engine = Get-Process -Id $enginePid -ErrorAction Ignore
            if ($engine) { $engine.WaitForExit(5000) | Should -BeTrue }
            @(Get-DdaTestEngineChild) -contains $enginePid | Should -BeFalse
        } finally {
            $ps.Dispose()
            $rs.Dispose()
            if (Get-Process -Id $enginePid -ErrorAction Ignore) { & kill -KILL $enginePid 2>$null }
        }
    }
}
