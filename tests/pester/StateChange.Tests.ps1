# State-changing cmdlets on fake sysfs trees (-Root): the engine's simulated kernel, never this
# machine's /sys. Dismount/Mount/Disable/Enable/Repair, -WhatIf, pipeline, errors, progress.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
}

AfterAll {
    Remove-DdaTestMutableTree
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'Dismount-/Mount-DdaHostAssignableDevice on a fake tree' {
    BeforeEach {
        $script:Tree = New-DdaTestMutableTree
    }

    It '-WhatIf prints the engine plan and changes nothing' {
        $before = Get-DdaTestDriverState $Tree
        $out = Get-DdaTestHostOutput { Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -WhatIf }
        Get-DdaTestDriverState $Tree | Should -Be $before
        Test-Path (Join-Path $Tree 'var/lib/ddabridge/state.json') | Should -BeFalse
        $out | Should -Match 'driver_override = vfio-pci'
        $out | Should -Match 'unbind from nvme'
        $out | Should -Match 'VFIO must report the group viable'
    }

    It 'dismounts the assignable devices of a pipeline, lists the pool, and mounts them back' {
        $before = Get-DdaTestDriverState $Tree
        $ops = @(Get-DdaDevice -Root $Tree -Class 0108 | Test-DdaDevice -Root $Tree | Where-Object Verdict -EQ Assignable |
                Dismount-DdaHostAssignableDevice -Confirm:$false)
        $ops.Count | Should -Be 2
        $ops[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.Operation'
        $ops.Status | Should -Be @('done', 'done')
        $pool = @(Get-DdaHostAssignableDevice -Root $Tree)
        $pool.ForEach('Address') | Should -Be @('0000:01:00.0', '0000:02:00.0')
        $pool[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.AssignableDevice'
        $pool[0].InstanceID | Should -Match '^PCI\\VEN_1B36&DEV_0010'
        $pool[0].LocationPath | Should -Be 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        $pool[0].IsDeleted | Should -BeFalse
        $pool[0].OriginalDriver | Should -Be 'nvme'
        $mounted = @(Get-DdaHostAssignableDevice -Root $Tree | Mount-DdaHostAssignableDevice -Force)
        $mounted.Count | Should -Be 2
        @(Get-DdaHostAssignableDevice -Root $Tree).Count | Should -Be 0
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'persists a dismount for the next boot by default, and -Transient does not' {
        $list = Join-Path $Tree 'etc/ddabridge/vfio-pci.conf'
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Transient -Confirm:$false | Out-Null
        Test-Path $list | Should -BeFalse
        Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Force | Out-Null
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Confirm:$false | Out-Null
        Test-Path $list | Should -BeTrue
        (Get-Content $list -Raw) | Should -Match '0000:01:00\.0'
        # Mount -Transient gives the device back now and keeps it persisted; a plain mount removes that.
        Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Transient -Force | Out-Null
        (Get-Content $list -Raw) | Should -Match '0000:01:00\.0'
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Transient -Confirm:$false | Out-Null
        Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Force | Out-Null
        (Test-Path $list) -and (Get-Content $list -Raw) -match '0000:01:00\.0' | Should -BeFalse
    }

    It 'reports a refused device (ne2k behind the PCIe-to-PCI bridge) as PermissionDenied with details' {
        $before = Get-DdaTestDriverState $Tree
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:06:01.0 -Force -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'Refused,Dismount-DdaHostAssignableDevice'
        $e[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e[0].Exception.Data['Details'].Reason | Should -Be 'GroupContainsBridge'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'judges by VFIO''s rules on Linux, as Test-DdaDevice does, and by Hyper-V''s with -Target HyperV' {
        # 00:10.0 is a conventional PCI (virtio) function alone in its group: Hyper-V refuses conventional
        # PCI, VFIO takes it with a warning
        (Test-DdaDevice -Root $Tree -Address 0000:00:10.0).Verdict | Should -Be 'AssignableWithWarnings'
        (Test-DdaDevice -Root $Tree -Address 0000:00:10.0 -Target HyperV).Verdict | Should -Be 'NotAssignable'
        $before = Get-DdaTestDriverState $Tree
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:00:10.0 -Target HyperV -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'Refused,Dismount-DdaHostAssignableDevice'
        $e[0].Exception.Data['Details'].Reason | Should -Be 'NotAssignable'
        Get-DdaTestDriverState $Tree | Should -Be $before
        (Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:00:10.0 -Confirm:$false).Status | Should -Be 'done'
        Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:00:10.0 -Force | Out-Null
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'keeps going after a missing device (non-terminating DeviceNotFound)' {
        $ops = @(Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:0f:1f.7, 0000:01:00.0 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue)
        $e[0].FullyQualifiedErrorId | Should -Be 'DeviceNotFound,Dismount-DdaHostAssignableDevice'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ops.Count | Should -Be 1
        @(Get-DdaHostAssignableDevice -Root $Tree).ForEach('Address') | Should -Be '0000:01:00.0'
    }

    It 'shows progress over several devices: its own per device and the engine''s per step' {
        # Another runspace, so that its progress records can be read back (Streams.Progress).
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $tree)
                    $ProgressPreference = 'Continue'
                    Import-Module $manifest
                    Dismount-DdaHostAssignableDevice -Root $tree -Address 0000:01:00.0, 0000:02:00.0 -Confirm:$false
                    Remove-Module DdaBridge     # stops this runspace's serve process
                }).AddArgument((Get-DdaTestModulePath)).AddArgument($Tree)
            $ops = @($ps.Invoke())
            $ps.Streams.Error | Should -BeNullOrEmpty
            $ops.Status | Should -Be @('done', 'done')
            $records = @($ps.Streams.Progress)
            # The module's own: one record per device (0 %, 50 %) and a closing one.
            $mine = @($records | Where-Object ActivityId -EQ 0x0DDB)
            $running = @($mine | Where-Object RecordType -EQ 'Processing')
            # the module's own record per device names it (and the host image it is on)
            $running.ForEach('StatusDescription') | Should -Be @("Address 0000:01:00.0 on host image $tree", "Address 0000:02:00.0 on host image $tree")
            $running.ForEach('PercentComplete') | Should -Be @(0, 50)
            $running[0].Activity | Should -Be 'Dismount (dismount)'
            @($mine | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1
            # The engine's progress events, relayed per plan step of each device, each request closed.
            $engine = @($records | Where-Object ActivityId -EQ 0x0DDA)
            foreach ($address in '0000:01:00.0', '0000:02:00.0') {
                @($engine | Where-Object { $_.StatusDescription -eq "${address}: driver_override = vfio-pci" }).Count | Should -Be 1 -Because $address
            }
            @($engine | Where-Object RecordType -EQ 'Completed').Count | Should -Be 2
        } finally {
            $ps.Dispose()
        }
        @(Get-DdaHostAssignableDevice -Root $Tree).Count | Should -Be 2
    }

    It 'never resends a state change when the engine is killed while running it (NoRetry), and says so' {
        $before = Get-DdaTestDriverState $Tree
        @(Get-DdaHostAssignableDevice -Root $Tree).Count | Should -Be 0     # a session engine that has answered
        $engine = Get-DdaTestServeProcessId
        $engine | Should -Not -BeNullOrEmpty
        # Frozen (it cannot run the request it is sent) and SIGKILLed from outside 3 s later.
        $others = @(Get-DdaTestEngineChild | Where-Object { $_ -ne $engine })
        Suspend-DdaTestProcess $engine
        $killer = Start-DdaTestKiller -ProcessId $engine -DelaySeconds 3
        $caught = $null
        try { Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Confirm:$false } catch { $caught = $_ }
        $killer.WaitForExit(10000) | Should -BeTrue
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be 'EngineFailed,Dismount-DdaHostAssignableDevice'
        $caught.Exception.Message | Should -Match "stopped while running 'dismount'"
        # Not sent again: no other engine process ran it, and the tree is as it was.
        Get-DdaTestServeProcessId | Should -BeNullOrEmpty
        @(Get-DdaTestEngineChild | Where-Object { $_ -notin $others }).Count | Should -Be 0
        Get-DdaTestDriverState $Tree | Should -Be $before
        @(Get-DdaHostAssignableDevice -Root $Tree).Count | Should -Be 0
    }

    It 'asks before a change and obeys the answer of a host that says no, then yes (child pwsh fed N, Y)' {
        # A real console host: a child pwsh whose prompts read stdin. First Dismount -Confirm, answered N;
        # then a Dismount without -Confirm (ConfirmImpact High meets the default $ConfirmPreference), answered Y.
        $script = Join-Path $TestDrive 'confirm.ps1'
        Set-Content -LiteralPath $script -Value @'
param($Common, $Manifest, $Tree)
. $Common
Import-Module $Manifest
Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Confirm | ForEach-Object { "RESULT1 $($_.Status)" }
"STATE1 $(Get-DdaTestDriverState $Tree)"
Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 | ForEach-Object { "RESULT2 $($_.Status)" }
"STATE2 $(Get-DdaTestDriverState $Tree)"
'@
        $before = Get-DdaTestDriverState $Tree
        $pwsh = (Get-Process -Id $PID).Path
        if ($pwsh -notmatch 'pwsh$') { $pwsh = @((Join-Path $PSHOME 'pwsh'), (Get-Command pwsh -CommandType Application -ErrorAction Ignore).Source) | Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1 }
        $out = "N`nY`n" | & $pwsh -NoProfile -File $script (Join-Path $PSScriptRoot 'Common.ps1') (Get-DdaTestModulePath) $Tree 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $out
        # Both prompts showed the engine's plan for the device.
        ([regex]::Matches($out, '0000:01:00\.0: driver_override = vfio-pci')).Count | Should -Be 2 -Because $out
        $out | Should -Match '\[N\] No'
        $out | Should -Not -Match 'RESULT1'
        $out | Should -Match ([regex]::Escape("STATE1 $before"))
        $out | Should -Match 'RESULT2 done'
        $out | Should -Match 'STATE2 .*0000:01:00\.0=vfio-pci\|vfio-pci'
        @(Get-DdaHostAssignableDevice -Root $Tree).ForEach('Address') | Should -Be '0000:01:00.0'
    }
}

Describe 'Disable-/Enable-DdaDevice and Repair-DdaHost on a fake tree' {
    BeforeAll {
        $script:Tree = New-DdaTestMutableTree
    }

    It 'disables a device (no driver, marked) and enables it again' {
        $before = Get-DdaTestDriverState $Tree
        $op = Disable-DdaDevice -Root $Tree -Address 0000:02:00.0 -Force
        $op.Kind | Should -Be 'disable'
        (Get-DdaTestDriverState $Tree) | Should -Match '0000:02:00.0=\|ddabridge-disabled'
        $op = Enable-DdaDevice -Root $Tree -Address 0000:02:00.0 -Force
        $op.Kind | Should -Be 'enable'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'refuses to disable a bridge' {
        Disable-DdaDevice -Root $Tree -Address 0000:00:02.0 -Force -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'Refused,Disable-DdaDevice'
    }

    It 'repairs nothing when the last operation finished' {
        $r = Repair-DdaHost -Root $Tree -Force
        $r.PSObject.TypeNames[0] | Should -Be 'DdaBridge.RepairResult'
        $r.Repaired | Should -BeFalse
        Get-DdaTestHostOutput { Repair-DdaHost -Root $Tree -WhatIf } | Should -Match 'nothing to repair'
    }
}

Describe 'Export-DdaHostImage' {
    It 'captures a tree as an image that the read cmdlets accept' {
        $tree = New-DdaTestMutableTree
        $out = Join-Path $TestDrive 'cap.tar.gz'
        $img = Export-DdaHostImage -Path $out -Root $tree
        $img.PSObject.TypeNames[0] | Should -Be 'DdaBridge.HostImage'
        Test-Path $out | Should -BeTrue
        @(Get-DdaDevice -Root $out -Class 0108).Count | Should -Be 2
        { Export-DdaHostImage -Path $out -Root $tree -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,Export-DdaHostImage'
    }
}
