# DdaBridge.HyperVCompat: Hyper-V/PnpDevice cmdlets on Linux, against fake sysfs trees. The seed
# script runs unchanged: $PSDefaultParameterValues points every -Root at the tree.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
    $script:CompatPath = Get-DdaTestCompatModulePath
    Import-Module $CompatPath -Force -ErrorAction Stop
    $script:Seed = @'
$pnpdevs = Get-PnpDevice -PresentOnly | Where-Object {$_.Class -eq "SCSIAdapter"} | Where-Object {$_.Service -eq "stornvme"}
foreach ($pnpdev in $pnpdevs) {
       disable-pnpdevice -InstanceId $pnpdev.InstanceId -Confirm:$false
       $locationpath = ($pnpdev | get-pnpdeviceproperty DEVPKEY_Device_LocationPaths).data[0]
       dismount-vmhostassignabledevice -locationpath $locationpath
       $locationpath
}
'@
}

AfterAll {
    Get-Module DdaBridge.HyperVCompat | Remove-Module -Force
    Remove-DdaTestMutableTree
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'DdaBridge.HyperVCompat' {
    BeforeEach {
        $script:Tree = New-DdaTestMutableTree
        $PSDefaultParameterValues['*:Root'] = $Tree
    }
    AfterEach { $PSDefaultParameterValues.Remove('*:Root') }

    It 'exports the Windows cmdlet names only' {
        (Get-Module DdaBridge.HyperVCompat).ExportedFunctions.Keys | Sort-Object |
            Should -Be @('Add-VMAssignableDevice', 'Disable-PnpDevice', 'Dismount-VMHostAssignableDevice', 'Enable-PnpDevice', 'Get-CimInstance', 'Get-PnpDevice', 'Get-PnpDeviceProperty', 'Get-VM', 'Get-VMAssignableDevice', 'Get-VMHost', 'Get-VMHostAssignableDevice', 'Get-WmiObject', 'Mount-VMHostAssignableDevice', 'Remove-VMAssignableDevice', 'Set-VM')
        (Get-Module DdaBridge.HyperVCompat).ExportedAliases.Keys | Sort-Object | Should -Be @('gcim', 'gwmi')
    }

    It 'Get-PnpDevice gives Windows classes and services' {
        $nvme = @(Get-PnpDevice -PresentOnly -Class SCSIAdapter)
        $nvme.Count | Should -Be 2
        $nvme.Service | Should -Be @('stornvme', 'stornvme')
        $nvme[0].Status | Should -Be 'OK'
        $nvme[0].Present | Should -BeTrue
        $nvme[0].InstanceId | Should -Match '^PCI\\VEN_1B36&DEV_0010'
        @(Get-PnpDevice -FriendlyName '*RTL-8029*').Count | Should -Be 2
    }

    It 'Get-PnpDeviceProperty gives DEVPKEY_Device_LocationPaths as a string list' {
        $p = Get-PnpDevice -Class SCSIAdapter | Select-Object -First 1 | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths
        $p.KeyName | Should -Be 'DEVPKEY_Device_LocationPaths'
        $p.Type | Should -Be 'StringList'
        $p.Data[0] | Should -Be 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        $p.PSObject.TypeNames[0] | Should -Be 'DdaBridge.PnpDeviceProperty'
    }

    It 'runs the Hyper-V seed script unchanged: both NVMe in the pool, then back' {
        $before = Get-DdaTestDriverState $Tree
        $out = @(& ([scriptblock]::Create($Seed)) 2>&1)
        $out | Should -Be @('PCIROOT(0)#PCI(0200)#PCI(0000)', 'PCIROOT(0)#PCI(0300)#PCI(0000)')
        $pool = @(Get-VMHostAssignableDevice)
        $pool.LocationPath | Should -Be $out
        $pool.State | Should -Be @('held', 'held')
        (Get-DdaTestDriverState $Tree) | Should -Match '0000:01:00.0=vfio-pci\|vfio-pci'
        (Get-DdaTestDriverState $Tree) | Should -Match '0000:02:00.0=vfio-pci\|vfio-pci'

        foreach ($lp in $out) { Mount-VMHostAssignableDevice -LocationPath $lp }
        @(Get-PnpDevice -Class SCSIAdapter).Problem | Should -Be @('CM_PROB_DISABLED', 'CM_PROB_DISABLED')
        Get-PnpDevice -Class SCSIAdapter | ForEach-Object { Enable-PnpDevice -InstanceId $_.InstanceId -Confirm:$false }
        Get-DdaTestDriverState $Tree | Should -Be $before
        @(Get-PnpDevice -Class SCSIAdapter).Status | Should -Be @('OK', 'OK')
    }

    It 'Dismount-VMHostAssignableDevice does not prompt (ConfirmImpact Medium) but honours -WhatIf' {
        $binding = (Get-Command Dismount-VMHostAssignableDevice).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.ConfirmImpact | Should -Be 'Medium'
        $before = Get-DdaTestDriverState $Tree
        $text = Get-DdaTestHostOutput { Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)' -WhatIf }
        $text | Should -Match 'driver_override = vfio-pci'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }

    It 'Dismount-VMHostAssignableDevice persists like Hyper-V unless -Transient' {
        $list = Join-Path $Tree 'etc/ddabridge/vfio-pci.conf'
        $nvme = 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        Dismount-VMHostAssignableDevice -LocationPath $nvme -Transient -Force
        Test-Path $list | Should -BeFalse
        Mount-VMHostAssignableDevice -LocationPath $nvme
        Dismount-VMHostAssignableDevice -LocationPath $nvme -Force
        (Get-Content $list -Raw) | Should -Match '0000:01:00\.0'
        Mount-VMHostAssignableDevice -LocationPath $nvme
        (Test-Path $list) -and (Get-Content $list -Raw) -match '0000:01:00\.0' | Should -BeFalse
    }

    It 'reports a refused device with the engine error id' {
        Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0600)#PCI(0000)#PCI(0100)' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'Refused,Dismount-VMHostAssignableDevice'
        $e[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }
}

Describe 'DdaBridge.HyperVCompat as a module of its own' {
    It 'has one file per cmdlet in Public/' {
        $public = Get-ChildItem (Join-Path (Split-Path $CompatPath) 'Public') -Filter *.ps1 | ForEach-Object BaseName | Sort-Object
        $public | Should -Be ((Get-Module DdaBridge.HyperVCompat).ExportedFunctions.Keys | Sort-Object)
    }

    It 'has comment-based help with examples for <_>' -ForEach @(
        'Disable-PnpDevice', 'Dismount-VMHostAssignableDevice', 'Enable-PnpDevice', 'Get-CimInstance', 'Get-PnpDevice', 'Get-PnpDeviceProperty',
        'Get-VMHost', 'Get-VMHostAssignableDevice', 'Get-WmiObject', 'Mount-VMHostAssignableDevice') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\["
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
        foreach ($parameter in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters -and $_ -ne 'InputObject' }) {
            ($help.parameters.parameter | Where-Object name -EQ $parameter).Description | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'uses only the public commands of DdaBridge (no private scope, no copied helpers)' {
        $exported = @((Get-Module DdaBridge).ExportedFunctions.Keys)
        $private = @(& (Get-Module DdaBridge) { Get-Command -CommandType Function | Where-Object { $_.Module -and $_.Module.Name -eq 'DdaBridge' } | ForEach-Object Name }) |
            Where-Object { $_ -notin $exported }
        $private | Should -Contain 'Invoke-DdaEngine'
        foreach ($file in Get-ChildItem (Split-Path $CompatPath) -Recurse -Include *.ps1, *.psm1) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref] $null, [ref] $null)
            $defined = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object Name)
            $defined | Should -Not -Contain 'Resolve-DdaRoot' -Because $file.Name
            foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $call.GetCommandName()
                if ($name) { ($name -replace '^DdaBridge\\', '') | Should -Not -BeIn $private -Because "$($file.Name) calls $name" }
                # `& $module { ... }` runs code inside a module's scope.
                if ($call.InvocationOperator -eq 'Ampersand' -and $call.CommandElements.Count -gt 1 -and
                    $call.CommandElements[1] -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) {
                    throw "$($file.Name) runs a script block in another scope: $call"
                }
            }
        }
    }

    It 'imports by name when both module folders are in a PSModulePath folder' {
        $modules = Join-Path $TestDrive 'psmodules'
        New-Item -ItemType Directory -Path $modules -Force | Out-Null
        Copy-Item -Recurse (Split-Path (Get-DdaTestModulePath)) (Join-Path $modules 'DdaBridge')
        Copy-Item -Recurse (Split-Path $CompatPath) (Join-Path $modules 'DdaBridge.HyperVCompat')
        $pwsh = (Get-Command pwsh -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
        if (-not $pwsh) { $pwsh = Join-Path $HOME '.dotnet/tools/pwsh' }
        $out = & $pwsh -NoProfile -NonInteractive -Command "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; Import-Module DdaBridge.HyperVCompat -ErrorAction Stop; (Get-Module DdaBridge.HyperVCompat).ModuleBase; (Get-Module DdaBridge).ModuleBase; [bool] (Get-Command Get-DdaDevice -ErrorAction Ignore)"
        $out | Should -Be @((Join-Path $modules 'DdaBridge.HyperVCompat'), (Join-Path $modules 'DdaBridge'), 'True')
    }
}

Describe 'DdaBridge.HyperVCompat load guard' {
    It 'refuses to load where a Hyper-V module exists' {
        # In a child pwsh: the guard throws from the module's top level.
        $fake = Join-Path $TestDrive 'modules/Hyper-V'
        New-Item -ItemType Directory -Path $fake -Force | Out-Null
        Set-Content -Path (Join-Path $fake 'Hyper-V.psd1') -Value "@{ ModuleVersion = '2.0.0'; RootModule = '' }"
        $pwsh = (Get-Command pwsh -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
        if (-not $pwsh) { $pwsh = Join-Path $HOME '.dotnet/tools/pwsh' }
        $modules = Join-Path $TestDrive 'modules'
        $out = & $pwsh -NoProfile -NonInteractive -Command "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; try { Import-Module '$CompatPath' -ErrorAction Stop; 'loaded' } catch { 'refused: ' + `$_ }"
        $out | Should -Match '^refused: .*Hyper-V'
    }
}
