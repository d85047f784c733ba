# Shared helpers for the DdaBridge Pester tests. Dot-source it inside BeforeAll.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-DdaTestModulePath {
    # The module under test: $env:DDABRIDGE_MODULE, else the built copy in dist/.
    if ($env:DDABRIDGE_MODULE) { return $env:DDABRIDGE_MODULE }
    Join-Path $script:RepoRoot 'dist/DdaBridge/DdaBridge.psd1'
}

function Get-DdaTestCompatModulePath {
    # DdaBridge.HyperVCompat under test: $env:DDABRIDGE_COMPAT_MODULE, else the folder next to the
    # DdaBridge module's folder (dist/ lays them out side by side, as in a PSModulePath folder).
    if ($env:DDABRIDGE_COMPAT_MODULE) { return $env:DDABRIDGE_COMPAT_MODULE }
    Join-Path (Split-Path -Parent (Split-Path -Parent (Get-DdaTestModulePath))) 'DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1'
}

function Import-DdaTestModule {
    $path = Get-DdaTestModulePath
    if (-not (Test-Path -LiteralPath $path)) {
        throw "DdaBridge module not found at '$path'. Build dist/ (build.sh) or set DDABRIDGE_MODULE."
    }
    Get-Module DdaBridge | Remove-Module -Force
    Import-Module $path -Force -ErrorAction Stop
}

function Get-DdaTestJar {
    # The engine the module will use, found the same way the module does, or $null.
    if ($env:DDABRIDGE_JAR) { return $env:DDABRIDGE_JAR }
    $moduleDir = Split-Path -Parent (Get-DdaTestModulePath)
    foreach ($candidate in (Join-Path $moduleDir '../ddabridge.jar'), (Join-Path $moduleDir '../../dist/ddabridge.jar')) {
        if (Test-Path -LiteralPath $candidate) { return (Resolve-Path $candidate).Path }
    }
    $null
}

function Get-DdaTestServeProcessId {
    # PID of the module's serve process, or $null when none is running.
    & (Get-Module DdaBridge) { if ($script:DdaServe -and -not $script:DdaServe.Process.HasExited) { $script:DdaServe.Process.Id } }
}

function Stop-DdaTestEngine {
    $module = Get-Module DdaBridge
    if ($module) { & $module { Stop-DdaEngine; $script:DdaServeUnavailable = $null; $script:DdaServeWorked = $false } }
}

function New-DdaTestLink {
    # A relative symbolic link, as sysfs has them.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Target)
    $parent = Split-Path -Parent $Path
    if (-not (Test-Path -LiteralPath $parent)) { New-Item -ItemType Directory -Path $parent -Force | Out-Null }
    [void] [System.IO.Directory]::CreateSymbolicLink($Path, $Target)
}

function Set-DdaTestFile {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [AllowEmptyString()] [string] $Value)
    $parent = Split-Path -Parent $Path
    if (-not (Test-Path -LiteralPath $parent)) { New-Item -ItemType Directory -Path $parent -Force | Out-Null }
    [System.IO.File]::WriteAllText($Path, $Value + "`n", [System.Text.UTF8Encoding]::new($false))
}

function New-DdaTestHostImage {
    <#
    Builds a tiny host image (a directory standing for /) with two PCI functions:
      0000:00:02.0  PCIe root port 1b36:000c, driver pcieport, IOMMU group 1
      0000:01:00.0  NVMe controller 1b36:0010 (subsystem 1af4:1100, rev 02) behind it,
                    driver nvme, IOMMU group 2, NUMA node 0, one 64-bit BAR0 of 16 KiB at 0xfe000000
    with real relative symlinks, as in sysfs.
    #>
    param([Parameter(Mandatory)] [string] $Root)
    $sys = Join-Path $Root 'sys'
    $zeroLine = '0x0000000000000000 0x0000000000000000 0x0000000000000000'

    $functions = @(
        @{ Bdf = '0000:00:02.0'; Rel = 'pci0000:00/0000:00:02.0'; Vendor = '0x1b36'; Device = '0x000c'; Class = '0x060400'
            Revision = '0x00'; SubVendor = '0x1b36'; SubDevice = '0x0000'; Numa = '-1'; Driver = 'pcieport'; Group = '1'
            Resource = @(1..13 | ForEach-Object { $zeroLine }) }
        @{ Bdf = '0000:01:00.0'; Rel = 'pci0000:00/0000:00:02.0/0000:01:00.0'; Vendor = '0x1b36'; Device = '0x0010'; Class = '0x010802'
            Revision = '0x02'; SubVendor = '0x1af4'; SubDevice = '0x1100'; Numa = '0'; Driver = 'nvme'; Group = '2'
            Resource = @('0x00000000fe000000 0x00000000fe003fff 0x0000000000140204') + @(2..13 | ForEach-Object { $zeroLine }) }
    )
    New-Item -ItemType Directory -Path (Join-Path $sys 'devices/pci0000:00') -Force | Out-Null
    foreach ($f in $functions) {
        $dir = Join-Path $sys "devices/$($f.Rel)"
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        Set-DdaTestFile (Join-Path $dir 'vendor') $f.Vendor
        Set-DdaTestFile (Join-Path $dir 'device') $f.Device
        Set-DdaTestFile (Join-Path $dir 'class') $f.Class
        Set-DdaTestFile (Join-Path $dir 'revision') $f.Revision
        Set-DdaTestFile (Join-Path $dir 'subsystem_vendor') $f.SubVendor
        Set-DdaTestFile (Join-Path $dir 'subsystem_device') $f.SubDevice
        Set-DdaTestFile (Join-Path $dir 'numa_node') $f.Numa
        Set-DdaTestFile (Join-Path $dir 'resource') ($f.Resource -join "`n")
        Set-DdaTestFile (Join-Path $dir 'enable') '1'
        # Links relative to the function's directory, as the kernel makes them.
        $up = '../' * ($f.Rel.Split('/').Count + 1)       # back to sys/
        New-Item -ItemType Directory -Path (Join-Path $sys "bus/pci/drivers/$($f.Driver)") -Force | Out-Null
        New-DdaTestLink (Join-Path $dir 'driver') "${up}bus/pci/drivers/$($f.Driver)"
        New-DdaTestLink (Join-Path $sys "bus/pci/drivers/$($f.Driver)/$($f.Bdf)") "../../../../devices/$($f.Rel)"
        New-DdaTestLink (Join-Path $dir 'subsystem') "${up}bus/pci"
        New-DdaTestLink (Join-Path $dir 'iommu_group') "${up}kernel/iommu_groups/$($f.Group)"
        New-DdaTestLink (Join-Path $sys "kernel/iommu_groups/$($f.Group)/devices/$($f.Bdf)") "../../../../devices/$($f.Rel)"
        New-DdaTestLink (Join-Path $sys "bus/pci/devices/$($f.Bdf)") "../../../devices/$($f.Rel)"
    }
    Set-DdaTestFile (Join-Path $Root 'proc/cmdline') 'BOOT_IMAGE=/vmlinuz root=/dev/vda1 intel_iommu=on iommu=pt'
    Set-DdaTestFile (Join-Path $Root 'etc/hostname') 'fixture-host'
    $Root
}

function New-DdaTestMutableTree {
    <#
    A writable fake sysfs tree for state-changing cmdlets: the QEMU reference host image unpacked
    into a fresh directory (the engine drives such trees with its simulated kernel; nothing here
    touches this machine's /sys).
    #>
    param([string] $Root)
    # Outside $TestDrive on purpose: Pester's TestDrive cleanup walks into the tree's sysfs-style
    # symlink cycles (subsystem -> bus/pci -> devices -> ...) and runs out of memory. Remove the
    # trees with Remove-DdaTestMutableTree (rm -rf does not follow links).
    $Root = Join-Path ([System.IO.Path]::GetTempPath()) ("ddabridge-pester-tree-$PID-" + [guid]::NewGuid().ToString('N'))
    $image = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path
    New-Item -ItemType Directory -Path $Root -Force | Out-Null
    # tar complains about two sys/block/*/dev entries it cannot recreate; the tree is complete without them.
    & tar -xzf $image -C $Root 2>$null
    if (-not (Test-Path (Join-Path $Root 'sys/bus/pci/devices/0000:01:00.0'))) { throw "could not unpack $image into $Root" }
    $Root
}

function Get-DdaTestDriverState {
    # address=driver|override for every function of a fake tree (to prove what changed).
    param([Parameter(Mandatory)] [string] $Root)
    (Get-ChildItem (Join-Path $Root 'sys/bus/pci/devices') | Sort-Object Name | ForEach-Object {
        $dir = $_.FullName
        $drv = if (Test-Path "$dir/driver") { Split-Path -Leaf (Get-Item "$dir/driver").Target } else { '' }
        $ov = if (Test-Path "$dir/driver_override") { (Get-Content "$dir/driver_override" -Raw).Trim() } else { '' }
        "$($_.Name)=$drv|$ov"
    }) -join ' '
}

function Get-DdaTestHostOutput {
    # What a script block writes to the host (ShouldProcess's "What if:" lines go there, not to a
    # stream), captured with a transcript.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $file = [System.IO.Path]::GetTempFileName()
    Start-Transcript -Path $file -Force | Out-Null
    try { & $ScriptBlock | Out-Host } finally { Stop-Transcript | Out-Null }
    $text = Get-Content -Raw $file
    Remove-Item $file -Force
    $text
}

function Remove-DdaTestMutableTree {
    # The trees New-DdaTestMutableTree made in this process.
    Get-ChildItem -Path ([System.IO.Path]::GetTempPath()) -Filter "ddabridge-pester-tree-$PID-*" -Directory -ErrorAction Ignore |
        ForEach-Object { & rm -rf -- $_.FullName }
}

function Get-DdaTestEngineChild {
    # PIDs of the engine processes (java ... ddabridge.jar serve) this PowerShell process started.
    @(& pgrep -P $PID -f 'ddabridge.*[.]jar [s]erve' 2>$null | ForEach-Object { [int] $_ })
}

function Suspend-DdaTestProcess {
    # SIGSTOP: the engine stays alive but answers nothing until it is killed (a request sent now is
    # held, never answered).
    param([Parameter(Mandatory)] [int] $ProcessId)
    & kill -STOP $ProcessId
    if ($LASTEXITCODE -ne 0) { throw "kill -STOP $ProcessId failed" }
}

function Start-DdaTestKiller {
    <#
    A separate process that SIGKILLs an engine from outside: -ProcessId after -DelaySeconds, or
    -FirstChildOf: the first engine process that PID starts from now on, as soon as it exists.
    Exit code 0 once it has killed, 1 when there was nothing to kill within 30 s.
    #>
    param([int] $ProcessId, [double] $DelaySeconds = 1, [int] $FirstChildOf)
    $script = if ($FirstChildOf) {
        'for i in $(seq 1500); do p=$(pgrep -P "$1" -f "ddabridge.*[.]jar [s]erve" | head -1); ' +
        'if [ -n "$p" ]; then kill -KILL "$p" && exit 0; fi; sleep 0.02; done; exit 1'
    } else {
        'sleep "$2"; kill -KILL "$1"'
    }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('bash')
    foreach ($a in '-c', $script, 'killer', [string] $(if ($FirstChildOf) { $FirstChildOf } else { $ProcessId }),
        [string]::Format([cultureinfo]::InvariantCulture, '{0}', $DelaySeconds)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    [System.Diagnostics.Process]::Start($psi)
}
