# Microsoft's SurveyDDA.ps1, call for call (tests/lib/SurveyDdaProbe.ps1), through
# DdaBridge.HyperVCompat on the QEMU host images and on fake trees made from them; each device's
# conclusion must be the one DdaBridge's survey gives in targets.hyperv, and Get-VMHost's IovSupport
# must follow the host checks. The probe reaches the images the way an unchanged script would:
# $env:DDABRIDGE_COMPAT_ROOT (no -Root on any call).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot '../lib/SurveyDdaProbe.ps1')
    Import-DdaTestModule
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
    Import-Module (Get-DdaTestCompatModulePath) -Force -ErrorAction Stop
    $script:Trees = [System.Collections.Generic.List[string]]::new()

    function New-SurveyDdaTree([string] $Image) {
        # A host image unpacked into a fresh directory (outside $TestDrive: see New-DdaTestMutableTree).
        $root = Join-Path ([System.IO.Path]::GetTempPath()) ("ddabridge-surveydda-$PID-" + [guid]::NewGuid().ToString('N'))
        $archive = (Resolve-Path (Join-Path $PSScriptRoot "../fixtures/hosts/$Image.tar.gz")).Path
        New-Item -ItemType Directory -Path $root -Force | Out-Null
        & tar -xzf $archive -C $root 2>$null
        if (-not (Test-Path (Join-Path $root 'sys/bus/pci/devices'))) { throw "could not unpack $archive into $root" }
        $script:Trees.Add($root)
        $root
    }

    function Get-FunctionDir([string] $Root, [string] $Address) {
        (Get-Item (Join-Path $Root "sys/bus/pci/devices/$Address")).ResolveLinkTarget($true).FullName
    }

    function Add-Rmrr([string] $Root, [int] $Bus, [int[]] $Path) {
        # Appends an RMRR (ACPI DMAR structure type 1) whose one endpoint scope is the device at
        # start bus $Bus, path (dev, fn) pairs $Path, and fixes the table length and checksum.
        $file = Join-Path $Root 'sys/firmware/acpi/tables/DMAR'
        $t = [System.Collections.Generic.List[byte]]::new([System.IO.File]::ReadAllBytes($file))
        $scope = [byte[]] (@(1, (6 + $Path.Count), 0, 0, 0, $Bus) + $Path)
        $rmrr = [System.Collections.Generic.List[byte]]::new()
        $rmrr.AddRange([BitConverter]::GetBytes([uint16] 1))
        $rmrr.AddRange([BitConverter]::GetBytes([uint16] (24 + $scope.Length)))
        $rmrr.AddRange([byte[]] (0, 0, 0, 0))                               # reserved, segment 0
        $rmrr.AddRange([BitConverter]::GetBytes([uint64] 0x7c000000))        # base
        $rmrr.AddRange([BitConverter]::GetBytes([uint64] 0x7c7fffff))        # limit (inclusive)
        $rmrr.AddRange($scope)
        $t.AddRange($rmrr)
        $bytes = $t.ToArray()
        [BitConverter]::GetBytes([uint32] $bytes.Length).CopyTo($bytes, 4)
        $bytes[9] = 0
        $sum = 0; foreach ($b in $bytes) { $sum = ($sum + $b) % 256 }
        $bytes[9] = [byte] ((256 - $sum) % 256)
        [System.IO.File]::WriteAllBytes($file, $bytes)
    }

    function Remove-MessageInterrupts([string] $Root, [string] $Address) {
        # The function loses its MSI and MSI-X capabilities (unlinked from the capability list) and
        # the kernel's msi_irqs: an INTx-only PCIe endpoint.
        $dir = Get-FunctionDir $Root $Address
        $cfgFile = Join-Path $dir 'config'
        $c = [System.IO.File]::ReadAllBytes($cfgFile)
        $prev = 0x34
        $ptr = $c[0x34] -band 0xfc
        $guard = 0
        while ($ptr -ne 0 -and $guard++ -lt 48) {
            $next = $c[$ptr + 1] -band 0xfc
            if ($c[$ptr] -eq 0x05 -or $c[$ptr] -eq 0x11) {
                if ($prev -eq 0x34) { $c[0x34] = $next } else { $c[$prev + 1] = $next }
            } else { $prev = $ptr }
            $ptr = $next
        }
        [System.IO.File]::WriteAllBytes($cfgFile, $c)
        Remove-Item -Recurse -Force (Join-Path $dir 'msi_irqs') -ErrorAction Ignore
        if ($c[0x3d] -eq 0) { throw "$Address has no interrupt pin: not an INTx device after all" }
    }

    function Remove-InterruptRemapping([string] $Root) {
        # A host whose kernel did not turn interrupt remapping on: no such line in its log, no IR-
        # interrupt chips in /proc/interrupts (the two places the engine looks).
        $log = Join-Path $Root 'dmesg.txt'
        Set-Content -LiteralPath $log -Value @(Get-Content -LiteralPath $log | Where-Object { $_ -notmatch 'remapping|DMAR-IR|IR-' })
        $irq = Join-Path $Root 'proc/interrupts'
        Set-Content -LiteralPath $irq -Value @(Get-Content -LiteralPath $irq | ForEach-Object { $_ -replace ' IR-', ' ' })
    }

    function Invoke-Agreement([string] $Root) {
        # Probe (the script's calls, no -Root) and survey for one tree, compared.
        $env:DDABRIDGE_COMPAT_ROOT = $Root
        try {
            $probe = Invoke-SurveyDdaProbe
        } finally { $env:DDABRIDGE_COMPAT_ROOT = $null }
        $survey = DdaBridge\Invoke-DdaEngineRequest -Command survey -Root $Root
        $expected = Get-SurveyDdaExpectation -Survey $survey
        [pscustomobject]@{ Probe = $probe; Expected = $expected; Differences = @(Compare-SurveyDdaResult -Probe $probe -Expected $expected) }
    }
}

AfterAll {
    foreach ($t in $script:Trees) { if ($t -and (Test-Path $t)) { & rm -rf -- $t } }
    Get-Module DdaBridge.HyperVCompat | Remove-Module -Force
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'SurveyDDA.ps1 through DdaBridge.HyperVCompat agrees with targets.hyperv' {
    It 'on the QEMU host image <_>' -ForEach 'qemu-reference', 'qemu-noacs', 'qemu-amd' {
        $root = New-SurveyDdaTree $_
        $r = Invoke-Agreement $root
        $r.Differences | Should -BeNullOrEmpty
        $r.Probe.Devices.Count | Should -Be @(Get-ChildItem (Join-Path $root 'sys/bus/pci/devices')).Count
        # Not vacuous: the images hold devices the script lists and devices it rejects.
        @($r.Probe.Devices | Where-Object Outcome -EQ 'Listed').Count | Should -BeGreaterThan 0
        @($r.Probe.Devices | Where-Object Outcome -NE 'Listed').Count | Should -BeGreaterThan 0
        $r.Probe.IovSupport | Should -BeTrue
    }

    It 'lists the reference NVMe with its location path and MMIO size, rejects the bridges and the ne2k' {
        $root = New-SurveyDdaTree 'qemu-reference'
        $r = Invoke-Agreement $root
        $pnp = @(Get-PnpDevice -Root $root)
        $nvme = $r.Probe.Devices | Where-Object InstanceId -EQ ($pnp | Where-Object Address -EQ '0000:01:00.0').InstanceId
        $nvme.Outcome | Should -Be 'Listed'
        $nvme.Kind | Should -Be 'Express'
        $nvme.Interrupts | Should -Be 'Message'
        $nvme.LocationPath | Should -Be 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        $nvme.MmioMB | Should -Be 1
        ($r.Probe.Devices | Where-Object InstanceId -EQ ($pnp | Where-Object Address -EQ '0000:00:02.0').InstanceId).Outcome | Should -Be 'OldStyle'
        ($r.Probe.Devices | Where-Object InstanceId -EQ ($pnp | Where-Object Address -EQ '0000:06:01.0').InstanceId).Outcome | Should -Be 'AcsMissing'
    }

    It 'a disabled device (Disable-PnpDevice on a fake tree): listed with its location path, resources not checked' {
        $root = New-SurveyDdaTree 'qemu-reference'
        $id = (Get-PnpDevice -Root $root | Where-Object Address -EQ '0000:02:00.0').InstanceId
        Disable-PnpDevice -InstanceId $id -Root $root -Confirm:$false
        $r = Invoke-Agreement $root
        $r.Differences | Should -BeNullOrEmpty
        $d = $r.Probe.Devices | Where-Object InstanceId -EQ $id
        $d.Outcome | Should -Be 'Listed'
        $d.Disabled | Should -BeTrue
        $d.LocationPath | Should -Be 'PCIROOT(0)#PCI(0300)#PCI(0000)'
        (Get-PnpDevice -Root $root -InstanceId $id).ConfigManagerErrorCode | Should -Be 22
        @(gwmi -Root $root -Query 'select * from Win32_PnPAllocatedResource' | Where-Object { $_.Dependent -like ('*' + $id.Replace('\', '\\') + '*') }).Count | Should -Be 0
    }

    It 'a device with a reserved memory region (RMRR in a fake tree''s DMAR): not assignable, the others unchanged' {
        $root = New-SurveyDdaTree 'qemu-reference'
        Add-Rmrr -Root $root -Bus 0 -Path 2, 0, 0, 0     # 00:02.0 -> 01:00.0
        $r = Invoke-Agreement $root
        $r.Differences | Should -BeNullOrEmpty
        $id = (Get-PnpDevice -Root $root | Where-Object Address -EQ '0000:01:00.0').InstanceId
        ($r.Probe.Devices | Where-Object InstanceId -EQ $id).Outcome | Should -Be 'ReservedMemory'
        @($r.Probe.Devices | Where-Object Outcome -EQ 'ReservedMemory').Count | Should -Be 1
    }

    It 'an INTx-only PCIe endpoint (MSI/MSI-X removed in a fake tree): all interrupts line-based' {
        $root = New-SurveyDdaTree 'qemu-reference'
        Remove-MessageInterrupts -Root $root -Address '0000:04:00.0'
        $r = Invoke-Agreement $root
        $r.Differences | Should -BeNullOrEmpty
        $id = (Get-PnpDevice -Root $root | Where-Object Address -EQ '0000:04:00.0').InstanceId
        $d = $r.Probe.Devices | Where-Object InstanceId -EQ $id
        $d.Outcome | Should -Be 'LineBased'
        $line = [uint32] (Get-Content (Join-Path (Get-FunctionDir $root '0000:04:00.0') 'irq'))
        @(gwmi -Root $root -Query 'select * from Win32_PnPAllocatedResource' | Where-Object { $_.Dependent -like ('*' + $id.Replace('\', '\\') + '*') -and $_.__RELPATH -like '*Win32_IRQResource*' } |
                ForEach-Object Antecedent) | Should -Be @("\\$([System.Environment]::MachineName)\root\cimv2:Win32_IRQResource.IRQNumber=$line")
    }

    It 'a host without interrupt remapping: IovSupport $false with the failing check as the reason' {
        $root = New-SurveyDdaTree 'qemu-reference'
        Remove-InterruptRemapping -Root $root
        $r = Invoke-Agreement $root
        $r.Differences | Should -BeNullOrEmpty
        $r.Probe.IovSupport | Should -BeFalse
        $r.Probe.IovSupportReasons | Should -HaveCount 1
        $r.Probe.IovSupportReasons[0] | Should -BeLike 'InterruptRemapping:*'
    }
}

Describe 'The pieces SurveyDDA.ps1 relies on' {
    BeforeAll { $script:Ref = New-SurveyDdaTree 'qemu-reference' }

    It 'Get-PnpDeviceProperty takes "{fmtid} pid" with any whitespace, names, arrays; Windows types' {
        $d = Get-PnpDevice -Root $Ref | Where-Object Address -EQ '0000:01:00.0'
        $p = @($d | Get-PnpDeviceProperty "{3ab22e31-8264-4b4e-9af5-a8d2d8e33e62}`t34", '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62} 31', DEVPKEY_PciDevice_DeviceType, '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  3')
        $p.KeyName | Should -Be @('DEVPKEY_PciDevice_RequiresReservedMemoryRegion', 'DEVPKEY_PciDevice_AcsCompatibleUpHierarchy', 'DEVPKEY_PciDevice_DeviceType', 'DEVPKEY_PciDevice_BaseClass')
        $p.Type | Should -Be @('Boolean', 'UInt32', 'UInt32', 'Byte')
        $p[0].Data | Should -BeOfType [bool]
        $p[0].Data | Should -BeFalse
        $p[1].Data | Should -Be 3
        $p[2].Data | Should -Be 2
        $p[3].Data | Should -Be 1
    }

    It 'an unknown key gives an Empty property and a non-terminating InvalidKey error' {
        $d = Get-PnpDevice -Root $Ref | Where-Object Address -EQ '0000:01:00.0'
        $p = @($d | Get-PnpDeviceProperty '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  250', DEVPKEY_Device_LocationPaths -ErrorVariable err -ErrorAction SilentlyContinue)
        $p.Count | Should -Be 2
        $p[0].Type | Should -Be 'Empty'
        $p[0].Data | Should -BeNullOrEmpty
        $p[1].Data[0] | Should -Be 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidKey,*'
    }

    It 'message-signalled IRQs count down from 4294967294, one per vector the kernel allocated' {
        $all = @(gwmi -Root $Ref -Query 'select * from Win32_IRQResource' | ForEach-Object IRQNumber)
        $msi = @($all | Where-Object { $_ -ge 4294967040 } | Sort-Object -Descending)
        $msi[0] | Should -Be 4294967294
        $vectors = 0
        foreach ($d in Get-ChildItem (Join-Path $Ref 'sys/bus/pci/devices')) {
            $m = Join-Path $d.ResolveLinkTarget($true).FullName 'msi_irqs'
            if (Test-Path $m) { $vectors += @(Get-ChildItem $m).Count }
        }
        $vectors | Should -BeGreaterThan 0
        # Bridges' vectors are not listed (the checker does not judge bridges' interrupts).
        $msi.Count | Should -BeLessOrEqual $vectors
        $msi[-1] | Should -Be (4294967294 - $msi.Count + 1)
    }

    It 'WQL: SELECT * FROM Win32_DeviceMemoryAddress WHERE StartingAddress = N, the same through Get-CimInstance' {
        $d = Get-PnpDevice -Root $Ref | Where-Object Address -EQ '0000:01:00.0'
        $res = Get-Content (Join-Path (Get-FunctionDir $Ref '0000:01:00.0') 'resource') | Select-Object -First 1
        $start = [Convert]::ToUInt64(($res -split '\s+')[0].Substring(2), 16)
        $end = [Convert]::ToUInt64(($res -split '\s+')[1].Substring(2), 16)
        $m = @(Get-WmiObject -Root $Ref -Query "SELECT * FROM Win32_DeviceMemoryAddress WHERE StartingAddress = $start")
        $m.Count | Should -Be 1
        $m[0].EndingAddress | Should -Be $end
        $m[0].__RELPATH | Should -Be "Win32_DeviceMemoryAddress.StartingAddress=`"$start`""
        $c = @(Get-CimInstance -Root $Ref -ClassName Win32_PnPAllocatedResource | Where-Object { $_.Dependent.DeviceID -eq $d.InstanceId })
        @($c | Where-Object { $_.Antecedent.StartingAddress -eq $start }).Count | Should -Be 1
        @($c | Where-Object { $_.Antecedent.IRQNumber -ge 4294967040 }).Count | Should -Be @(Get-ChildItem (Join-Path (Get-FunctionDir $Ref '0000:01:00.0') 'msi_irqs')).Count
        { Get-WmiObject -Root $Ref -Query 'SELECT * FROM Win32_Bogus' } | Should -Throw -ErrorId 'InvalidClass,Get-WmiObject'
        { Get-WmiObject -Root $Ref -Query 'DELETE FROM Win32_IRQResource' } | Should -Throw -ErrorId 'InvalidQuery,Get-WmiObject'
    }

    It 'Get-VMHost: name, logical processors, IovSupport from the host checks' {
        $h = Get-VMHost -Root $Ref
        $h.IovSupport | Should -BeTrue
        $h.IovSupportReasons | Should -BeNullOrEmpty
        $h.LogicalProcessorCount | Should -Be @(Get-Content (Join-Path $Ref 'proc/cpuinfo') | Where-Object { $_ -match '^processor\s*:' }).Count
        $h.ComputerName | Should -Be ((Test-DdaHost -Root $Ref).Hostname)
    }
}
