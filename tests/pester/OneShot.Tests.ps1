# One-shot mode against the REAL engine jar: $env:DDABRIDGE_ONESHOT = '1' makes every request a
# fresh `ddabridge.jar serve` given one request line and end of input (the fallback used when the
# session's serve process cannot run). Every cmdlet of both modules once, on the QEMU reference
# host image and on fake sysfs trees unpacked from it (never this machine's /sys).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    Import-Module (Get-DdaTestCompatModulePath) -Force -ErrorAction Stop
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $script:SavedOneShot = $env:DDABRIDGE_ONESHOT
    $env:DDABRIDGE_JAVA = $null
    $env:DDABRIDGE_ONESHOT = '1'
    Stop-DdaTestEngine
    $script:Reference = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path
    $script:Tree = New-DdaTestMutableTree
    # Which public cmdlets reached the one-shot transport: the real Invoke-DdaEngineOnce, wrapped to
    # note the commands on the call stack (the last test checks that every cmdlet did).
    & (Get-Module DdaBridge) {
        $script:DdaTestOneShotCallers = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        $script:DdaTestRealOnce = ${function:Invoke-DdaEngineOnce}
        Set-Item -Path function:script:Invoke-DdaEngineOnce -Value {
            param($Launch, $Command, $Arguments)
            foreach ($frame in Get-PSCallStack) { [void] $script:DdaTestOneShotCallers.Add($frame.Command) }
            & $script:DdaTestRealOnce -Launch $Launch -Command $Command -Arguments $Arguments
        }
    }

    function Assert-NoSession {
        # One-shot mode never leaves a session process behind.
        Get-DdaTestServeProcessId | Should -BeNullOrEmpty
        & (Get-Module DdaBridge) { $script:DdaServeWorked } | Should -BeFalse
    }
}

AfterAll {
    $env:DDABRIDGE_JAVA = $script:SavedJava
    $env:DDABRIDGE_ONESHOT = $script:SavedOneShot
    Get-Module DdaBridge.HyperVCompat | Remove-Module -Force
    Remove-DdaTestMutableTree
    Stop-DdaTestEngine
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'One-shot mode, DdaBridge read cmdlets (reference image)' {
    AfterEach { Assert-NoSession }

    It 'Get-DdaDevice' {
        @(Get-DdaDevice -Root $Reference).Count | Should -Be 21
        (Get-DdaDevice -Root $Reference 01:00.0).Driver | Should -Be 'nvme'
    }

    It 'Test-DdaHost' {
        (Test-DdaHost -Root $Reference).IovSupport | Should -BeTrue
    }

    It 'Test-DdaDevice' {
        (Test-DdaDevice -Root $Reference -Address 0000:01:00.0).Verdict | Should -Be 'Assignable'
    }

    It 'Get-DdaIommuGroup' {
        @(Get-DdaIommuGroup -Root $Reference).Count | Should -Be 16
    }

    It 'Get-DdaMmioRequirement' {
        (Get-DdaMmioRequirement -Root $Reference -Address 0000:01:00.0, 0000:02:00.0).DeviceCount | Should -Be 2
    }

    It 'Invoke-DdaEngineRequest' {
        (Invoke-DdaEngineRequest -Command version).SchemaVersion | Should -Be 1
        @(Invoke-DdaEngineRequest -Command pnp -Root $Reference -TypeName DdaBridge.PnpDevice)[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.PnpDevice'
    }

    It 'Export-DdaReport' {
        $html = Join-Path $TestDrive 'oneshot.html'
        (Export-DdaReport -Root $Reference -Path $html).FullName | Should -Be $html
        Get-Content -LiteralPath $html -Raw | Should -Match '0000:01:00\.0'
    }

    It 'reports engine errors with the engine id and category' {
        Get-DdaDevice -Root $Reference -Address 0000:0f:1f.7 -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -Be 'DeviceNotFound,Get-DdaDevice'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'One-shot mode, DdaBridge state changes (fake tree)' {
    AfterEach { Assert-NoSession }

    It 'Dismount-DdaHostAssignableDevice -WhatIf shows the engine plan' {
        $before = Get-DdaTestDriverState $Tree
        Get-DdaTestHostOutput { Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -WhatIf } | Should -Match 'driver_override = vfio-pci'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'Dismount-DdaHostAssignableDevice, Get-DdaHostAssignableDevice, Mount-DdaHostAssignableDevice' {
        $before = Get-DdaTestDriverState $Tree
        (Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Confirm:$false).Status | Should -Be 'done'
        @(Get-DdaHostAssignableDevice -Root $Tree).ForEach('Address') | Should -Be '0000:01:00.0'
        (Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Confirm:$false).Status | Should -Be 'done'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'Disable-DdaDevice and Enable-DdaDevice' {
        $before = Get-DdaTestDriverState $Tree
        (Disable-DdaDevice -Root $Tree -Address 0000:02:00.0 -Force).Kind | Should -Be 'disable'
        Get-DdaTestDriverState $Tree | Should -Match '0000:02:00.0=\|ddabridge-disabled'
        (Enable-DdaDevice -Root $Tree -Address 0000:02:00.0 -Force).Kind | Should -Be 'enable'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'Repair-DdaHost' {
        (Repair-DdaHost -Root $Tree -Force).Repaired | Should -BeFalse
    }

    It 'Get-DdaVM, Get-/Add-/Remove-DdaVMAssignableDevice, Set-DdaVM (libvirt''s test driver, -WhatIf)' {
        $uri = 'test:///default'
        @(Get-DdaVM -Uri $uri).Name | Should -Contain 'test'
        @(Get-DdaVMAssignableDevice -VMName test -Uri $uri -Root $Tree) | Should -BeNullOrEmpty
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Transient -Confirm:$false | Out-Null
        try {
            Get-DdaTestHostOutput { Add-DdaVMAssignableDevice -VMName test -Uri $uri -Root $Tree -Address 0000:01:00.0 -WhatIf } |
                Should -Match 'attach 0000:01:00\.0'
            Get-DdaTestHostOutput { Remove-DdaVMAssignableDevice -VMName test -Uri $uri -Root $Tree -Address 0000:01:00.0 -WhatIf } |
                Should -Match 'What if: Remove'
        } finally { Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Force | Out-Null }
        Get-DdaTestHostOutput { Set-DdaVM -VMName test -Uri $uri -GuestControlledCacheTypes $true -WhatIf } | Should -Match 'What if'
    }

    It 'Export-DdaHostImage' {
        $out = Join-Path $TestDrive 'oneshot.tar.gz'
        (Export-DdaHostImage -Path $out -Root $Tree).PSObject.TypeNames[0] | Should -Be 'DdaBridge.HostImage'
        Test-Path $out | Should -BeTrue
    }
}

Describe 'One-shot mode, DdaBridge.HyperVCompat (fake tree)' {
    BeforeAll { $PSDefaultParameterValues['*:Root'] = $Tree }
    AfterAll { $PSDefaultParameterValues.Remove('*:Root') }
    AfterEach { Assert-NoSession }

    It 'Get-PnpDevice and Get-PnpDeviceProperty' {
        $nvme = @(Get-PnpDevice -Class SCSIAdapter)
        $nvme.Service | Should -Be @('stornvme', 'stornvme')
        ($nvme[0] | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths).Data[0] | Should -Be 'PCIROOT(0)#PCI(0200)#PCI(0000)'
    }

    It 'Get-VMHost, Get-WmiObject and Get-CimInstance' {
        # no reuse of an earlier reading (the compat layer keeps one for 10 s): each call asks the engine
        $saved = $env:DDABRIDGE_COMPAT_CACHE_SECONDS
        $env:DDABRIDGE_COMPAT_CACHE_SECONDS = '0'
        try {
            (Get-VMHost).PSObject.Properties.Name | Should -Contain 'IovSupport'
            @(Get-WmiObject -Query 'SELECT * FROM Win32_PnPAllocatedResource').Count | Should -BeGreaterThan 0
            @(Get-CimInstance -ClassName Win32_DeviceMemoryAddress).Count | Should -BeGreaterThan 0
        } finally { $env:DDABRIDGE_COMPAT_CACHE_SECONDS = $saved }
    }

    It 'Get-VM, Set-VM, Get-/Add-/Remove-VMAssignableDevice (libvirt''s test driver, -WhatIf)' {
        $uri = 'test:///default'
        @(Get-VM -Uri $uri).Name | Should -Contain 'test'
        @(Get-VMAssignableDevice -VMName test -Uri $uri) | Should -BeNullOrEmpty
        Get-DdaTestHostOutput { Set-VM -Name test -Uri $uri -GuestControlledCacheTypes $true -WhatIf } | Should -Match 'What if'
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Transient -Confirm:$false | Out-Null
        try {
            Get-DdaTestHostOutput { Add-VMAssignableDevice -VMName test -Uri $uri -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf } |
                Should -Match 'attach 0000:01:00\.0'
            Get-DdaTestHostOutput { Remove-VMAssignableDevice -VMName test -Uri $uri -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf } |
                Should -Match 'What if'
        } finally { Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Force | Out-Null }
    }

    It 'Disable-PnpDevice, Dismount-/Get-/Mount-VMHostAssignableDevice, Enable-PnpDevice' {
        $before = Get-DdaTestDriverState $Tree
        $id = (Get-PnpDevice -Class SCSIAdapter)[0].InstanceId
        Disable-PnpDevice -InstanceId $id -Confirm:$false
        Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        @(Get-VMHostAssignableDevice).LocationPath | Should -Be 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        Mount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        Enable-PnpDevice -InstanceId $id -Confirm:$false
        Get-DdaTestDriverState $Tree | Should -Be $before
    }
}

Describe 'One-shot mode covered every cmdlet' {
    It 'sent a request from each exported cmdlet of both modules through the one-shot transport' {
        # Invoke-DdaSurvey is the exception: it runs `ddabridge survey --json` on remote hosts through
        # PowerShell remoting, never this transport (Report.Tests.ps1 runs it over real SSH).
        $cmdlets = @((Get-Module DdaBridge).ExportedFunctions.Keys) + @((Get-Module DdaBridge.HyperVCompat).ExportedFunctions.Keys) |
            Where-Object { $_ -ne 'Invoke-DdaSurvey' }
        $cmdlets.Count | Should -BeGreaterThan 20
        $callers = & (Get-Module DdaBridge) { $script:DdaTestOneShotCallers }
        @($cmdlets | Where-Object { -not $callers.Contains($_) }) | Should -BeNullOrEmpty
    }
}
