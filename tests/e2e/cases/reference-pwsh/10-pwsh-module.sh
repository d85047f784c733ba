# The PowerShell module in the guest, in ONE pwsh start (pwsh takes 30-90 s to start under TCG):
# the Hyper-V seed script unchanged through DdaBridge.HyperVCompat (both NVMe into the pool), the
# reverse (Mount-VMHostAssignableDevice + Enable-PnpDevice), -WhatIf, pipeline dismount/mount,
# ErrorRecords (missing device, refused ne2k), a killed serve process restarted, and Microsoft's
# SurveyDDA.ps1 call for call (/out/SurveyDdaProbe.ps1, from tests/lib) on the live kernel, compared
# with the survey's targets.hyperv (one reading of the host for the whole probe: cheap under TCG).
# A boot of its own (topology reference-pwsh): pwsh under TCG takes minutes.
# e2e-expect: psm-seed-script psm-seed-pool psm-seed-sysfs psm-reverse-sysfs psm-reverse-blockdev
# e2e-expect: psm-whatif-unchanged psm-pipeline-dismount psm-pipeline-mount psm-error-notfound
# e2e-expect: psm-error-refused psm-serve-restart psm-final-nvme psm-final-blockdev
# e2e-expect: psm-surveydda-agree psm-surveydda-listed
# e2e-timeout: 900
. /out/lib.sh
NAMES="psm-seed-script psm-seed-pool psm-seed-sysfs psm-reverse-sysfs psm-reverse-blockdev psm-whatif-unchanged
 psm-pipeline-dismount psm-pipeline-mount psm-error-notfound psm-error-refused psm-serve-restart psm-final-nvme psm-final-blockdev
 psm-surveydda-agree psm-surveydda-listed"
if ! have_pwsh || [ ! -f /out/DdaBridge/DdaBridge.psd1 ] || [ ! -f /out/DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1 ] || [ ! -f /out/ddabridge.jar ] || [ ! -f /out/SurveyDdaProbe.ps1 ]; then
    for n in $NAMES; do fail $n "needs pwsh, /out/DdaBridge, /out/DdaBridge.HyperVCompat, /out/ddabridge.jar and /out/SurveyDdaProbe.ps1"; done; finish
fi
cat > /out/seed.ps1 <<'SEED'
$pnpdevs = Get-PnpDevice -PresentOnly | Where-Object {$_.Class -eq "SCSIAdapter"} | Where-Object {$_.Service -eq "stornvme"}
foreach ($pnpdev in $pnpdevs) {
       disable-pnpdevice -InstanceId $pnpdev.InstanceId -Confirm:$false
       $locationpath = ($pnpdev | get-pnpdeviceproperty DEVPKEY_Device_LocationPaths).data[0]
       dismount-vmhostassignabledevice -locationpath $locationpath
       $locationpath
}
SEED
cat > /out/pwsh-module.ps1 <<'PS1'
$ErrorActionPreference = 'Continue'
function Write-E2eResult([string] $Name, [bool] $Ok, [string] $Detail = '') {
    if ($Ok) { "PASS $Name" } else { "FAIL ${Name}: $Detail" }
}
function Drv([string] $a) {
    $l = "/sys/bus/pci/devices/$a/driver"
    if (Test-Path $l) { Split-Path -Leaf (Get-Item $l).Target } else { '' }
}
function Snap { (Get-ChildItem /sys/bus/pci/devices | ForEach-Object { "$($_.Name)=$(Drv $_.Name)" }) -join ' ' }
$sw = [Diagnostics.Stopwatch]::StartNew()
# Its own folder next to /out/DdaBridge (import by name from a PSModulePath folder: Pester).
Import-Module /out/DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1 -ErrorAction Stop
"INFO module imported after $($sw.Elapsed.TotalSeconds) s"
$nvme = @(Get-DdaDevice -Class 0108 | ForEach-Object Address)
"INFO first call (serve start) done after $($sw.Elapsed.TotalSeconds) s; NVMe: $($nvme -join ', ')"

# 1. The seed script, unchanged.
$seedOut = @(. /out/seed.ps1 2>&1)
foreach ($line in $seedOut) { "SEED $line" }
$paths = @($seedOut | Where-Object { $_ -is [string] -and $_ -like 'PCIROOT*' })
$errs = @($seedOut | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
Write-E2eResult psm-seed-script ($paths.Count -eq 2 -and $errs.Count -eq 0) "paths=$($paths -join ',') errors=$($errs -join ' | ')"
$pool = @(Get-VMHostAssignableDevice)
Write-E2eResult psm-seed-pool ((@($pool | Where-Object { $_.LocationPath -in $paths -and $_.State -eq 'held' }).Count -eq 2)) "pool=$($pool | ForEach-Object { "$($_.Address):$($_.State)" })"
Write-E2eResult psm-seed-sysfs ((@($nvme | Where-Object { (Drv $_) -eq 'vfio-pci' }).Count -eq 2)) "drivers: $($nvme | ForEach-Object { "$_=$(Drv $_)" })"
"INFO seed done after $($sw.Elapsed.TotalSeconds) s"

# 2. The reverse: Mount-VMHostAssignableDevice + Enable-PnpDevice.
foreach ($lp in $paths) { Mount-VMHostAssignableDevice -LocationPath $lp }
$afterMount = $nvme | ForEach-Object { "$_=$(Drv $_)" }
foreach ($d in @(Get-PnpDevice -Class SCSIAdapter)) { Enable-PnpDevice -InstanceId $d.InstanceId -Confirm:$false }
Write-E2eResult psm-reverse-sysfs ((@($nvme | Where-Object { (Drv $_) -eq 'nvme' }).Count -eq 2)) "after mount: $afterMount; after enable: $($nvme | ForEach-Object { "$_=$(Drv $_)" })"
$deadline = [datetime]::UtcNow.AddSeconds(20)
do {
    $blk = @($nvme | Where-Object { @(Get-ChildItem "/sys/bus/pci/devices/$_/nvme/*/nvme*n1" -ErrorAction Ignore).Count })
    if ($blk.Count -eq 2) { break }
    Start-Sleep -Milliseconds 500
} while ([datetime]::UtcNow -lt $deadline)
$dev = @(Get-ChildItem /dev -Filter 'nvme*n1' -ErrorAction Ignore)
Write-E2eResult psm-reverse-blockdev ($blk.Count -eq 2 -and $dev.Count -ge 2) "namespaces for $($blk -join ',') /dev: $($dev.Name -join ',')"
"INFO reverse done after $($sw.Elapsed.TotalSeconds) s"

# 3. -WhatIf changes nothing (and shows the engine's plan).
$before = Snap
Dismount-DdaHostAssignableDevice -Address $nvme[0] -WhatIf
$after = Snap
Write-E2eResult psm-whatif-unchanged ($before -eq $after) "before: $before after: $after"

# 4. Pipeline dismount and mount.
$ops = @(Get-DdaDevice -Class 0108 | Test-DdaDevice | Where-Object Verdict -eq Assignable | Dismount-DdaHostAssignableDevice -Confirm:$false)
Write-E2eResult psm-pipeline-dismount ($ops.Count -eq 2 -and (@($nvme | Where-Object { (Drv $_) -eq 'vfio-pci' }).Count -eq 2)) "ops=$($ops.Count) $($nvme | ForEach-Object { "$_=$(Drv $_)" })"
$ops = @(Get-DdaHostAssignableDevice | Mount-DdaHostAssignableDevice -Force)
Write-E2eResult psm-pipeline-mount ($ops.Count -eq 2 -and (@($nvme | Where-Object { (Drv $_) -eq 'nvme' }).Count -eq 2)) "ops=$($ops.Count) $($nvme | ForEach-Object { "$_=$(Drv $_)" })"

# 5. ErrorRecords.
Dismount-DdaHostAssignableDevice -Address 0000:0f:1f.7 -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue
Write-E2eResult psm-error-notfound ($e1.Count -ge 1 -and $e1[0].FullyQualifiedErrorId -eq 'DeviceNotFound,Dismount-DdaHostAssignableDevice' -and $e1[0].CategoryInfo.Category -eq 'ObjectNotFound') "$($e1 | ForEach-Object FullyQualifiedErrorId)"
$ne2k = @(Get-DdaDevice | Where-Object { $_.VendorId -eq '10ec' -and $_.DeviceId -eq '8029' } | ForEach-Object Address)
$before = Snap
Dismount-DdaHostAssignableDevice -Address $ne2k[0] -Force -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
Write-E2eResult psm-error-refused ($e2.Count -ge 1 -and $e2[0].FullyQualifiedErrorId -eq 'Refused,Dismount-DdaHostAssignableDevice' -and $e2[0].CategoryInfo.Category -eq 'PermissionDenied' -and (Snap) -eq $before) "$($e2 | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.CategoryInfo.Category) $($_.Exception.Message)" })"

# 6. A killed serve process is restarted transparently.
$pid1 = & (Get-Module DdaBridge) { $script:DdaServe.Process.Id }
Stop-Process -Id $pid1 -Force
Start-Sleep -Milliseconds 300
$again = @(Get-DdaDevice -Class 0108)
$pid2 = & (Get-Module DdaBridge) { $script:DdaServe.Process.Id }
Write-E2eResult psm-serve-restart ($again.Count -eq 2 -and $pid2 -and $pid2 -ne $pid1) "pid1=$pid1 pid2=$pid2 devices=$($again.Count)"

# 7. SurveyDDA.ps1's calls on the live kernel (msi_irqs, irq) agree with the survey's targets.hyperv.
. /out/SurveyDdaProbe.ps1
$env:DDABRIDGE_COMPAT_CACHE_SECONDS = '900'
$probe = Invoke-SurveyDdaProbe
$env:DDABRIDGE_COMPAT_CACHE_SECONDS = $null
$expected = Get-SurveyDdaExpectation -Survey (DdaBridge\Invoke-DdaEngineRequest -Command survey)
$diff = @(Compare-SurveyDdaResult -Probe $probe -Expected $expected)
foreach ($p in $probe.Devices) { "SURVEYDDA $($p.InstanceId) $($p.Outcome) $($p.Kind) $($p.Interrupts) $($p.MmioMB) $($p.LocationPath)" }
"SURVEYDDA host IovSupport=$($probe.IovSupport) $($probe.IovSupportReasons -join '; ')"
Write-E2eResult psm-surveydda-agree ($diff.Count -eq 0 -and $probe.Devices.Count -gt 0) ($diff -join ' | ')
$listed = @($probe.Devices | Where-Object { $_.Outcome -eq 'Listed' -and $_.Interrupts -eq 'Message' -and $_.MmioMB -gt 0 -and $_.LocationPath -like 'PCIROOT(*' })
$nvmeIds = @(Get-PnpDevice -Class SCSIAdapter | ForEach-Object InstanceId)
Write-E2eResult psm-surveydda-listed ((@($listed | Where-Object { $_.InstanceId -in $nvmeIds }).Count -eq 2) -and $probe.IovSupport) "listed: $($listed.InstanceId -join ', ') nvme: $($nvmeIds -join ', ') IovSupport=$($probe.IovSupport)"
"INFO surveydda done after $($sw.Elapsed.TotalSeconds) s"
"INFO all done after $($sw.Elapsed.TotalSeconds) s"
PS1
t0=$(date +%s)
jroot_run DDABRIDGE_STATE_DIR=/tmp/ddab-pwsh-state DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 /root/.dotnet/tools/pwsh -NoProfile -NonInteractive -File /out/pwsh-module.ps1 \
    > /out/pwsh-module.out 2> /out/pwsh-module.err
rc=$?
echo "INFO pwsh run: rc=$rc, $(( $(date +%s) - t0 )) s"
grep -E '^(PASS|FAIL|SKIP|INFO|SEED|SURVEYDDA) ' /out/pwsh-module.out
for n in $NAMES; do
    case $n in psm-final-*) continue ;; esac
    grep -qE "^(PASS|FAIL|SKIP) $n( |:|$)" /out/pwsh-module.out || fail $n "not reported by pwsh (rc=$rc): $(tail -c 600 /out/pwsh-module.err | tr '\n' ' ')"
done
grep -q '^FAIL ' /out/pwsh-module.out && E2E_FAILS=$((E2E_FAILS + 1))
# After pwsh: both NVMe back on nvme with a namespace block device, seen from the shell.
ok=1; for B in $(pci_find 1b36:0010); do [ "$(pci_driver "$B")" = nvme ] || ok=0; done
[ $ok = 1 ] && pass psm-final-nvme || fail psm-final-nvme "$(for B in $(pci_find 1b36:0010); do echo "$B=$(pci_driver "$B")"; done)"
_all_ns() { for B in $(pci_find 1b36:0010); do n=$(nvme_namespaces "$B" | head -n1); [ -n "$n" ] && [ -b "/dev/$n" ] || return 1; done; }
wait_for 15 _all_ns && pass psm-final-blockdev || fail psm-final-blockdev "no /dev/nvme*n1 for every NVMe"
finish
