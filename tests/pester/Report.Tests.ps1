# Invoke-DdaSurvey over real PowerShell SSH remoting and Export-DdaReport.
#
# The test starts Debian's sshd (openssh-server) itself, three times on loopback ports, each with
# a throw-away host key and one authorized throw-away user key in a temporary folder and the
# pwsh SSH subsystem: "host-a" and "host-b" have DdaBridge (dist/ on PATH), "host-c" has not.
# Sessions reach them as host-a/-b/-c through ssh options (HostName=127.0.0.1, Port=...), so
# remoting names them as a fleet would be named. The daemons are stopped by their process ids.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    Stop-DdaTestEngine
    $script:Sshd = '/usr/sbin/sshd'
    if (-not (Test-Path -LiteralPath $Sshd)) { throw "Debian's openssh-server is missing ($Sshd): ./build.sh installs it for the tests." }
    $script:Pwsh = (Get-Process -Id $PID).Path
    $tool = Join-Path $HOME '.dotnet/tools/pwsh'
    if (Test-Path -LiteralPath $tool) { $script:Pwsh = $tool }
    $script:Dist = Split-Path -Parent (Split-Path -Parent (Get-DdaTestModulePath))
    if (-not (Test-Path -LiteralPath (Join-Path $Dist 'ddabridge'))) { throw "dist/ddabridge missing in $Dist (./build.sh)." }
    $script:Reference = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path

    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('ddabridge-sshd-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work
    & chmod 700 $Work
    foreach ($k in 'hostkey', 'userkey') {
        & ssh-keygen -q -t ed25519 -N '' -C "ddabridge-test-$k" -f (Join-Path $Work $k)
        if ($LASTEXITCODE -ne 0) { throw "ssh-keygen failed for $k" }
    }
    Copy-Item (Join-Path $Work 'userkey.pub') (Join-Path $Work 'authorized_keys')
    # sshd's privilege separation needs its empty chroot folder (the package creates it at boot).
    if (-not (Test-Path -LiteralPath /run/sshd)) { $null = New-Item -ItemType Directory -Path /run/sshd }

    function Get-FreePort {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p
    }

    $script:Daemons = @{}
    foreach ($name in 'host-a', 'host-b', 'host-c') {
        $port = Get-FreePort
        $path = if ($name -eq 'host-c') { '/usr/bin:/bin' } else { "${Dist}:/usr/local/bin:/usr/bin:/bin" }
        $config = Join-Path $Work "$name.conf"
        @(
            "ListenAddress 127.0.0.1:$port"
            "HostKey $(Join-Path $Work 'hostkey')"
            "PidFile $(Join-Path $Work "$name.pid")"
            "AuthorizedKeysFile $(Join-Path $Work 'authorized_keys')"
            'StrictModes no'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'UsePAM no'
            'PermitRootLogin prohibit-password'
            'AllowTcpForwarding no'
            "SetEnv PATH=$path PSModulePath=$(Join-Path $Work 'no-modules')"
            "Subsystem powershell $Pwsh -sshs -NoLogo"
            'LogLevel ERROR'
        ) | Set-Content -LiteralPath $config
        & $Sshd -t -f $config
        if ($LASTEXITCODE -ne 0) { throw "sshd rejects $config" }
        $p = Start-Process -FilePath $Sshd -ArgumentList '-D', '-e', '-f', $config -PassThru `
            -RedirectStandardError (Join-Path $Work "$name.log") -RedirectStandardOutput (Join-Path $Work "$name.out")
        $Daemons[$name] = @{ Process = $p; Port = $port }
    }
    foreach ($d in $Daemons.Values) {
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($true) {
            $c = [System.Net.Sockets.TcpClient]::new()
            try { $c.Connect('127.0.0.1', $d.Port); break } catch { if ([DateTime]::UtcNow -gt $deadline) { throw "sshd on port $($d.Port) did not start" } ; Start-Sleep -Milliseconds 200 } finally { $c.Dispose() }
        }
    }

    function Get-SshOption([int] $port) {
        @{ HostName = '127.0.0.1'; Port = "$port"; StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    }
    $script:Sessions = @{}
    foreach ($name in 'host-a', 'host-b', 'host-c') {
        $Sessions[$name] = New-PSSession -HostName $name -UserName root -KeyFilePath (Join-Path $Work 'userkey') `
            -Options (Get-SshOption $Daemons[$name].Port) -ConnectingTimeout 60000 -ErrorAction Stop
    }
    # What the survey of this machine holds, straight from the CLI (both "hosts" are this machine).
    # (Arrays have an Address() method, so addresses are taken with ForEach-Object, not member enumeration.)
    $script:Expected = @((& (Join-Path $Dist 'ddabridge') survey --json | ConvertFrom-Json).result.devices | ForEach-Object { $_.address })
    if ($Expected.Count -lt 1) { throw 'the survey of this machine found no PCI function' }
}

AfterAll {
    if ($script:Sessions) { $Sessions.Values | Remove-PSSession -ErrorAction SilentlyContinue }
    if ($script:Daemons) {
        foreach ($d in $Daemons.Values) { if (-not $d.Process.HasExited) { Stop-Process -Id $d.Process.Id -Force -ErrorAction SilentlyContinue } }
    }
    Stop-DdaTestEngine
    if ($script:Work) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'Invoke-DdaSurvey over SSH remoting' {
    It 'surveys two hosts and merges them into one fleet report' {
        $surveys = @(Invoke-DdaSurvey -Session $Sessions['host-a'], $Sessions['host-b'] -ThrottleLimit 2 -ErrorAction Stop)
        $surveys.Count | Should -Be 2
        ($surveys.PSComputerName | Sort-Object) | Should -Be @('host-a', 'host-b')
        foreach ($s in $surveys) {
            $s.PSObject.TypeNames[0] | Should -Be 'DdaBridge.RemoteSurvey'
            (@($s.Devices | ForEach-Object { $_.address }) | Sort-Object) | Should -Be ($Expected | Sort-Object)
            @($s.Checks).Count | Should -BeGreaterThan 3
            $s.IovSupport | Should -Be (-not ($s.Checks.status -contains 'fail'))
        }
        $out = Join-Path $Work 'fleet.html'
        $file = $surveys | Export-DdaReport -Path $out
        $file.FullName | Should -Be $out
        $html = Get-Content -LiteralPath $out -Raw
        foreach ($h in 'host-a', 'host-b') {
            $html | Should -Match ([regex]::Escape("<tr data-host=""$h"">"))
            $start = $html.IndexOf("data-host=""$h"">`n<h2>")
            $start | Should -BeGreaterThan 0
            $section = $html.Substring($start, $html.IndexOf('</section>', $start) - $start)
            foreach ($a in $Expected) { $section | Should -Match ([regex]::Escape("data-address=""$a""")) }
        }
        $html | Should -Match 'Fleet: 2 hosts'
        Copy-Item $out (Join-Path $RepoRoot 'java-core/target/report-ssh-fleet.html') -ErrorAction SilentlyContinue
    }

    It 'gives a host without DdaBridge its own error, not a failed batch' {
        $errs = $null
        $surveys = @(Invoke-DdaSurvey -Session $Sessions['host-a'], $Sessions['host-c'] -ErrorVariable errs -ErrorAction SilentlyContinue)
        $surveys.PSComputerName | Should -Be @('host-a')
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DdaBridgeNotInstalled*'
        $errs[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        $errs[0].TargetObject | Should -Be 'host-c'
        $errs[0].Exception.Message | Should -Match "not installed on 'host-c'"
    }

    It 'reaches hosts by -HostName; an unreachable one is its own error' {
        $errs = $null
        $o = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
        # 127.0.0.3 is loopback too, but no sshd listens there: connection refused at once.
        $surveys = @(Invoke-DdaSurvey -HostName 127.0.0.1, 127.0.0.3 -UserName root -Port $Daemons['host-b'].Port `
                -KeyFilePath (Join-Path $Work 'userkey') -Options $o -ErrorVariable errs -ErrorAction SilentlyContinue)
        $surveys.PSComputerName | Should -Be @('127.0.0.1')
        (@($surveys[0].Devices | ForEach-Object { $_.address }) | Sort-Object) | Should -Be ($Expected | Sort-Object)
        @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'RemoteSurveyFailed*' }).Count | Should -Be 1
        ($errs | Where-Object { $_.FullyQualifiedErrorId -like 'RemoteSurveyFailed*' }).TargetObject | Should -Be '127.0.0.3'
    }
}

Describe 'Export-DdaReport' {
    It 'renders Test-DdaDevice output of a host image with its host checks' {
        $out = Join-Path $Work 'image.html'
        $devices = @(Test-DdaDevice -Root $Reference)
        $devices | Export-DdaReport -Path $out | Out-Null
        $html = Get-Content -LiteralPath $out -Raw
        $html | Should -Match 'data-host="qemu-reference"'
        $devices.Count | Should -BeGreaterThan 10
        foreach ($a in ($devices | ForEach-Object { $_.Address })) { $html | Should -Match ([regex]::Escape("data-address=""$a""")) }
        $html | Should -Match '<td>IommuEnabled</td><td><span class="status s-pass">pass</span>'
        $html | Should -Match 'IOMMU group 11'
    }

    It 'refuses to overwrite without -Force, and overwrites with it' {
        $out = Join-Path $Work 'exists.html'
        Set-Content -LiteralPath $out -Value 'old'
        { Export-DdaReport -Path $out -Root $Reference -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,Export-DdaReport'
        Export-DdaReport -Path $out -Root $Reference -Force | Out-Null
        Get-Content -LiteralPath $out -Raw | Should -Match 'data-host="qemu-reference"'
    }

    It 'names what it cannot render' {
        $errs = $null
        'not a survey' | Export-DdaReport -Path (Join-Path $Work 'none.html') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedReportInput*'
        Test-Path -LiteralPath (Join-Path $Work 'none.html') | Should -BeFalse
    }
}
