# SPDX-License-Identifier: MIT
#
# The calls Microsoft's SurveyDDA.ps1 (MicrosoftDocs/Virtualization-Documentation,
# hyperv-tools/DiscreteDeviceAssignment) makes, made the same way, with the conclusion for each
# device recorded instead of printed; and the conclusion DdaBridge's own survey (targets.hyperv)
# gives for the same device. Shared by tests/pester/SurveyDda.Tests.ps1 (host images, fake trees)
# and the QEMU case tests/e2e/cases/reference-pwsh (a live guest kernel). Written for DdaBridge;
# the script itself stays out of the repository. Needs DdaBridge.HyperVCompat imported.

# The PCI property keys SurveyDDA.ps1 reads, in the "{fmtid}  pid" form it passes (pciprop.h).
$script:SurveyDdaPci = '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}'

function Invoke-SurveyDdaProbe {
    <#
    One record per PCI device: Outcome (the message the script stops with, or Listed), Kind (the
    device-type line of a listed device), Interrupts (None / Message), MmioMB (the "requires at
    least N MB" figure, 0 for "no MMIO space"), LocationPath (what the script prints for a listed
    device), Disabled. Then one record for the host: IovSupport, IovSupportReasons.
    #>
    $devices = Get-PnpDevice -PresentOnly | Where-Object { $_.InstanceId -like 'PCI*' }
    $records = foreach ($dev in $devices) {
        $r = [ordered]@{ InstanceId = $dev.InstanceId; Outcome = $null; Kind = $null; Interrupts = $null; MmioMB = $null; LocationPath = $null }
        $reserved = ($dev | Get-PnpDeviceProperty "$script:SurveyDdaPci  34").Data
        if ($reserved -ne 0) { $r.Outcome = 'ReservedMemory'; [pscustomobject] $r; continue }
        $acs = ($dev | Get-PnpDeviceProperty "$script:SurveyDdaPci  31").Data
        if ($acs -eq 0) { $r.Outcome = 'AcsMissing'; [pscustomobject] $r; continue }
        $type = ($dev | Get-PnpDeviceProperty "$script:SurveyDdaPci  1").Data
        if ($type -eq 2) { $r.Kind = 'Express' }
        elseif ($type -eq 4) { $r.Kind = 'Embedded' }
        elseif ($type -eq 3) {
            if (($dev | Get-PnpDeviceProperty "$script:SurveyDdaPci  3").Data -eq 3) { $r.Kind = 'LegacyGraphics' }
            else { $r.Outcome = 'LegacyNonVga'; [pscustomobject] $r; continue }
        } elseif ($type -eq 5) { $r.Outcome = 'TreatedAsPci'; [pscustomobject] $r; continue }
        else { $r.Outcome = 'OldStyle'; [pscustomobject] $r; continue }
        $path = ($dev | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths).Data[0]
        if ($dev.ConfigManagerErrorCode -eq 'CM_PROB_DISABLED') {
            $r.Outcome = 'Listed'; $r.Disabled = $true; $r.LocationPath = $path; [pscustomobject] $r; continue
        }
        # The device's resources, found as the script finds them: its id with doubled backslashes
        # inside the association's Dependent path, IRQs told apart by the resource class in __RELPATH.
        $like = '*' + $dev.PNPDeviceID.Replace('\', '\\') + '*'
        $irqs = gwmi -query 'select * from Win32_PnPAllocatedResource' | Where-Object { $_.__RELPATH -like '*Win32_IRQResource*' } | Where-Object { $_.Dependent -like $like }
        if ($irqs.length -eq 0) { $r.Interrupts = 'None' }
        else {
            $msi = $irqs | Where-Object { $_.Antecedent -like '*IRQNumber=42949*' }
            if ($msi.length -eq 0) { $r.Outcome = 'LineBased'; [pscustomobject] $r; continue }
            $r.Interrupts = 'Message'
        }
        $ranges = gwmi -query 'select * from Win32_PnPAllocatedResource' | Where-Object { $_.__RELPATH -like '*Win32_DeviceMemoryAddress*' } | Where-Object { $_.Dependent -like $like }
        $total = 0
        foreach ($m in $ranges) {
            $start = $m.Antecedent.SubString($m.Antecedent.IndexOf('"') + 1)
            $start = $start.SubString(0, $start.IndexOf('"'))
            $range = gwmi -query 'select * from Win32_DeviceMemoryAddress' | Where-Object { $_.StartingAddress -like $start }
            $total = $total + $range.EndingAddress - $range.StartingAddress
        }
        $r.MmioMB = if ($total -eq 0) { 0 } else { [int] [math]::Ceiling($total / 1MB) }
        $r.Outcome = 'Listed'
        $r.LocationPath = $path
        [pscustomobject] $r
    }
    $vmhost = Get-VMHost
    [pscustomobject]@{ Devices = @($records); IovSupport = $vmhost.IovSupport; IovSupportReasons = @($vmhost.IovSupportReasons) }
}

function Get-SurveyDdaExpectation {
    <#
    The same record per device from DdaBridge's survey (an Invoke-DdaEngineRequest -Command survey
    result): targets.hyperv's reason codes walked in the script's order, "listed" exactly when the
    Hyper-V verdict is not NotAssignable, the MMIO figure from the survey's mmio, the host's
    IovSupport from its failing checks (Test-DdaHost's checks).
    #>
    param([Parameter(Mandatory)] $Survey)
    $oldStyle = 'ConventionalPci', 'BehindPciBridge', 'BridgeOrPort', 'HostBridge', 'ConfigSpaceIncomplete'
    $records = foreach ($d in $Survey.Devices) {
        $codes = @($d.Targets.Hyperv.Reasons | ForEach-Object Code)
        $r = [ordered]@{ InstanceId = $d.InstanceId; Outcome = $null; Kind = $null; Interrupts = $null; MmioMB = $null; LocationPath = $null
            Verdict = [string] $d.Targets.Hyperv.Verdict }
        if ($codes -contains 'ReservedMemoryRegion' -and @($d.Targets.Hyperv.Reasons | Where-Object { $_.Code -eq 'ReservedMemoryRegion' -and $_.Severity -eq 'error' }).Count) { $r.Outcome = 'ReservedMemory' }
        elseif ($codes -contains 'AcsPathMissing') { $r.Outcome = 'AcsMissing' }
        elseif ($codes -contains 'PcieEndpoint') { $r.Kind = 'Express' }
        elseif ($codes -contains 'RcIntegratedEndpoint') { $r.Kind = 'Embedded' }
        elseif ($codes -contains 'LegacyEndpointDisplay') { $r.Kind = 'LegacyGraphics' }
        elseif ($codes -contains 'LegacyEndpoint') { $r.Outcome = 'LegacyNonVga' }
        elseif ($codes -contains 'PcieTreatedAsPci') { $r.Outcome = 'TreatedAsPci' }
        else { $r.Outcome = 'OldStyle' }
        if (-not $r.Outcome) {
            if ($codes -contains 'DeviceDisabled') { $r.Outcome = 'Listed'; $r.Disabled = $true }
            elseif ($codes -contains 'LineInterruptsOnly') { $r.Outcome = 'LineBased' }
            else {
                $r.Interrupts = if ($codes -contains 'MessageSignaledInterrupts') { 'Message' } else { 'None' }
                $bytes = [long] $d.Mmio.BelowFourGiB + [long] $d.Mmio.AboveFourGiB
                $r.MmioMB = [int] [math]::Ceiling($bytes / 1MB)
                $r.Outcome = 'Listed'
            }
        }
        if ($r.Outcome -eq 'Listed') { $r.LocationPath = $d.LocationPath }
        [pscustomobject] $r
    }
    $failing = @($Survey.Host.Checks | Where-Object { $_.Status -eq 'fail' -and $_.Id -in 'IommuPresent', 'IommuEnabled', 'InterruptRemapping' } | ForEach-Object Id)
    [pscustomobject]@{ Devices = @($records); IovSupport = ($failing.Count -eq 0); FailingChecks = $failing }
}

function Compare-SurveyDdaResult {
    # Differences between the probe and the expectation, one line each (empty: they agree). Also
    # flags a survey that lists a device the Hyper-V verdict calls NotAssignable, or the reverse.
    param([Parameter(Mandatory)] $Probe, [Parameter(Mandatory)] $Expected)
    $byId = @{}
    foreach ($e in $Expected.Devices) { $byId[$e.InstanceId] = $e }
    foreach ($p in $Probe.Devices) {
        $e = $byId[$p.InstanceId]
        if (-not $e) { "$($p.InstanceId): not in the survey"; continue }
        $byId.Remove($p.InstanceId)
        foreach ($f in 'Outcome', 'Kind', 'Interrupts', 'MmioMB', 'LocationPath', 'Disabled') {
            $a = $p.PSObject.Properties[$f]; $b = $e.PSObject.Properties[$f]
            $av = if ($a) { $a.Value }; $bv = if ($b) { $b.Value }
            if ([string] $av -ne [string] $bv) { "$($p.InstanceId): $f script-way '$av', survey '$bv'" }
        }
        if (($e.Outcome -eq 'Listed') -ne ($e.Verdict -ne 'NotAssignable')) { "$($p.InstanceId): survey verdict $($e.Verdict) but the script's order says $($e.Outcome)" }
    }
    foreach ($k in $byId.Keys) { "${k}: in the survey, not listed by Get-PnpDevice" }
    if ([bool] $Probe.IovSupport -ne [bool] $Expected.IovSupport) { "host: IovSupport script-way $($Probe.IovSupport), survey's failing checks: $($Expected.FailingChecks -join ', ')" }
    foreach ($c in $Expected.FailingChecks) {
        if (-not @($Probe.IovSupportReasons | Where-Object { $_ -like "$c*" }).Count) { "host: IovSupportReasons lack the failing check $c" }
    }
}
