# Microsoft's complete DDA flow, its lines unchanged (the device filter picks the guest's NVMe instead of an NVIDIA
# GPU, the VM is the libvirt domain), through DdaBridge.HyperVCompat in ONE pwsh start against the running libvirt
# domain: Set-VM (the four DDA settings), Disable-PnpDevice, Dismount-VMHostAssignableDevice -LocationPath,
# Add-VMAssignableDevice -LocationPath -VMName, Get-VMAssignableDevice, Remove-VMAssignableDevice,
# Mount-VMHostAssignableDevice, Enable-PnpDevice. After every line: virsh dumpxml live and --inactive (hostdev,
# pcihole64), QEMU's query-pci through virsh qemu-monitor-command, and the device's driver in sysfs.
# e2e-timeout: 1000
# e2e-expect: libvirt-pwsh-set-stop libvirt-pwsh-set-cache libvirt-pwsh-set-low libvirt-pwsh-set-high
# e2e-expect: libvirt-pwsh-find libvirt-pwsh-disable libvirt-pwsh-dismount libvirt-pwsh-add libvirt-pwsh-add-query-pci
# e2e-expect: libvirt-pwsh-get libvirt-pwsh-get-vm libvirt-pwsh-remove libvirt-pwsh-mount libvirt-pwsh-enable
# e2e-expect: libvirt-pwsh-no-errors libvirt-pwsh-final-nvme
. /out/lib.sh; . /out/vm-lib.sh
NAMES="libvirt-pwsh-set-stop libvirt-pwsh-set-cache libvirt-pwsh-set-low libvirt-pwsh-set-high libvirt-pwsh-find
 libvirt-pwsh-disable libvirt-pwsh-dismount libvirt-pwsh-add libvirt-pwsh-add-query-pci libvirt-pwsh-get libvirt-pwsh-get-vm
 libvirt-pwsh-remove libvirt-pwsh-mount libvirt-pwsh-enable libvirt-pwsh-no-errors"
if ! have_pwsh || [ ! -f /out/DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1 ] || [ ! -f /out/ddabridge.jar ]; then
    for n in $NAMES libvirt-pwsh-final-nvme; do fail $n "needs pwsh, /out/DdaBridge.HyperVCompat and /out/ddabridge.jar"; done; finish
fi
l2_ready $L2_DOMAIN_LOG 300 || echo "INFO libvirt vm not booted (hot-unplug needs its kernel)"
# Microsoft's script (Deploy graphics devices using DDA, and its "remove the device" part), one statement per line.
cat > /out/ms-dda.ps1 <<'MS'
$vm = "vmtest"
Set-VM -Name $vm -AutomaticStopAction TurnOff
Set-VM -GuestControlledCacheTypes $true -VMName $vm
Set-VM -LowMemoryMappedIoSpace 3Gb -VMName $vm
Set-VM -HighMemoryMappedIoSpace 33280Mb -VMName $vm
$pnpdevs = Get-PnpDevice -presentOnly
$gpudevs = $pnpdevs |where-object {$_.Class -like "SCSIAdapter" -and $_.Service -like "stornvme"}
$locationPath = ($gpudevs | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths).data[0]
Disable-PnpDevice  -InstanceId $gpudevs[0].InstanceId
Dismount-VMHostAssignableDevice -force -LocationPath $locationPath
Add-VMAssignableDevice -LocationPath $locationPath -VMName $vm
Get-VMAssignableDevice -VMName $vm
Remove-VMAssignableDevice -LocationPath $locationPath -VMName $vm
Mount-VMHostAssignableDevice -LocationPath $locationPath
Enable-PnpDevice -InstanceId $gpudevs[0].InstanceId
MS
cat > /out/ms-dda-check.ps1 <<'PS1'
$ErrorActionPreference = 'Continue'
# An administrator answers the prompts of Disable-/Enable-PnpDevice (ConfirmImpact High) with yes.
$ConfirmPreference = 'None'
$env:DDABRIDGE_STATE_DIR = '/tmp/ddab-state'
function Write-CaseResult([string] $Name, [bool] $Ok, [string] $Detail = '') { if ($Ok) { "PASS $Name" } else { "FAIL ${Name}: $Detail" } }
function Drv([string] $a) { $l = "/sys/bus/pci/devices/$a/driver"; if (Test-Path $l) { Split-Path -Leaf (Get-Item $l).Target } else { '' } }
function Xml([switch] $Inactive) { $a = @('-c', 'qemu:///system', 'dumpxml', 'vmtest'); if ($Inactive) { $a += '--inactive' }; (& /usr/bin/virsh @a) -join "`n" }
function PciIds {
    $j = (& /usr/bin/virsh -c qemu:///system qemu-monitor-command vmtest '{"execute":"query-pci"}') -join '' | ConvertFrom-Json
    $out = [System.Collections.Generic.List[string]]::new()
    $walk = { param($devs) foreach ($d in @($devs)) { if ($d) { $out.Add(('{0:x4}:{1:x4}' -f $d.id.vendor, $d.id.device)); if ($d.pci_bridge) { & $walk $d.pci_bridge.devices } } } }
    foreach ($b in @($j.return)) { & $walk $b.devices }
    , $out
}
function Src([string] $a) {   # the hostdev source element of a host address 0000:BB:SS.F
    $p = $a -split '[:.]'; "<address domain='0x$($p[0])' bus='0x$($p[1])' slot='0x$($p[2])' function='0x$($p[3])'/>"
}
function Wait-Until([int] $Seconds, [scriptblock] $Test) {
    $end = [datetime]::UtcNow.AddSeconds($Seconds)
    do { if (& $Test) { return $true }; Start-Sleep -Milliseconds 500 } while ([datetime]::UtcNow -lt $end)
    & $Test
}
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module /out/DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1 -ErrorAction Stop
"INFO module imported after $([int] $sw.Elapsed.TotalSeconds) s"
$allErrors = [System.Collections.Generic.List[object]]::new()
$lines = @(Get-Content /out/ms-dda.ps1 | Where-Object { $_.Trim() -and -not $_.TrimStart().StartsWith('#') })
$step = 0
foreach ($line in $lines) {
    $step++
    $t = $sw.Elapsed.TotalSeconds
    # what the script's user sees: output, errors and warnings of the line
    $output = @(. ([scriptblock]::Create($line)) 2>&1 3>&1)
    $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
    $errs = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $output = @($output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
    foreach ($e in $errs) { $allErrors.Add("${line}: $e") }
    "INFO step $step ($([int] ($sw.Elapsed.TotalSeconds - $t)) s): $line"
    foreach ($w in $warnings) { "INFO   warning: $($w.Message)" }
    $e = $errs -join ' | '
    $addr = if ($gpudevs) { $dev = @(Get-DdaDevice -InstanceId $gpudevs[0].InstanceId); if ($dev) { $dev[0].Address } }
    switch -Wildcard ($line) {
        'Set-VM -Name $vm -AutomaticStopAction*' {
            Write-CaseResult libvirt-pwsh-set-stop ($errs.Count -eq 0 -and @($warnings | Where-Object { $_.Message -like '*libvirt-guests*' }).Count -eq 1) "errors: $e warnings: $($warnings.Message)" }
        'Set-VM -GuestControlledCacheTypes*' { Write-CaseResult libvirt-pwsh-set-cache ($errs.Count -eq 0 -and $warnings.Count -eq 0) "errors: $e warnings: $($warnings.Message)" }
        'Set-VM -LowMemoryMappedIoSpace*' {
            Write-CaseResult libvirt-pwsh-set-low ($errs.Count -eq 0 -and @($warnings | Where-Object { $_.Message -like '*3072MB*noEquivalent*' }).Count -eq 1) "errors: $e warnings: $($warnings.Message)" }
        'Set-VM -HighMemoryMappedIoSpace*' {
            # 33280 MiB = 34078720 KiB in the persistent definition; the running domain keeps its hole until restarted
            $cfg = Xml -Inactive; $live = Xml
            $inCfg = $cfg -match "<pcihole64 unit='KiB'>34078720</pcihole64>"
            Write-CaseResult libvirt-pwsh-set-high ($errs.Count -eq 0 -and $inCfg -and $live -notmatch '34078720' -and @($warnings | Where-Object { $_.Message -like '*pendingRestart*' }).Count -eq 1) "errors: $e config pcihole64: $inCfg live has it: $($live -match '34078720') warnings: $($warnings.Message)" }
        '$locationPath = *' { Write-CaseResult libvirt-pwsh-find ($locationPath -like 'PCIROOT(*)#PCI(*)' -and $addr -and (Drv $addr) -eq 'nvme') "locationPath=$locationPath address=$addr driver=$(if ($addr) { Drv $addr })" }
        'Disable-PnpDevice*' { Write-CaseResult libvirt-pwsh-disable ($errs.Count -eq 0 -and (Drv $addr) -ne 'nvme') "errors: $e driver=$(Drv $addr)" }
        'Dismount-VMHostAssignableDevice*' { Write-CaseResult libvirt-pwsh-dismount ($errs.Count -eq 0 -and (Drv $addr) -eq 'vfio-pci' -and (Xml) -notmatch '<hostdev') "errors: $e driver=$(Drv $addr)" }
        'Add-VMAssignableDevice*' {
            $live = Xml; $cfg = Xml -Inactive; $src = Src $addr
            $ok = $errs.Count -eq 0 -and $live.Contains($src) -and $cfg.Contains($src) -and $live -match "managed='no'" -and $cfg -match "managed='no'"
            Write-CaseResult libvirt-pwsh-add $ok "errors: $e live has source: $($live.Contains($src)) config has source: $($cfg.Contains($src))"
            $seen = Wait-Until 90 { (PciIds) -contains '1b36:0010' }
            # one boolean whatever Wait-Until's test wrote to the pipeline; the detail as one argument
            $ids = (PciIds) -join ' '
            Write-CaseResult libvirt-pwsh-add-query-pci ([bool] (@($seen) -contains $true)) "query-pci: $ids"
            $held = Mount-VMHostAssignableDevice -LocationPath $locationPath -ErrorAction SilentlyContinue -ErrorVariable refused
            "INFO   mount while held: $($refused | ForEach-Object FullyQualifiedErrorId) $($refused | ForEach-Object { $_.Exception.Message })" }
        'Get-VMAssignableDevice*' {
            $vms = @(Get-VM -Name vmtest)
            Write-CaseResult libvirt-pwsh-get ($errs.Count -eq 0 -and @($output).Count -eq 1 -and $output[0].LocationPath -eq $locationPath -and $output[0].InstanceId -eq $gpudevs[0].InstanceId -and $output[0].Address -eq $addr) "errors: $e output: $($output | Format-List | Out-String)"
            Write-CaseResult libvirt-pwsh-get-vm ($vms.Count -eq 1 -and $vms[0].State -eq 'Running' -and $vms[0].Id -is [guid] -and @($vms[0].Devices).Count -eq 1 -and $vms[0].Devices[0].LocationPath -eq $locationPath) "vm: $($vms | Format-List | Out-String)" }
        'Remove-VMAssignableDevice*' {
            $gone = Wait-Until 20 { (Xml) -notmatch '<hostdev' }
            $cfg = Xml -Inactive; $ids = PciIds
            Write-CaseResult libvirt-pwsh-remove ($errs.Count -eq 0 -and $gone -and $cfg -notmatch '<hostdev' -and $ids -notcontains '1b36:0010' -and (Drv $addr) -eq 'vfio-pci') "errors: $e live gone: $gone config hostdev: $($cfg -match '<hostdev') query-pci: $($ids -join ' ') driver=$(Drv $addr)" }
        'Mount-VMHostAssignableDevice*' { Write-CaseResult libvirt-pwsh-mount ($errs.Count -eq 0 -and (Drv $addr) -ne 'vfio-pci') "errors: $e driver=$(Drv $addr)" }
        'Enable-PnpDevice*' {
            $blk = Wait-Until 20 { @(Get-ChildItem "/sys/bus/pci/devices/$addr/nvme/*/nvme*n1" -ErrorAction Ignore).Count -gt 0 }
            Write-CaseResult libvirt-pwsh-enable ($errs.Count -eq 0 -and (Drv $addr) -eq 'nvme' -and $blk) "errors: $e driver=$(Drv $addr) namespace: $blk" }
    }
}
Write-CaseResult libvirt-pwsh-no-errors ($allErrors.Count -eq 0) ($allErrors -join ' || ')
"INFO all done after $([int] $sw.Elapsed.TotalSeconds) s"
PS1
t0=$(date +%s)
jroot_run DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    /root/.dotnet/tools/pwsh -NoProfile -NonInteractive -File /out/ms-dda-check.ps1 > /out/ms-dda.out 2> /out/ms-dda.err
rc=$?
vm_info "pwsh DDA flow: rc=$rc, $(( $(date +%s) - t0 )) s"
grep -E '^(PASS|FAIL|SKIP|INFO) ' /out/ms-dda.out
for n in $NAMES; do
    grep -qE "^(PASS|FAIL|SKIP) $n( |:|$)" /out/ms-dda.out || fail $n "not reported by pwsh (rc=$rc): $(tail -c 600 /out/ms-dda.err | tr '\n' ' ')"
done
grep -q '^FAIL ' /out/ms-dda.out && E2E_FAILS=$((E2E_FAILS + 1))
# After pwsh, from the shell: every NVMe on nvme again, no hostdev left in the domain.
ok=1; for B in $(pci_find 1b36:0010); do [ "$(pci_driver "$B")" = nvme ] || ok=0; done
virsh dumpxml $L2_DOMAIN > /out/ms-dda-final.xml 2>&1
[ $ok = 1 ] && ! grep -q '<hostdev' /out/ms-dda-final.xml && pass libvirt-pwsh-final-nvme ||
    fail libvirt-pwsh-final-nvme "$(for B in $(pci_find 1b36:0010); do echo "$B=$(pci_driver "$B")"; done) hostdevs: $(grep -c '<hostdev' /out/ms-dda-final.xml)"
finish
