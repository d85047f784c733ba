# The engine transport (Private/Engine*.ps1, Private/Invoke-DdaEngine.ps1) against a fake engine
# (FakeEngine/), so that the protocol handling is tested without Java: serve reuse and restart,
# one-shot fallback (a serve process given one request line), progress events, error records, UTF-8.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $script:SavedEnv = @{}
    foreach ($name in 'DDABRIDGE_JAVA', 'DDABRIDGE_JAR', 'FAKE_DDA_MODE', 'FAKE_DDA_LOG', 'FAKE_DDA_PWSH') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    $env:DDABRIDGE_JAVA = Join-Path $PSScriptRoot 'FakeEngine/fake-java'
    $env:DDABRIDGE_JAR = Join-Path $PSScriptRoot 'FakeEngine/FakeEngine.ps1'
    # The PowerShell running the tests ($PSHOME/pwsh; the process itself may be 'dotnet' for a
    # dotnet global tool install).
    $env:FAKE_DDA_PWSH = @((Join-Path $PSHOME 'pwsh'), (Get-Command pwsh -CommandType Application -ErrorAction Ignore).Source) |
        Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
    $env:FAKE_DDA_MODE = 'normal'
    $env:FAKE_DDA_LOG = Join-Path $TestDrive 'fake-engine.log'
    Stop-DdaTestEngine
}

AfterAll {
    Stop-DdaTestEngine
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'Engine transport (fake engine)' -Skip:($IsWindows) {
    BeforeEach {
        Stop-DdaTestEngine
        $env:FAKE_DDA_MODE = 'normal'
        Remove-Item -LiteralPath $env:FAKE_DDA_LOG -ErrorAction Ignore
    }

    It 'starts one serve process and reuses it' {
        $first = @(Get-DdaDevice)
        $pidAfterFirst = Get-DdaTestServeProcessId
        $second = @(Get-DdaDevice 0000:01:00.0)
        $first.Count | Should -Be 2
        $second.Count | Should -Be 1
        $pidAfterFirst | Should -Not -BeNullOrEmpty
        Get-DdaTestServeProcessId | Should -Be $pidAfterFirst
        @(Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -match ' serve' }).Count | Should -Be 1
    }

    It 'restarts the serve process transparently after it was killed' {
        Get-DdaDevice | Out-Null
        $old = Get-DdaTestServeProcessId
        Stop-Process -Id $old -Force
        (Get-Process -Id $old -ErrorAction Ignore) | Wait-Process -Timeout 10 -ErrorAction Ignore
        $devices = @(Get-DdaDevice -ErrorVariable errs)
        $devices.Count | Should -Be 2
        $errs | Should -BeNullOrEmpty
        $new = Get-DdaTestServeProcessId
        $new | Should -Not -BeNullOrEmpty
        $new | Should -Not -Be $old
    }

    It 'resends the request when the engine dies while handling it' {
        Get-DdaDevice | Out-Null
        $old = Get-DdaTestServeProcessId
        # 'crash' makes the fake engine exit mid-request; the retry crashes the new one too, after
        # which the module falls back to a one-shot process, which the same request crashes as
        # well: the module's own EngineFailed error, with the engine's stderr in the message.
        try { & (Get-Module DdaBridge) { Invoke-DdaEngine -Command crash -ErrorMode Throw } } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'EngineFailed,Invoke-DdaEngine'
        $caught.Exception.Message | Should -Match 'exit code 4'
        $caught.Exception.Message | Should -Match 'crashing as asked'
        @(Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -match ' request crash' }).Count | Should -Be 3
        @(Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -match ' serve' }).Count | Should -Be 3
        Get-DdaTestServeProcessId | Should -Not -Be $old
    }

    It 'does not resend with -NoRetry' {
        Get-DdaDevice | Out-Null
        { & (Get-Module DdaBridge) { Invoke-DdaEngine -Command crash -ErrorMode Throw -NoRetry } } |
            Should -Throw -ErrorId 'EngineFailed,Invoke-DdaEngine'
        @(Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -match ' serve' }).Count | Should -Be 1
    }

    It 'falls back to one-shot calls when serve cannot be used' {
        $env:FAKE_DDA_MODE = 'noserve'
        $devices = @(Get-DdaDevice -Address 0000:01:00.0 -Class 01)
        $devices.Count | Should -Be 1
        $devices[0].Driver | Should -Be 'nvme'
        $log = Get-Content $env:FAKE_DDA_LOG
        # The one-shot process is `serve` too, given the same JSON request (no CLI options).
        @($log | Where-Object { $_ -match ' serve$' }).Count | Should -Be 2
        @($log | Where-Object { $_ -match ' refused$' }).Count | Should -Be 1
        @($log | Where-Object { $_ -match ' request devices \{.*"class":"01".*\}' -and $_ -match '"address":"0000:01:00\.0"' }).Count | Should -Be 2
        @($log | Where-Object { $_ -match ' eof 1$' }).Count | Should -Be 1
        Get-DdaTestServeProcessId | Should -BeNullOrEmpty
        # Later calls go straight to one-shot mode (no second attempt at a session).
        Get-DdaDevice | Out-Null
        $log = Get-Content $env:FAKE_DDA_LOG
        @($log | Where-Object { $_ -match ' refused$' }).Count | Should -Be 1
        @($log | Where-Object { $_ -match ' eof 1$' }).Count | Should -Be 2
    }

    It 'runs every call as a one-shot process when DDABRIDGE_ONESHOT is 1' {
        $saved = $env:DDABRIDGE_ONESHOT
        try {
            $env:DDABRIDGE_ONESHOT = '1'
            @(Get-DdaDevice).Count | Should -Be 2
            (Get-DdaDevice 01:00.0).Driver | Should -Be 'nvme'
            Get-DdaTestServeProcessId | Should -BeNullOrEmpty
            $log = Get-Content $env:FAKE_DDA_LOG
            @($log | Where-Object { $_ -match ' serve$' }).Count | Should -Be 2
            @($log | Where-Object { $_ -match ' eof 1$' }).Count | Should -Be 2
        } finally { $env:DDABRIDGE_ONESHOT = $saved }
    }

    It 'maps an engine error to an ErrorRecord in one-shot mode too' {
        $env:FAKE_DDA_MODE = 'noserve'
        Get-DdaDevice -Address 0000:09:00.0 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DeviceNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'turns progress events into Write-Progress and skips stray lines' {
        Mock -ModuleName DdaBridge -CommandName Write-Progress { }
        $result = & (Get-Module DdaBridge) { Invoke-DdaEngine -Command progress }
        $result | Should -Be 'done'
        Should -Invoke -ModuleName DdaBridge -CommandName Write-Progress -Exactly 3 -ParameterFilter {
            $Activity -eq 'Fake work' -and $PercentComplete -in 10, 50, 100 -and $Status -like 'step *'
        }
        Should -Invoke -ModuleName DdaBridge -CommandName Write-Progress -Exactly 1 -ParameterFilter { $Completed }
    }

    It 'writes engine errors as non-terminating ErrorRecords with the engine id, category and target' {
        $out = Get-DdaDevice -Address 0000:09:00.0, 0000:01:00.0 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $errs[0].FullyQualifiedErrorId | Should -Be 'DeviceNotFound,Get-DdaDevice'
        $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $errs[0].TargetObject | Should -Be '0000:09:00.0'
        $errs[0].Exception | Should -BeOfType [System.Management.Automation.ItemNotFoundException]
    }

    It 'takes id and category from the engine (<Mode>), with a RecommendedAction' -ForEach @(
        @{ Mode = 'serve'; OneShot = $null }, @{ Mode = 'one-shot'; OneShot = '1' }) {
        $saved = $env:DDABRIDGE_ONESHOT
        try {
            $env:DDABRIDGE_ONESHOT = $OneShot
            # Internal is NotSpecified in the engine's ErrorId table (the module's old exit-code
            # table said InvalidResult for its exit code 4).
            try { & (Get-Module DdaBridge) { Invoke-DdaEngine -Command internal -ErrorMode Throw } } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'Internal,Invoke-DdaEngine'
            $caught.CategoryInfo.Category | Should -Be 'NotSpecified'
            $caught.ErrorDetails.RecommendedAction | Should -Match 'bug'
            $caught.Exception.Data['Details'].Where | Should -Be 'fake'
            # Advice the engine gives wins over the module's per-id text.
            try { & (Get-Module DdaBridge) { Invoke-DdaEngine -Command advised -ErrorMode Throw } } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'Busy,Invoke-DdaEngine'
            $caught.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $caught.ErrorDetails.RecommendedAction | Should -Be 'Wait for operation 42.'
        } finally { $env:DDABRIDGE_ONESHOT = $saved }
    }

    It 'throws engine errors when asked to' {
        { & (Get-Module DdaBridge) { Invoke-DdaEngine -Command nosuchcommand -ErrorMode Throw } } |
            Should -Throw -ErrorId 'UnknownCommand,Invoke-DdaEngine'
        try { & (Get-Module DdaBridge) { Invoke-DdaEngine -Command nosuchcommand -ErrorMode Throw } } catch { $caught = $_ }
        $caught.CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'sends arguments on stdin as JSON, not on the command line' {
        $value = 'a "quoted" value with spaces; $(not expanded) & ünïcödé'
        $echo = & (Get-Module DdaBridge) { param($v) Invoke-DdaEngine -Command echo -Arguments @{ text = $v; skipped = $null } } $value
        $echo.text | Should -BeExactly $value
        $echo.PSObject.Properties.Name | Should -Not -Contain 'skipped'
        # The fake logs its command line ('<pid> serve') and, separately, each request it read.
        Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -notmatch '^\d+ request ' } | Should -Not -Match 'quoted'
        Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -notmatch '^\d+ request ' } | Select-Object -First 1 | Should -Match '^\d+ serve$'
    }

    It 'keeps non-ASCII text intact (UTF-8 without BOM both ways)' {
        (Get-DdaDevice 0000:01:00.0).DeviceName | Should -BeExactly 'QEMU NVM Express Controller — «Grüße» 日本'
    }

    It 'gives typed PascalCase objects' {
        $d = Get-DdaDevice 01:00.0
        $d.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Device'
        $d.PSObject.Properties.Name | Should -Contain 'LocationPath'
        $d.PSObject.Properties.Name | Should -Contain 'IommuGroup'
        $d.PSObject.Properties.Name | Should -Contain 'ComputerName'
        $d.ComputerName | Should -Be ([Environment]::MachineName)
        $d.InstanceID | Should -Be $d.InstanceId
        $d.Bars[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.Bar'
        $d.Bars[0].Is64Bit | Should -BeTrue
        $d.Bars[0].Size | Should -Be 16384
    }

    It 'can be stopped (Ctrl+C) while waiting, and stops the interrupted engine' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest)
                    Import-Module $manifest
                    Get-DdaDevice | Out-Null
                    & (Get-Module DdaBridge) { Invoke-DdaEngine -Command hang }
                }).AddArgument((Get-DdaTestModulePath))
            $async = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (-not (Test-Path $env:FAKE_DDA_LOG) -or -not (Select-String -Path $env:FAKE_DDA_LOG -Pattern ' serve' -Quiet)) {
                if ([datetime]::UtcNow -gt $deadline) { throw 'the fake engine did not start' }
                Start-Sleep -Milliseconds 100
            }
            Start-Sleep -Seconds 3   # let the request reach 'hang'
            $enginePid = [int] ((Get-Content $env:FAKE_DDA_LOG | Where-Object { $_ -match ' serve' } | Select-Object -First 1) -split ' ')[0]
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            # The interrupted engine cannot be trusted any more (a half-read answer): it is stopped.
            $engine = Get-Process -Id $enginePid -ErrorAction Ignore
            if ($engine) { $engine.WaitForExit(5000) | Out-Null; $engine.HasExited | Should -BeTrue }
        } finally {
            $ps.Dispose()
        }
    }

    It 'stops the serve process when the module is removed' {
        Get-DdaDevice | Out-Null
        $enginePid = Get-DdaTestServeProcessId
        Remove-Module DdaBridge -Force
        try {
            $p = Get-Process -Id $enginePid -ErrorAction Ignore
            if ($p) { $p.WaitForExit(5000) | Out-Null; $p.HasExited | Should -BeTrue }
        } finally {
            Import-DdaTestModule
        }
    }

    It 'reports a missing jar as EngineJarNotFound' {
        $saved = $env:DDABRIDGE_JAR
        try {
            $env:DDABRIDGE_JAR = Join-Path $TestDrive 'missing.jar'
            { Get-DdaDevice } | Should -Throw -ErrorId 'EngineJarNotFound,Get-DdaDevice'
        } finally { $env:DDABRIDGE_JAR = $saved }
    }

    It 'reports a missing java as JavaNotFound' {
        $saved = $env:DDABRIDGE_JAVA
        try {
            $env:DDABRIDGE_JAVA = Join-Path $TestDrive 'no-java'
            { Get-DdaDevice } | Should -Throw -ErrorId 'JavaNotFound,Get-DdaDevice'
        } finally { $env:DDABRIDGE_JAVA = $saved }
    }
}
