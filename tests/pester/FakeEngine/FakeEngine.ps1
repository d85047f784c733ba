# A stand-in for `java <jvm flags> -jar ddabridge.jar serve`, used to test the module's transport
# (Private/Engine*.ps1, Invoke-DdaEngine.ps1) without the Java engine. It speaks the engine's
# serve contract: JSON Lines on stdin, answers on stdout, exit at end of input. The module's
# one-shot mode is the same command given one request line and then end of input.
#
# Behaviour is steered by environment variables:
#   FAKE_DDA_MODE     normal (default) | noserve (a long-lived session is refused: after the first
#                     request line, unless end of input follows within 1.5 s, exit with code 2;
#                     one-shot processes, whose stdin closes right after the request, are answered)
#   FAKE_DDA_LOG      file that gets a line per started process ("<pid> <arguments after the jar>",
#                     so "<pid> serve" when nothing else is on the command line), per request
#                     ("<pid> request <command> <args as JSON>"), per refused session
#                     ("<pid> refused") and at end of input ("<pid> eof <requests answered>")
# Commands: devices (args address/class filter the canned list), progress (emits 3 progress
# events, a stale line and a line for another id before answering), crash (exits mid-request),
# echo (returns its args), hang (never answers), internal / advised (engine errors Internal and
# Busy, the latter with a recommendedAction), anything else -> error UnknownCommand/NotImplemented.
$ErrorActionPreference = 'Stop'
$utf8 = [System.Text.UTF8Encoding]::new($false)
[Console]::OutputEncoding = $utf8
[Console]::InputEncoding = $utf8

$rest = [System.Collections.Generic.List[string]]::new()
$sawJar = $false
for ($i = 0; $i -lt $args.Count; $i++) {
    if (-not $sawJar) {
        if ($args[$i] -eq '-jar') { $sawJar = $true; $i++ }
        continue
    }
    $rest.Add([string] $args[$i])
}
$command = if ($rest.Count) { $rest[0] } else { '' }
if ($env:FAKE_DDA_LOG) { Add-Content -LiteralPath $env:FAKE_DDA_LOG -Value "$PID $($rest -join ' ')" }

$devices = @(
    [ordered]@{
        address = '0000:00:02.0'; locationPath = 'PCIROOT(0)#PCI(0200)'; instanceId = 'PCI\VEN_1B36&DEV_000C&SUBSYS_00001B36&REV_00\3&0&0&0010'
        vendorId = '1b36'; deviceId = '000c'; subsystemVendorId = '1b36'; subsystemId = '0000'; revision = '00'
        classCode = '060400'; className = 'PCI bridge'; vendorName = 'Red Hat, Inc.'; deviceName = 'QEMU PCIe Root port'
        driver = 'pcieport'; iommuGroup = 1; numaNode = $null; bars = @(); parent = $null
    },
    [ordered]@{
        address = '0000:01:00.0'; locationPath = 'PCIROOT(0)#PCI(0200)#PCI(0000)'; instanceId = 'PCI\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02\4&1&0&0010'
        vendorId = '1b36'; deviceId = '0010'; subsystemVendorId = '1af4'; subsystemId = '1100'; revision = '02'
        classCode = '010802'; className = 'Non-Volatile memory controller'; vendorName = 'Red Hat, Inc.'
        deviceName = 'QEMU NVM Express Controller — «Grüße» 日本'
        driver = 'nvme'; iommuGroup = 2; numaNode = 0; parent = '0000:00:02.0'
        bars = @([ordered]@{ index = 0; start = 4273995776; size = 16384; type = 'memory'; is64Bit = $true; prefetchable = $false })
    }
)

function Get-Answer($cmd, $a) {
    switch ($cmd) {
        'devices' {
            $list = $devices
            if ($a.address) { $list = @($list | Where-Object { $_.address -eq $a.address }) }
            if ($a.locationPath) { $list = @($list | Where-Object { $_.locationPath -eq $a.locationPath }) }
            if ($a.class) { $list = @($list | Where-Object { $_.classCode.StartsWith($a.class) }) }
            if (($a.address -or $a.locationPath) -and $list.Count -eq 0) {
                return [ordered]@{ ok = $false; error = [ordered]@{ id = 'DeviceNotFound'; category = 'ObjectNotFound'; message = "No PCI device $($a.address)$($a.locationPath)"; target = "$($a.address)$($a.locationPath)" } }
            }
            return [ordered]@{ ok = $true; result = @($list) }
        }
        'echo' { return [ordered]@{ ok = $true; result = $a } }
        'internal' {
            return [ordered]@{ ok = $false; error = [ordered]@{ id = 'Internal'; category = 'NotSpecified'; message = 'Fake bug'; target = $cmd; details = [ordered]@{ where = 'fake' } } }
        }
        'advised' {
            return [ordered]@{ ok = $false; error = [ordered]@{ id = 'Busy'; category = 'ResourceBusy'; message = 'Locked'; target = $cmd; recommendedAction = 'Wait for operation 42.' } }
        }
        default {
            return [ordered]@{ ok = $false; error = [ordered]@{ id = 'UnknownCommand'; category = 'NotImplemented'; message = "Unknown command '$cmd'"; target = $cmd } }
        }
    }
}

function Write-Line($object) {
    $json = ConvertTo-Json -InputObject $object -Depth 20 -Compress
    [Console]::Out.Write($json + "`n")
    [Console]::Out.Flush()
}

function Write-Log([string] $Text) {
    if ($env:FAKE_DDA_LOG) { Add-Content -LiteralPath $env:FAKE_DDA_LOG -Value "$PID $Text" }
}

if ($command -ne 'serve') {
    # The real engine's CLI subcommands are not the module's protocol: fail loudly if used.
    [Console]::Error.WriteLine("fake engine: unexpected command line: $($rest -join ' ')")
    exit 2
}
[Console]::Error.WriteLine("fake engine $PID serving")
# A StreamReader of its own: Console.In's ReadLineAsync blocks, and noserve needs a timed read.
$stdin = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $utf8)
$answered = 0
$pending = $stdin.ReadLineAsync()
while ($null -ne ($line = $pending.GetAwaiter().GetResult())) {
    $pending = $null
    if (-not $line.Trim()) { $pending = $stdin.ReadLineAsync(); continue }
    $req = ConvertFrom-Json -InputObject $line -AsHashtable
    $id = $req.id
    $reqArgs = if ($req.args) { $req.args } else { @{} }
    Write-Log "request $($req.command) $(ConvertTo-Json -InputObject $reqArgs -Compress -Depth 10)"
    if ($env:FAKE_DDA_MODE -eq 'noserve' -and $answered -eq 0) {
        $pending = $stdin.ReadLineAsync()
        if (-not $pending.Wait(1500) -or $null -ne $pending.Result) {
            Write-Log 'refused'
            [Console]::Error.WriteLine('fake engine: serve is not available')
            exit 2
        }
    }
    if ($req.command -eq 'crash') {
        [Console]::Error.WriteLine('fake engine: crashing as asked')
        exit 4
    }
    if ($req.command -eq 'hang') {
        Start-Sleep -Seconds 120
        if (-not $pending) { $pending = $stdin.ReadLineAsync() }
        continue
    }
    if ($req.command -eq 'progress') {
        [Console]::Out.Write("this is not json`n")
        Write-Line ([ordered]@{ id = $id + 1000; ok = $true; result = 'stale' })
        foreach ($p in 10, 50, 100) {
            Write-Line ([ordered]@{ id = $id; event = 'progress'; activity = 'Fake work'; percent = $p; status = "step $p" })
        }
        Write-Line ([ordered]@{ schemaVersion = 1; id = $id; ok = $true; result = 'done' })
    } else {
        $answer = Get-Answer $req.command $reqArgs
        $envelope = [ordered]@{ schemaVersion = 1; id = $id }
        foreach ($k in $answer.Keys) { $envelope[$k] = $answer[$k] }
        Write-Line $envelope
    }
    $answered++
    if (-not $pending) { $pending = $stdin.ReadLineAsync() }
}
Write-Log "eof $answered"
exit 0
