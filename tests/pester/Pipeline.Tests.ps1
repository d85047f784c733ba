# The pipeline and host images (issue 14): every DdaBridge cmdlet with -Root binds it (and the device
# identity) by property name, so `Get-DdaDevice -Root IMG | <cmdlet>` works on IMG, not on this
# machine; a piped object of another image than an explicit -Root is RootMismatch; an empty pipeline
# does nothing. Table-driven over the module's exported cmdlets: a new cmdlet with -Root fails here
# until it binds -Root by property name and has a case below (or is listed as excluded, with why).
# State changes run against an unpacked fake sysfs tree only, and only with -WhatIf where a wrong
# binding would reach this machine (this host has no 0000:01:00.0 anyway, and the engine's
# live-mutation guard refuses /sys writes).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    # Cmdlets whose -Root is not pipeline-bound, and why.
    $script:Excluded = @{
        'Export-DdaHostImage'     = 'captures one host named on the command line into one file; takes no pipeline input'
        'Invoke-DdaSurvey'        = '-Root is a path on the remote hosts; the pipeline carries host names'
        'Invoke-DdaEngineRequest' = 'a raw engine request for other modules; takes no pipeline input'
        'Get-DdaVMAssignableDevice' = 'lists what a VM holds: the pipeline carries VMs (VMName), not devices; -Root names the tree of its journal'
    }
    $script:WithRoot = @((Get-Module DdaBridge).ExportedFunctions.Keys | Sort-Object |
            Where-Object { (Get-Command $_).Parameters.ContainsKey('Root') })
    $script:BindingCases = @($WithRoot | Where-Object { -not $Excluded.ContainsKey($_) } | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
    $script:Tree = New-DdaTestMutableTree
    # Another image, for RootMismatch.
    $script:Other = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-noacs.tar.gz')).Path
    $script:Nvme = '0000:01:00.0'
    $script:HostOut = {
        param([scriptblock] $Block)
        Get-DdaTestHostOutput $Block
    }

    # Per cmdlet: how to pipe a device read from $Tree into it ($In: the piped objects; extra
    # arguments such as -WhatIf), and what proves it worked on $Tree. Each Run returns the
    # cmdlet's output and What if: text as one string or objects; Check asserts on that.
    $script:Behaviour = [ordered]@{
        'Get-DdaDevice'                    = @{
            Run   = { param($In) $In | Get-DdaDevice }
            Check = { param($Out) $Out.Address | Should -Be $Nvme; $Out.Root | Should -Be $Tree; $Out.VendorId | Should -Be '1b36' }
        }
        'Test-DdaDevice'                   = @{
            Run   = { param($In) $In | Test-DdaDevice }
            Check = { param($Out) $Out.Address | Should -Be $Nvme; $Out.Root | Should -Be $Tree; $Out.Verdict | Should -Be 'Assignable' }
        }
        'Test-DdaHost'                     = @{
            Run   = { param($In) $In | Test-DdaHost }
            Check = { param($Out) @($Out).Count | Should -Be 1; $Out.Root | Should -Be $Tree; $Out.IovSupport | Should -BeTrue }
        }
        'Get-DdaIommuGroup'                = @{
            Run   = { param($In) $In | Get-DdaIommuGroup }
            Check = { param($Out) @($Out).Count | Should -Be 1; $Out.Root | Should -Be $Tree; @($Out.Members).ForEach('Address') | Should -Be @($Nvme) }
        }
        'Get-DdaMmioRequirement'           = @{
            Run   = { param($In) $In | Get-DdaMmioRequirement }
            Check = { param($Out) $Out.DeviceCount | Should -Be 1; $Out.Root | Should -Be $Tree; $Out.AboveFourGiB | Should -Be 16384 }
        }
        'Get-DdaHostAssignableDevice'      = @{
            # Nothing is pooled in a fresh tree: the answer is the tree's empty pool, not this
            # host's (a wrong binding gives this host's pool or an error).
            Run   = { param($In) @($In | Get-DdaHostAssignableDevice -ErrorVariable e -ErrorAction SilentlyContinue); if ($e) { throw $e[0] } }
            Check = { param($Out) $Out | Should -BeNullOrEmpty }
        }
        'Dismount-DdaHostAssignableDevice' = @{
            Run   = { param($In) & $HostOut { $In | Dismount-DdaHostAssignableDevice -WhatIf } }
            Check = { param($Out) $Out | Should -Match ([regex]::Escape("on host image $Tree")); $Out | Should -Match 'unbind from nvme' }
        }
        'Mount-DdaHostAssignableDevice'    = @{
            # Dismounted first (on the tree, by an explicit -Root), given back afterwards.
            Run   = {
                param($In)
                Dismount-DdaHostAssignableDevice -Root $Tree -Address $Nvme -Transient -Confirm:$false | Out-Null
                try { & $HostOut { $In | Mount-DdaHostAssignableDevice -WhatIf } }
                finally { Mount-DdaHostAssignableDevice -Root $Tree -Address $Nvme -Force | Out-Null }
            }
            Check = { param($Out) $Out | Should -Match ([regex]::Escape("on host image $Tree")); $Out | Should -Match 'bind' }
        }
        'Disable-DdaDevice'                = @{
            Run   = { param($In) & $HostOut { $In | Disable-DdaDevice -WhatIf } }
            Check = { param($Out) $Out | Should -Match ([regex]::Escape("on host image $Tree")); $Out | Should -Match 'ddabridge-disabled' }
        }
        'Enable-DdaDevice'                 = @{
            # Disabled first (on the tree, by an explicit -Root), enabled afterwards.
            Run   = {
                param($In)
                Disable-DdaDevice -Root $Tree -Address $Nvme -Force | Out-Null
                try { & $HostOut { $In | Enable-DdaDevice -WhatIf } }
                finally { Enable-DdaDevice -Root $Tree -Address $Nvme -Force | Out-Null }
            }
            Check = { param($Out) $Out | Should -Match ([regex]::Escape("on host image $Tree")); $Out | Should -Match 'driver_override|drivers_probe' }
        }
        'Repair-DdaHost'                   = @{
            Run   = { param($In) & $HostOut { $In | Repair-DdaHost -WhatIf } }
            Check = { param($Out) $Out | Should -Match ([regex]::Escape("[host image $Tree]")); ([regex]::Matches($Out, 'What if: Repair')).Count | Should -Be 1 }
        }
        'Add-DdaVMAssignableDevice'        = @{
            # Pooled first (on the tree), given back afterwards; libvirt's test driver has the domain 'test'.
            Run   = {
                param($In)
                Dismount-DdaHostAssignableDevice -Root $Tree -Address $Nvme -Transient -Confirm:$false | Out-Null
                try { & $HostOut { $In | Add-DdaVMAssignableDevice -VMName test -Uri 'test:///default' -WhatIf } }
                finally { Mount-DdaHostAssignableDevice -Root $Tree -Address $Nvme -Force | Out-Null }
            }
            # the tree's IOMMU group of the NVMe (this host has no 0000:01:00.0: a wrong binding is DeviceNotFound)
            Check = { param($Out) $Out | Should -Match 'What if: Add'; $Out | Should -Match ([regex]::Escape("attach $Nvme")) }
        }
        'Remove-DdaVMAssignableDevice'     = @{
            Run   = { param($In) & $HostOut { $In | Remove-DdaVMAssignableDevice -VMName test -Uri 'test:///default' -WhatIf } }
            Check = { param($Out) $Out | Should -Match 'What if: Remove'; $Out | Should -Match 'IOMMU group 11' }
        }
        'Export-DdaReport'                 = @{
            Run   = { param($In) $file = Join-Path $TestDrive ('r' + [guid]::NewGuid().ToString('N') + '.html'); $In | Test-DdaDevice | Export-DdaReport -Path $file | Out-Null; Get-Content -Raw $file }
            Check = { param($Out) $Out | Should -Match ([regex]::Escape((Split-Path -Leaf $Tree))); $Out | Should -Match ([regex]::Escape($Nvme)) }
        }
    }
    # How each cmdlet is called in the RootMismatch and empty-pipeline cases (no prompts).
    $script:Safe = @{
        'Dismount-DdaHostAssignableDevice' = @{ WhatIf = $true }
        'Mount-DdaHostAssignableDevice'    = @{ WhatIf = $true }
        'Disable-DdaDevice'                = @{ WhatIf = $true }
        'Enable-DdaDevice'                 = @{ WhatIf = $true }
        'Repair-DdaHost'                   = @{ WhatIf = $true }
        'Add-DdaVMAssignableDevice'        = @{ WhatIf = $true; VMName = 'test'; Uri = 'test:///default' }
        'Remove-DdaVMAssignableDevice'     = @{ WhatIf = $true; VMName = 'test'; Uri = 'test:///default' }
        'Export-DdaReport'                 = @{ Path = (Join-Path ([System.IO.Path]::GetTempPath()) "ddabridge-pester-never-$PID.html") }
    }
}

AfterAll {
    Remove-DdaTestMutableTree
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'Pipeline binding of -Root' {
    It 'has a pipeline case or a reason for every cmdlet with -Root' {
        foreach ($name in $WithRoot) {
            ($Behaviour.Contains($name) -or $Excluded.ContainsKey($name)) | Should -BeTrue -Because "$name has -Root: add a case to `$Behaviour (or a reason to `$Excluded)"
        }
        @($Behaviour.Keys | Sort-Object) | Should -Be @($WithRoot | Where-Object { -not $Excluded.ContainsKey($_) } | Sort-Object)
    }

    It '<Name> binds -Root and its device identity by property name' -ForEach $BindingCases {
        $parameters = (Get-Command $Name).Parameters
        foreach ($p in 'Root', 'Address', 'LocationPath', 'InstanceId') {
            if (-not $parameters.ContainsKey($p)) { continue }
            $byName = @($parameters[$p].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName })
            $byName.Count | Should -BeGreaterThan 0 -Because "$Name -$p must bind by property name"
        }
        # It must take pipeline objects at all (for the Root of whatever is piped).
        @($parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline } }).Count |
            Should -BeGreaterThan 0
    }

    It 'Get-DdaDevice -Root IMG | <Name> works on IMG' -ForEach $BindingCases {
        $case = $Behaviour[$Name]
        $in = Get-DdaDevice -Root $Tree -Address $Nvme
        $in.Root | Should -Be $Tree
        $out = & $case.Run $in
        & $case.Check $out
    }

    It 'an object of another image with an explicit -Root is RootMismatch,<Name>' -ForEach $BindingCases {
        $in = Get-DdaDevice -Root $Tree -Address $Nvme
        if ($Name -eq 'Export-DdaReport') { $in = $in | Test-DdaDevice }
        $extra = if ($Safe[$Name]) { $Safe[$Name] } else { @{} }
        $out = @($in | & $Name -Root $Other @extra -ErrorVariable e -ErrorAction SilentlyContinue 6>$null)
        @($e | Where-Object FullyQualifiedErrorId -EQ "RootMismatch,$Name").Count | Should -Be 1
        ($e | Where-Object FullyQualifiedErrorId -EQ "RootMismatch,$Name").ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        if ($Name -eq 'Export-DdaReport') { Test-Path $extra.Path | Should -BeFalse -Because 'no report of the mismatched object' }
        # Nothing of the other image comes out for the mismatched object.
        @($out | Where-Object { $_ -and $_.PSObject.Properties['Root'] -and $_.Root }).Count | Should -Be 0
    }

    It 'an empty pipeline into <Name> does nothing' -ForEach $BindingCases {
        $extra = if ($Safe[$Name]) { $Safe[$Name] } else { @{} }
        $out = Get-DdaTestHostOutput { $script:emptyOut = @(@() | & $Name -Root $Tree @extra -ErrorVariable script:emptyErr -ErrorAction SilentlyContinue) }
        @($script:emptyErr).Count | Should -Be 0
        @($script:emptyOut).Count | Should -Be 0
        $out | Should -Not -Match 'What if:'
    }
}

Describe 'Image and live data never mix' {
    It 'an object read from this host piped with -Root IMG is RootMismatch' {
        # Reading this machine's /sys is allowed (read-only); the first function will do.
        $live = Get-DdaDevice | Select-Object -First 1
        $live | Should -Not -BeNullOrEmpty
        $live.Root | Should -BeNullOrEmpty
        $r = @($live | Test-DdaDevice -Root $Tree -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 0
        $e[0].FullyQualifiedErrorId | Should -Be 'RootMismatch,Test-DdaDevice'
    }

    It 'plain strings and objects without Root take the explicit -Root' {
        (@($Nvme | Test-DdaDevice -Root $Tree)).Root | Should -Be $Tree
        ([pscustomobject]@{ Address = $Nvme } | Get-DdaMmioRequirement -Root $Tree).DeviceCount | Should -Be 1
    }

    It 'objects of two images in one pipeline are answered per image' {
        $both = @(Get-DdaDevice -Root $Tree -Address $Nvme) + @(Get-DdaDevice -Root $Other -Class 0108)
        $r = @($both | Test-DdaDevice)
        @($r | Where-Object Root -EQ $Tree).Count | Should -Be 1
        @($r | Where-Object Root -EQ $Other).Count | Should -Be 2
    }

    It 'CSV rows (Export-Csv, then Import-Csv) pipe back into the image they came from' {
        $csv = Join-Path $TestDrive 'devices.csv'
        Get-DdaDevice -Root $Tree -Class 0108 | Export-Csv -Path $csv
        $r = @(Import-Csv $csv | Test-DdaDevice)
        $r.ForEach('Address') | Should -Be @('0000:01:00.0', '0000:02:00.0')
        $r.ForEach('Root') | Should -Be @($Tree, $Tree)
    }
}
