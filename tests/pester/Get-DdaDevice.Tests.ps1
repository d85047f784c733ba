# Get-DdaDevice against the real engine (dist/ddabridge.jar or $env:DDABRIDGE_JAR):
# on this machine (read only: nothing here writes to /sys), on a fake sysfs tree built in a
# temporary directory, and on the host images under tests/fixtures/hosts/.

BeforeDiscovery {
    $fixtureDir = Join-Path $PSScriptRoot '../fixtures/hosts'
    $script:HostImages = @(Get-ChildItem -Path $fixtureDir -Filter '*.tar.gz' -File -ErrorAction Ignore |
            ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $jar = Get-DdaTestJar
    if (-not $jar -or -not (Test-Path -LiteralPath $jar)) {
        throw "The engine jar was not found (dist/ddabridge.jar or DDABRIDGE_JAR); build it with ./build.sh."
    }
    # These tests are about the real engine, whatever a previous file left in the environment.
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
}

AfterAll {
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

# Linux only: on Windows the live backend is CfgMgr32 (JUnit's WindowsLiveTest); there this block is
# skipped and Invoke-Pester.ps1 lists it by name. On Linux a missing /sys/bus/pci fails it: no silent skip.
Describe 'Get-DdaDevice on this machine (read only)' -Skip:(-not $IsLinux) {
    BeforeAll {
        if (-not (Test-Path -LiteralPath '/sys/bus/pci/devices')) { throw 'this Linux machine has no /sys/bus/pci/devices to compare with' }
        $script:SysDevices = @(Get-ChildItem -Path '/sys/bus/pci/devices')
        $script:Devices = @(Get-DdaDevice)
    }

    It 'lists as many devices as /sys/bus/pci/devices holds' {
        $Devices.Count | Should -Be $SysDevices.Count
    }

    It 'gives addresses that are directories of /sys/bus/pci/devices' {
        foreach ($device in $Devices) {
            $device.Address | Should -Match '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$'
            Test-Path -LiteralPath "/sys/bus/pci/devices/$($device.Address)" | Should -BeTrue -Because $device.Address
        }
        @($Devices.ForEach("Address") | Sort-Object -Unique).Count | Should -Be $Devices.Count
    }

    It 'gives each device the vendor and device ids of its sysfs files' {
        foreach ($device in $Devices) {
            $dir = "/sys/bus/pci/devices/$($device.Address)"
            $device.VendorId | Should -BeExactly ((Get-Content -LiteralPath "$dir/vendor" -Raw).Trim() -replace '^0x', '') -Because $device.Address
            $device.DeviceId | Should -BeExactly ((Get-Content -LiteralPath "$dir/device" -Raw).Trim() -replace '^0x', '') -Because $device.Address
            $device.ClassCode | Should -BeExactly ((Get-Content -LiteralPath "$dir/class" -Raw).Trim() -replace '^0x', '') -Because $device.Address
        }
    }

    It 'gives each device the driver its sysfs driver link names' {
        foreach ($device in $Devices) {
            $link = Get-Item -LiteralPath "/sys/bus/pci/devices/$($device.Address)/driver" -ErrorAction Ignore
            $expected = if ($link) { Split-Path -Leaf $link.Target } else { $null }
            $device.Driver | Should -Be $expected -Because $device.Address
        }
    }

    It 'returns typed DdaBridge.Device objects with PascalCase properties' {
        $device = $Devices[0]
        $device.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Device'
        foreach ($name in 'Address', 'LocationPath', 'InstanceId', 'VendorId', 'DeviceId', 'SubsystemVendorId', 'SubsystemId',
            'Revision', 'ClassCode', 'ClassName', 'VendorName', 'DeviceName', 'Driver', 'IommuGroup', 'NumaNode', 'Bars',
            'Parent', 'ComputerName') {
            $device.PSObject.Properties.Name | Should -Contain $name
        }
        $device.PSObject.Properties.Name -ccontains 'address' | Should -BeFalse -Because 'names are PascalCase'
        $device.ComputerName | Should -Be ([Environment]::MachineName)
        $device.InstanceID | Should -BeExactly $device.InstanceId
        $device.LocationPath | Should -Match '^PCIROOT\(\d+\)(#PCI\([0-9A-F]{4}\))+$'
        $device.InstanceId | Should -Match '^PCI\\VEN_[0-9A-F]{4}&DEV_[0-9A-F]{4}&SUBSYS_[0-9A-F]{8}&REV_[0-9A-F]{2}\\'
    }

    It 'filters with Where-Object like any object stream' {
        $nvme = @($Devices | Where-Object Driver -EQ 'nvme')
        $expected = @($SysDevices | Where-Object {
                $link = Get-Item -LiteralPath (Join-Path $_.FullName 'driver') -ErrorAction Ignore
                $link -and (Split-Path -Leaf $link.Target) -eq 'nvme'
            })
        $nvme.Count | Should -Be $expected.Count
    }

    It 'gets one device by address, short form too' {
        $first = $Devices[0]
        (Get-DdaDevice -Address $first.Address).ForEach('Address') | Should -Be $first.Address
        (Get-DdaDevice $first.Address.Substring(5)).Address | Should -Be $first.Address
        (Get-DdaDevice $first.Address.ToUpperInvariant()).Address | Should -Be $first.Address
    }

    It 'takes Address, LocationPath and InstanceId from the pipeline by property name' {
        @($Devices | Get-DdaDevice).Count | Should -Be $Devices.Count
        @($Devices | Select-Object Address | Get-DdaDevice).ForEach('Address') | Should -Be $Devices.ForEach("Address")
        @($Devices | Select-Object LocationPath | Get-DdaDevice).ForEach('Address') | Should -Be $Devices.ForEach("Address")
        @($Devices | Select-Object InstanceId | Get-DdaDevice).ForEach('Address') | Should -Be $Devices.ForEach("Address")
        @($Devices.ForEach("Address") | Get-DdaDevice).ForEach('Address') | Should -Be $Devices.ForEach("Address")
    }

    It 'gives a DeviceNotFound ErrorRecord for an address that does not exist' {
        $result = Get-DdaDevice -Address 'ffff:ff:1f.7' -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DeviceNotFound*'
        $errs[0].FullyQualifiedErrorId | Should -Be 'DeviceNotFound,Get-DdaDevice'
        $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $errs[0].TargetObject | Should -Be 'ffff:ff:1f.7'
        { Get-DdaDevice -Address 'ffff:ff:1f.7' -ErrorAction Stop } | Should -Throw -ErrorId 'DeviceNotFound,Get-DdaDevice'
    }

    It 'keeps going after a missing address' {
        $out = @(Get-DdaDevice -Address 'ffff:ff:1f.7', $Devices[0].Address -ErrorAction SilentlyContinue -ErrorVariable errs)
        $out.Count | Should -Be 1
        $errs.Count | Should -Be 1
    }

    It 'reuses one serve process across calls and restarts it after it is killed' {
        Get-DdaDevice | Out-Null
        $first = Get-DdaTestServeProcessId
        $first | Should -Not -BeNullOrEmpty -Because 'serve mode must work with the real engine'
        Get-DdaDevice -Address $Devices[0].Address | Out-Null
        Get-DdaTestServeProcessId | Should -Be $first

        Stop-Process -Id $first -Force
        Get-Process -Id $first -ErrorAction Ignore | Wait-Process -Timeout 10 -ErrorAction Ignore
        $again = @(Get-DdaDevice -ErrorVariable errs)
        $errs | Should -BeNullOrEmpty
        $again.Count | Should -Be $Devices.Count
        $second = Get-DdaTestServeProcessId
        $second | Should -Not -BeNullOrEmpty
        $second | Should -Not -Be $first
    }

    It 'completes -Address and -LocationPath from the live device list' {
        $prefix = $Devices[0].Address.Substring(0, 8)
        $line = "Get-DdaDevice -Address $prefix"
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain $Devices[0].Address
        $line = 'Get-DdaDevice -LocationPath PCIROOT'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain ("'" + $Devices[0].LocationPath + "'")
    }
}

Describe 'Get-DdaDevice on a fake sysfs tree' {
    BeforeAll {
        # Outside $TestDrive: sysfs links form cycles (device/driver -> drivers/nvme/<bdf> ->
        # device) that Pester's TestDrive clean-up would follow.
        $script:ImageParent = Join-Path ([System.IO.Path]::GetTempPath()) ("ddabridge-pester-" + [guid]::NewGuid().ToString('N'))
        $script:ImageRoot = New-DdaTestHostImage -Root (Join-Path $ImageParent 'host')
        $script:Fake = @(Get-DdaDevice -Root $ImageRoot)
    }

    AfterAll {
        # Directory.Delete removes symbolic links without following them.
        if ($ImageParent -and (Test-Path -LiteralPath $ImageParent)) { [System.IO.Directory]::Delete($ImageParent, $true) }
    }

    It 'lists the two functions of the image' {
        $Fake.Count | Should -Be 2
        ($Fake.ForEach("Address") | Sort-Object) | Should -Be @('0000:00:02.0', '0000:01:00.0')
    }

    It 'reads ids, class, driver, IOMMU group, NUMA node and parent' {
        $nvme = $Fake | Where-Object Address -EQ '0000:01:00.0'
        $nvme.VendorId | Should -BeExactly '1b36'
        $nvme.DeviceId | Should -BeExactly '0010'
        $nvme.SubsystemVendorId | Should -BeExactly '1af4'
        $nvme.SubsystemId | Should -BeExactly '1100'
        $nvme.Revision | Should -BeExactly '02'
        $nvme.ClassCode | Should -BeExactly '010802'
        $nvme.Driver | Should -BeExactly 'nvme'
        $nvme.IommuGroup | Should -Be 2
        $nvme.NumaNode | Should -Be 0
        $nvme.Parent | Should -Be '0000:00:02.0'
        $bridge = $Fake | Where-Object Address -EQ '0000:00:02.0'
        $bridge.Driver | Should -BeExactly 'pcieport'
        $bridge.Parent | Should -BeNullOrEmpty
        $bridge.NumaNode | Should -BeNullOrEmpty -Because 'numa_node -1 means unknown'
    }

    It 'derives the Windows location path and instance id' {
        $nvme = $Fake | Where-Object Address -EQ '0000:01:00.0'
        $nvme.LocationPath | Should -BeExactly 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        $nvme.InstanceId | Should -BeLike 'PCI\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02\*'
    }

    It 'reads the BARs as typed objects' {
        $nvme = $Fake | Where-Object Address -EQ '0000:01:00.0'
        @($nvme.Bars).Count | Should -Be 1
        $bar = @($nvme.Bars)[0]
        $bar.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Bar'
        $bar.Index | Should -Be 0
        [uint64] $bar.Start | Should -Be ([uint64] 4261412864)  # 0xfe000000
        [uint64] $bar.Size | Should -Be 16384
        $bar.Type | Should -Be 'memory'
        $bar.Is64Bit | Should -BeTrue
        $bar.Prefetchable | Should -BeFalse
    }

    It 'marks where the data came from' {
        $Fake[0].Root | Should -Be $ImageRoot
        $Fake[0].ComputerName | Should -Not -Be ([Environment]::MachineName)
    }

    It 'filters in a pipeline: Get-DdaDevice | Where-Object Driver -eq nvme' {
        $nvme = @(Get-DdaDevice -Root $ImageRoot | Where-Object Driver -EQ nvme)
        $nvme.Count | Should -Be 1
        $nvme[0].Address | Should -Be '0000:01:00.0'
    }

    It 'filters by class' {
        @(Get-DdaDevice -Root $ImageRoot -Class 0108).ForEach('Address') | Should -Be @('0000:01:00.0')
    }

    It 'looks devices up by address, location path and instance id' {
        (Get-DdaDevice -Root $ImageRoot 01:00.0).ForEach('Address') | Should -Be '0000:01:00.0'
        (Get-DdaDevice -Root $ImageRoot -LocationPath 'PCIROOT(0)#PCI(0200)').Address | Should -Be '0000:00:02.0'
        $id = ($Fake | Where-Object Address -EQ '0000:01:00.0').InstanceId
        (Get-DdaDevice -Root $ImageRoot -InstanceId $id).Address | Should -Be '0000:01:00.0'
    }

    It 'binds by property name from any object' {
        $rows = [pscustomobject]@{ Address = '0000:01:00.0'; Note = 'a' }, [pscustomobject]@{ LocationPath = 'PCIROOT(0)#PCI(0200)' }
        @($rows | Get-DdaDevice -Root $ImageRoot).ForEach('Address') | Should -Be @('0000:01:00.0', '0000:00:02.0')
    }

    It 'accepts a relative -Root' {
        Push-Location $ImageParent
        try { @(Get-DdaDevice -Root ./host).Count | Should -Be 2 } finally { Pop-Location }
    }

    It 'gives DeviceNotFound for an address the image does not have' {
        Get-DdaDevice -Root $ImageRoot -Address 0000:05:00.0 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'DeviceNotFound,Get-DdaDevice'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'gives a clean error for a -Root that does not exist' {
        $missing = Join-Path $ImageParent 'no-such-image'
        $threw = $null
        try {
            $out = Get-DdaDevice -Root $missing -ErrorVariable errs -ErrorAction SilentlyContinue
        } catch { $threw = $_ }
        $threw | Should -BeNullOrEmpty -Because 'a bad -Root is a normal, non-terminating error'
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $errs[0].FullyQualifiedErrorId | Should -Not -BeLike 'Engine*' -Because 'the engine, not the transport, reports it'
        $errs[0].CategoryInfo.Category | Should -BeIn @('ObjectNotFound', 'InvalidArgument')
        $errs[0].Exception.Message | Should -BeLike "*$missing*"
    }
}

Describe 'Host image fixtures' {
    It 'are the images tests/fixtures/hosts/SOURCES.md names, all present (none dropped from the tests below)' -ForEach @(@{ Found = @($HostImages.ForEach({ $_.Name })) }) {
        $sources = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../fixtures/hosts/SOURCES.md')
        $named = @([regex]::Matches($sources, '`([\w.-]+\.tar\.gz)`').ForEach({ $_.Groups[1].Value }) | Sort-Object -Unique)
        $named.Count | Should -BeGreaterOrEqual 3
        @($Found | Sort-Object) | Should -Be $named
    }
}

Describe 'Get-DdaDevice on host image <Name>' -ForEach $HostImages {
    BeforeAll {
        $script:ImageDevices = @(Get-DdaDevice -Root $Path -ErrorVariable imageErrors)
    }

    It 'reads the image without errors' {
        $imageErrors | Should -BeNullOrEmpty
        $ImageDevices.Count | Should -BeGreaterThan 0
    }

    It 'gives well-formed, unique addresses and typed objects' {
        foreach ($device in $ImageDevices) {
            $device.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Device'
            $device.Address | Should -Match '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$'
            $device.VendorId | Should -Match '^[0-9a-f]{4}$'
            $device.Root | Should -Be $Path
        }
        @($ImageDevices.ForEach("Address") | Sort-Object -Unique).Count | Should -Be $ImageDevices.Count
    }

    It 'finds every device again by its address and location path' {
        @($ImageDevices | Get-DdaDevice -Root $Path).ForEach('Address') | Should -Be $ImageDevices.ForEach("Address")
        @($ImageDevices | Select-Object LocationPath | Get-DdaDevice -Root $Path).ForEach('Address') | Should -Be $ImageDevices.ForEach("Address")
    }

    It 'parents are devices of the same image' {
        foreach ($device in $ImageDevices | Where-Object Parent) {
            $device.Parent | Should -BeIn $ImageDevices.ForEach("Address")
        }
    }
}
