# The VM cmdlets (Add-/Remove-/Get-DdaVMAssignableDevice, Get-/Set-DdaVM and the compat Get-VM, Set-VM,
# Add-/Get-VMAssignableDevice) against the real engine: the host is a fake sysfs tree (the QEMU reference
# image, dismounted with the engine's simulated kernel), the VM is libvirt's built-in test driver
# (test:///default: one running domain "test", no daemon; real libvirt0, which build.sh installs). The test
# driver cannot attach devices, which gives a real hypervisor error path; real attaching is in the e2e suite
# (tests/e2e/cases/reference-vm/80-libvirt-pwsh-dda-flow.sh).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    Import-Module (Get-DdaTestCompatModulePath) -Force -ErrorAction Stop
    $script:SavedUri = $env:DDABRIDGE_LIBVIRT_URI
    $script:SavedState = $env:DDABRIDGE_STATE_DIR
    $env:DDABRIDGE_STATE_DIR = $null
    $env:DDABRIDGE_LIBVIRT_URI = 'test:///default'
    # The test driver's domain UUID, read with libvirt's own client (not from DdaBridge).
    $script:TestUuid = [guid] ((& virsh -c test:///default domuuid test) -join '').Trim()
}

AfterAll {
    $env:DDABRIDGE_LIBVIRT_URI = $script:SavedUri
    $env:DDABRIDGE_STATE_DIR = $script:SavedState
    Remove-DdaTestMutableTree
    Stop-DdaTestEngine
    Get-Module DdaBridge.HyperVCompat | Remove-Module -Force
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'VM cmdlets on libvirt''s test driver' {
    BeforeEach {
        $script:Tree = New-DdaTestMutableTree
        # the first NVMe (group 11, alone) goes into the pool of the tree
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Force -Confirm:$false | Out-Null
    }

    It 'Get-DdaVM and Get-VM list the domain with its libvirt state and UUID' {
        # (QEMU processes of other jobs on this machine are listed too, as kind qemu)
        $vm = @(Get-DdaVM | Where-Object Kind -EQ 'libvirt')
        $vm.Count | Should -Be 1
        $vm[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.VM'
        $vm[0].Name | Should -Be 'test'
        $vm[0].State | Should -Be 'Running'
        $vm[0].Kind | Should -Be 'libvirt'
        $vm[0].Id | Should -Be $TestUuid
        (Get-VM -Id $TestUuid).Name | Should -Be 'test'
        ($vm | Format-Table | Out-String) | Should -Match "test\s+Running\s+libvirt\s+$TestUuid"
        Get-DdaVM -Name nosuch -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -Be 'VmNotFound,Get-DdaVM'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'Set-VM takes the four DDA settings and says what libvirt has for each' {
        # the warnings come from the streams, as a script's user sees them
        $w = @(Set-VM -Name test -AutomaticStopAction TurnOff 3>&1)
        $w.Count | Should -Be 1
        $w[0].Message | Should -Match 'AutomaticStopAction TurnOff: noEquivalent.*libvirt-guests'
        $v = @(Set-VM -GuestControlledCacheTypes $true -VMName test -Verbose 3>&1 4>&1)
        @($v | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        ($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join ' ' | Should -Match 'notNeeded.*KVM needs no setting'
        $w3 = @(Set-VM -LowMemoryMappedIoSpace 3Gb -VMName test 3>&1)
        $w3.Count | Should -Be 1
        $w3[0].Message | Should -Match 'LowMemoryMappedIoSpace 3072MB: noEquivalent'
        # the test driver's domain has no pci-root controller to carry <pcihole64>: refused, with the id
        Set-VM -HighMemoryMappedIoSpace 33280Mb -VMName test -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'Refused,Set-VM'
        $e[0].Exception.Message | Should -Match "<pcihole64 unit='KiB'>34078720</pcihole64>"
    }

    It 'Set-DdaVM returns typed outcomes and -WhatIf reports the same without a warning storm' {
        $r = @(Set-DdaVM -VMName test -AutomaticStopAction Save -GuestControlledCacheTypes $false -WarningAction SilentlyContinue)
        $r.Count | Should -Be 2
        $r[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.VMSetting'
        ($r | Where-Object Setting -EQ 'AutomaticStopAction').Note | Should -Match 'Save cannot be honoured'
        ($r | Where-Object Setting -EQ 'GuestControlledCacheTypes').Status | Should -Be 'notNeeded'
        $text = Get-DdaTestHostOutput { Set-DdaVM -VMName test -LowMemoryMappedIoSpace 3GB -WhatIf }
        $text | Should -Match 'What if: Set VM test'
        $text | Should -Match 'LowMemoryMappedIoSpace 3072MB: noEquivalent'
    }

    It 'Add-DdaVMAssignableDevice -WhatIf shows the engine plan for a piped pool device and changes nothing' {
        $before = Get-DdaTestDriverState -Root $Tree
        $text = Get-DdaTestHostOutput { Get-DdaHostAssignableDevice -Root $Tree | Add-DdaVMAssignableDevice -VMName test -Root $Tree -WhatIf }
        $text | Should -Match 'What if: Add Address 0000:01:00.0 to VM test'
        $text | Should -Match 'IOMMU group 11: 0000:01:00.0'
        $text | Should -Match 'step: attach 0000:01:00.0 \(CONFIG,LIVE\)'
        Get-DdaTestDriverState -Root $Tree | Should -Be $before
        Test-Path (Join-Path $Tree 'var/lib/ddabridge/vm-state.json') | Should -BeFalse
    }

    It 'Add-VMAssignableDevice without a device takes the first free pooled one (-WhatIf)' {
        $text = Get-DdaTestHostOutput { Add-VMAssignableDevice -VMName test -Root $Tree -WhatIf }
        $text | Should -Match 'What if: Add any pooled device to VM test'
        $text | Should -Match 'step: attach 0000:01:00.0'
    }

    It 'a hypervisor failure is VmFailed with advice, and the journal in the tree says rolled back' {
        Add-DdaVMAssignableDevice -VMName test -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -Root $Tree -Confirm:$false `
            -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -Be 'VmFailed,Add-DdaVMAssignableDevice'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e[0].Exception.Message | Should -Match 'virDomainAttachDeviceFlags'
        $e[0].ErrorDetails.RecommendedAction | Should -Match 'virsh dumpxml'
        $journal = Get-Content -Raw (Join-Path $Tree 'var/lib/ddabridge/vm-state.json') | ConvertFrom-Json
        $journal.status | Should -Be 'rolledBack'
    }

    It 'refuses a device not in the pool, an unknown device and an unknown VM with stable ids' {
        Add-DdaVMAssignableDevice -VMName test -Address 0000:02:00.0 -Root $Tree -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'NotDismounted,Add-DdaVMAssignableDevice'
        $e1[0].ErrorDetails.RecommendedAction | Should -Match 'Dismount'
        Add-VMAssignableDevice -VMName test -LocationPath 'PCIROOT(0)#PCI(9900)' -Root $Tree -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Match '^DeviceNotFound,'
        $e2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Add-DdaVMAssignableDevice -VMName nosuch -Address 0000:01:00.0 -Root $Tree -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].FullyQualifiedErrorId | Should -Be 'VmNotFound,Add-DdaVMAssignableDevice'
        Add-DdaVMAssignableDevice -VMName test -Root $Tree -ErrorAction SilentlyContinue -ErrorVariable e4
        $e4[0].FullyQualifiedErrorId | Should -Be 'NoDeviceIdentity,Add-DdaVMAssignableDevice'
    }

    It 'Get-DdaVMAssignableDevice and Get-VMAssignableDevice list nothing for a domain without hostdevs' {
        @(Get-DdaVMAssignableDevice -VMName test -Root $Tree).Count | Should -Be 0
        @(Get-VMAssignableDevice -VMName test -Root $Tree).Count | Should -Be 0
    }

    It 'Invoke-DdaEngineRequest does not run VM changes' {
        { Invoke-DdaEngineRequest -Command vm-add -Arguments @{ vm = 'test'; address = '0000:01:00.0' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'StateChangeNeedsCmdlet,Invoke-DdaEngineRequest'
        # the plan is fine
        (Invoke-DdaEngineRequest -Command vm-add -Arguments @{ vm = 'test'; address = '0000:01:00.0'; whatIf = $true; root = $Tree }).Functions |
            Should -Be @('0000:01:00.0')
    }
}
