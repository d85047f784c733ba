# A stand-in for `java <jvm flags> -jar ddabridge.jar <command> ...`, used to test the module's
# transport (Private/Invoke-DdaEngine.ps1) without the Java engine. It speaks the engine
# contract: one-shot `<command> --json [--option value]...` and `serve` (JSON Lines on stdin).
#
# Behaviour is steered by environment variables:
#   FAKE_DDA_MODE     normal (default) | noserve (serve exits at once with code 2)
#   FAKE_DDA_LOG      file that gets one line per started process: "<pid> <command>"
# Commands: devices (args address/class filter the canned list), progress (emits 3 progress
# events, a stale line and a line for another id before answering), crash (exits mid-request),
# echo (returns its args), hang (never answers), anything else -> error NotImplemented.
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
if ($env:FAKE_DDA_LOG) { Add-Content -LiteralPath $env:FAKE_DDA_LOG -Value "$PID $command $($rest -join ' ')" }

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

if ($command -eq 'serve') {
    if ($env:FAKE_DDA_MODE -eq 'noserve') {
        [Console]::Error.WriteLine('fake engine: serve is not available')
        exit 2
    }
    [Console]::Error.WriteLine("fake engine $PID serving")
    while ($null -ne ($line = [Console]::In.ReadLine())) {
        if (-not $line.Trim()) { continue }
        $req = ConvertFrom-Json -InputObject $line -AsHashtable
        $id = $req.id
        $reqArgs = if ($req.args) { $req.args } else { @{} }
        if ($req.command -eq 'crash') {
            [Console]::Error.WriteLine('fake engine: crashing as asked')
            exit 4
        }
        if ($req.command -eq 'hang') {
            Start-Sleep -Seconds 120
            continue
        }
        if ($req.command -eq 'progress') {
            [Console]::Out.Write("this is not json`n")
            Write-Line ([ordered]@{ id = $id + 1000; ok = $true; result = 'stale' })
            foreach ($p in 10, 50, 100) {
                Write-Line ([ordered]@{ id = $id; event = 'progress'; activity = 'Fake work'; percent = $p; status = "step $p" })
            }
            Write-Line ([ordered]@{ schemaVersion = 1; id = $id; ok = $true; result = 'done' })
            continue
        }
        $answer = Get-Answer $req.command $reqArgs
        $envelope = [ordered]@{ schemaVersion = 1; id = $id }
        foreach ($k in $answer.Keys) { $envelope[$k] = $answer[$k] }
        Write-Line $envelope
    }
    exit 0
}

# One-shot: <command> --json [--kebab-option value]... [-- ADDRESS...]
$a = @{}
for ($i = 1; $i -lt $rest.Count; $i++) {
    if ($rest[$i] -eq '--json') { continue }
    if ($rest[$i] -eq '--') {
        if ($i + 1 -lt $rest.Count) { $a['address'] = $rest[$i + 1] }
        break
    }
    if ($rest[$i].StartsWith('--')) {
        $key = [regex]::Replace($rest[$i].Substring(2), '-([a-z])', { $args[0].Groups[1].Value.ToUpperInvariant() })
        $a[$key] = $rest[$i + 1]
        $i++
    }
}
$answer = Get-Answer $command $a
$envelope = [ordered]@{ schemaVersion = 1 }
foreach ($k in $answer.Keys) { $envelope[$k] = $answer[$k] }
Write-Line $envelope
if ($answer.ok) { exit 0 }
exit $(if ($answer.error.category -eq 'ObjectNotFound') { 3 } else { 1 })
