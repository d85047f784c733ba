# Read cmdlets against the host images captured in the QEMU guest (tests/fixtures/hosts), through
# the real engine: Test-DdaHost, Test-DdaDevice, Get-DdaIommuGroup, Get-DdaMmioRequirement.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
    $script:Reference = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path
    $script:NoAcs = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-noacs.tar.gz')).Path
}

AfterAll {
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'Test-DdaHost' {
    It 'reports IovSupport and the checks of the reference guest' {
        $h = Test-DdaHost -Root $Reference
        $h.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Host'
        $h.IovSupport | Should -BeTrue
        @($h.Checks).Count | Should -BeGreaterThan 3
        $h.Checks[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.HostCheck'
        ($h.Checks | Where-Object Id -EQ 'IommuEnabled').Status | Should -Be 'pass'
        Test-DdaHost -Root $Reference -Quiet | Should -BeTrue
    }
}

Describe 'Test-DdaDevice' {
    It 'gives verdicts, reasons, predicted group and MMIO per device' {
        $r = @(Test-DdaDevice -Root $Reference -Address 0000:01:00.0, 0000:06:01.0)
        $r.Count | Should -Be 2
        $r[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.DeviceReport'
        $r[0].Verdict | Should -Be 'Assignable'
        $r[0].Mmio.AboveFourGiB | Should -Be 16384
        $r[0].PredictedIommuGroup | Should -Be @('0000:01:00.0')
        # A Linux image: the headline is VFIO's, which takes the ne2k with its bus mate (Hyper-V's rules refuse it).
        $r[1].Verdict | Should -Be 'AssignableWithWarnings'
        $r[1].MustMoveWith | Should -Be @('0000:06:02.0')
        $r[1].Reasons.Code | Should -Contain 'BehindPciBridge'
        $r[1].Reasons[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.Reason'
    }

    It 'takes devices from Get-DdaDevice through the pipeline in one go' {
        $r = @(Get-DdaDevice -Root $Reference -Class 0108 | Test-DdaDevice -Root $Reference)
        $r.ForEach('Address') | Should -Be @('0000:01:00.0', '0000:02:00.0')
        $r.InstanceID | Should -Not -BeNullOrEmpty
    }

    It 'writes a non-terminating DeviceNotFound for a missing device and still tests the others' {
        $r = @(Test-DdaDevice -Root $Reference -Address 0000:01:00.0, 0000:0f:1f.7 -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.ForEach('Address') | Should -Be @('0000:01:00.0')
        ($e | Where-Object FullyQualifiedErrorId -EQ 'DeviceNotFound,Test-DdaDevice') | Should -Not -BeNullOrEmpty
        ($e | Where-Object FullyQualifiedErrorId -EQ 'DeviceNotFound,Test-DdaDevice')[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-DdaIommuGroup' {
    It 'lists every live group matching the prediction' {
        $g = @(Get-DdaIommuGroup -Root $Reference)
        $g.Count | Should -Be 16
        $g[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.IommuGroup'
        @($g | Where-Object MatchesPrediction -NE $true).Count | Should -Be 0
    }

    It 'finds the groups of piped devices' {
        $g = @(Get-DdaDevice -Root $Reference 0000:06:02.0 | Get-DdaIommuGroup -Root $Reference)
        $g.Count | Should -Be 1
        @($g[0].Members).ForEach('Address') | Should -Be @('0000:05:00.0', '0000:06:01.0', '0000:06:02.0')
        $g[0].Assignable | Should -BeFalse
        $g[0].Viable | Should -BeFalse
        $g[0].Members[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.IommuGroupMember'
    }

    It 'groups both NVMe with their ports on the no-ACS host' {
        $nvme = @(Get-DdaDevice -Root $NoAcs -Class 0108)
        $g = @($nvme | Get-DdaIommuGroup -Root $NoAcs)
        $g.Count | Should -Be 1
        @($g[0].Members).ForEach('Address') | Should -Contain $nvme[0].Address
        @($g[0].Members).ForEach('Address') | Should -Contain $nvme[1].Address
    }

    It 'reports an unknown group number as ObjectNotFound' {
        { Get-DdaIommuGroup -Root $Reference -Number 99 -ErrorAction Stop } | Should -Throw -ErrorId 'DeviceNotFound,Get-DdaIommuGroup'
    }
}

Describe 'Get-DdaMmioRequirement' {
    It 'adds up a set of devices into one Set-VM and QEMU recommendation' {
        $m = @(Get-DdaDevice -Root $Reference | Where-Object { $_.Address -in '0000:01:00.0', '0000:02:00.0', '0000:03:00.0' } | Get-DdaMmioRequirement -Root $Reference)
        $m.Count | Should -Be 1
        $m[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.MmioRequirement'
        $m[0].DeviceCount | Should -Be 3
        $m[0].AboveFourGiB | Should -Be 32768
        $m[0].LowMemoryMappedIoSpace | Should -Be 128MB
        $m[0].HighMemoryMappedIoSpace | Should -Be 512MB
        $m[0].SetVMCommand | Should -Be 'Set-VM -VMName <vm> -LowMemoryMappedIoSpace 128MB -HighMemoryMappedIoSpace 512MB'
        $m[0].QemuArgument | Should -Be '-global q35-pcihost.pci-hole64-size=1G'
        $m[0].LibvirtXml | Should -Match 'pcihole64'
    }

    It 'needs at least one device' {
        { Get-DdaMmioRequirement -Root $Reference -ErrorAction Stop } | Should -Throw -ErrorId 'NoDeviceIdentity,Get-DdaMmioRequirement'
    }
}
