# Manifest, exports, help and formatting of the DdaBridge module (no engine needed).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ManifestPath = Get-DdaTestModulePath
    Import-DdaTestModule
}

AfterAll {
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'DdaBridge module' {
    It 'has a valid manifest' {
        $manifest = Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop
        $manifest | Should -Not -BeNullOrEmpty
        $manifest.Name | Should -Be 'DdaBridge'
        $manifest.PowerShellVersion | Should -Be ([version] '5.1')
        @($manifest.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
    }

    It 'exports exactly the public functions listed in the manifest' {
        $data = Import-PowerShellDataFile -Path $script:ManifestPath
        $data.FunctionsToExport | Should -Not -Contain '*'
        $exported = (Get-Module DdaBridge).ExportedFunctions.Keys | Sort-Object
        $exported | Should -Be ($data.FunctionsToExport | Sort-Object)
        $publicFiles = Get-ChildItem (Join-Path (Split-Path $script:ManifestPath) 'Public') -Filter *.ps1 | ForEach-Object BaseName | Sort-Object
        $exported | Should -Be $publicFiles
    }

    It 'keeps its private functions private' {
        Get-Command -Module DdaBridge -Name Invoke-DdaEngine -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($name in (Get-Module DdaBridge).ExportedFunctions.Keys) {
            $name.Split('-')[0] | Should -BeIn $approved
        }
    }

    It 'has comment-based help with examples for <_>' -ForEach @((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../powershell-module/DdaBridge/DdaBridge.psd1')).FunctionsToExport) {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\["
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
        foreach ($parameter in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters -and $_ -ne 'InputObject' }) {
            ($help.parameters.parameter | Where-Object name -EQ $parameter).Description | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'ships about_DdaBridge' {
        Get-Help about_DdaBridge | Out-String | Should -Match 'Get-DdaDevice'
    }

    It 'formats DdaBridge.Device as a table and a list' {
        $device = [pscustomobject]@{
            PSTypeName = 'DdaBridge.Device'; Address = '0000:01:00.0'; Driver = 'nvme'; IommuGroup = 7
            VendorId = '1b36'; DeviceId = '0010'; ClassName = 'Non-Volatile memory controller'
            DeviceName = 'A very long device name that goes on and on beyond any reasonable table column width'
            Bars = @([pscustomobject]@{ PSTypeName = 'DdaBridge.Bar'; Index = 0; Start = 4261412864; Size = 16384; Type = 'memory'; Is64Bit = $true; Prefetchable = $false })
        }
        $table = $device | Format-Table | Out-String -Width 200
        $table | Should -Match 'Address\s+Driver\s+IommuGroup\s+Id\s+ClassName\s+DeviceName'
        $table | Should -Match '0000:01:00\.0\s+nvme\s+7\s+1b36:0010'
        $table | Should -Not -Match 'reasonable table column width'
        $list = $device | Format-List | Out-String -Width 200
        $list | Should -Match 'BAR0 0xfe000000 size 0x4000 \(memory 64-bit\)'
    }

    It 'declares SupportsShouldProcess with ConfirmImpact High on <_>' -ForEach @(
        'Dismount-DdaHostAssignableDevice', 'Mount-DdaHostAssignableDevice', 'Disable-DdaDevice', 'Enable-DdaDevice', 'Repair-DdaHost') {
        $command = Get-Command $_
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Force'
        $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.ConfirmImpact | Should -Be 'High'
    }

    It 'has a table or list view for every type name it stamps' {
        $types = & (Get-Module DdaBridge) { $script:DdaTypeName.Values }
        $xml = [xml] (Get-Content (Join-Path (Split-Path $script:ManifestPath) 'Formats/DdaBridge.Format.ps1xml') -Raw)
        $viewed = @($xml.Configuration.ViewDefinitions.View | ForEach-Object { $_.ViewSelectedBy.TypeName })
        foreach ($t in $types | Where-Object { $_ -ne 'DdaBridge.Survey' }) { $viewed | Should -Contain $t -Because "$t needs a view" }
    }

    It 'registers -Address/-LocationPath completion on the device cmdlets' {
        foreach ($name in 'Get-DdaDevice', 'Test-DdaDevice', 'Dismount-DdaHostAssignableDevice', 'Mount-DdaHostAssignableDevice') {
            $line = "$name -LocationPath PCIROOT"
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion | Should -Not -BeNullOrEmpty
        }
    }

    It 'Invoke-DdaEngineRequest runs a state change only for a caller with ShouldProcess' {
        # Doubly safe: java points nowhere and -Root names no image, so nothing could reach /sys.
        $saved = $env:DDABRIDGE_JAVA
        try {
            $env:DDABRIDGE_JAVA = Join-Path $TestDrive 'no-java'
            $image = Join-Path $TestDrive 'no-image'
            { Invoke-DdaEngineRequest -Command dismount -Arguments @{ address = '0000:01:00.0' } -Root $image -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateChangeNeedsCmdlet,Invoke-DdaEngineRequest'
            function Test-NoShouldProcess { [CmdletBinding()] param() Invoke-DdaEngineRequest -Command disable -Arguments @{ address = 'x' } -Root $image -Cmdlet $PSCmdlet }
            { Test-NoShouldProcess -ErrorAction Stop } | Should -Throw -ErrorId 'StateChangeNeedsCmdlet,Test-NoShouldProcess'
            # A plan request (whatIf) is a read: it goes to the engine (here: no java).
            { Invoke-DdaEngineRequest -Command dismount -Arguments @{ address = 'x'; whatIf = $true } -Root $image -ErrorAction Stop } |
                Should -Throw -ErrorId 'JavaNotFound,Invoke-DdaEngineRequest'
        } finally { $env:DDABRIDGE_JAVA = $saved }
    }
}
