# JSON-to-object conversion (Private/EngineResult.ps1 ConvertFrom-DdaJson and
# Private/ConvertTo-DdaObject.ps1), without any engine.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
}

AfterAll {
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'ConvertFrom-DdaJson' {
    It 'renames object keys to PascalCase at every depth, arrays included' {
        $o = & (Get-Module DdaBridge) { ConvertFrom-DdaJson '{"ok":true,"result":[{"address":"x","bars":[{"is64Bit":true}]},{ "numaNode" : null }]}' }
        $o.PSObject.Properties.Name | Should -BeExactly @('Ok', 'Result')
        $o.Result[0].PSObject.Properties.Name | Should -BeExactly @('Address', 'Bars')
        $o.Result[0].Bars[0].PSObject.Properties.Name | Should -BeExactly @('Is64Bit')
        $o.Result[1].PSObject.Properties.Name | Should -BeExactly @('NumaNode')
    }

    It 'leaves string values alone, even when they look like keys' {
        $json = '{"message":"a {\"quoted\":1}, \"x\": y","list":["abc","def"],"text":",\"z\":"}'
        $o = & (Get-Module DdaBridge) { param($j) ConvertFrom-DdaJson $j } $json
        $o.Message | Should -BeExactly 'a {"quoted":1}, "x": y'
        $o.List | Should -BeExactly @('abc', 'def')
        $o.Text | Should -BeExactly ',"z":'
    }
}

Describe 'ConvertTo-DdaRequestJson (request lines, written without ConvertTo-Json where it can)' {
    It 'writes what ConvertTo-Json would mean, in ASCII: <Case>' -ForEach @(
        @{ Case = 'strings, lists, booleans, integers, null'; Request = [ordered]@{ id = 7; command = 'devices'; args = [ordered]@{ root = '/img/a b'; address = [string[]] @('0000:01:00.0', '0000:02:00.0'); force = $true; whatIf = $false; n = [long] 5; none = $null } } }
        @{ Case = 'quote, backslash, control characters, non-ASCII'; Request = [ordered]@{ id = 1; args = @{ vmName = "a `"q`" \ b`n`t`u{1}é 😀" } } }
        @{ Case = 'nested dictionaries and empty lists'; Request = [ordered]@{ id = 2; args = [ordered]@{ list = [System.Collections.Generic.List[object]] @(1, 'x', $false); nested = @{ a = @{ b = @() } } } } }
        @{ Case = 'a floating-point value (ConvertTo-Json writes it)'; Request = [ordered]@{ id = 3; args = @{ ratio = 1.5 } } }
    ) {
        $json = & (Get-Module DdaBridge) { param($r) ConvertTo-DdaRequestJson -Request $r } $Request
        $json | Should -Match '^[\x20-\x7E]*$' -Because 'one ASCII line, whatever the values hold'
        $reference = ConvertTo-Json -InputObject $Request -Depth 20 -Compress
        (ConvertFrom-Json $json | ConvertTo-Json -Depth 20 -Compress) | Should -BeExactly (ConvertFrom-Json $reference | ConvertTo-Json -Depth 20 -Compress)
    }
}

Describe 'ConvertTo-DdaObject' {
    It 'types devices and their BARs and adds ComputerName and Root (<Case>)' -ForEach @(
        @{ Case = 'PascalCase input'; Json = '[{"Address":"0000:01:00.0","Bars":[{"Index":0}]}]' }
        @{ Case = 'camelCase input'; Json = '[{"address":"0000:01:00.0","bars":[{"index":0}]}]' }
    ) {
        $devices = & (Get-Module DdaBridge) {
            param($j) ConvertTo-DdaObject -InputObject (ConvertFrom-Json $j) -TypeName $script:DdaTypeName.Device -ComputerName 'pc1' -Root '/img'
        } $Json
        @($devices).Count | Should -Be 1
        $devices.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Device'
        $devices.PSObject.Properties.Name | Should -BeExactly @('Address', 'Bars', 'ComputerName', 'Root')
        $devices.Bars[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.Bar'
        $devices.Bars[0].PSObject.Properties.Name | Should -BeExactly @('Index')
        $devices.ComputerName | Should -Be 'pc1'
        $devices.Root | Should -Be '/img'
    }

    It 'types the host and devices of a survey' {
        $survey = & (Get-Module DdaBridge) {
            $raw = ConvertFrom-DdaJson '{"host":{"hostname":"srv"},"devices":[{"address":"a","bars":[{"index":0}]}]}'
            ConvertTo-DdaObject -InputObject $raw -TypeName $script:DdaTypeName.Survey -ComputerName 'here'
        }
        $survey.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Survey'
        $survey.Host.PSObject.TypeNames[0] | Should -Be 'DdaBridge.Host'
        $survey.Host.ComputerName | Should -Be 'srv' -Because 'a host name from the engine wins'
        $survey.Devices[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.Device'
        $survey.Devices[0].Bars[0].PSObject.TypeNames[0] | Should -Be 'DdaBridge.Bar'
    }

    It 'passes $null and empty arrays through' {
        & (Get-Module DdaBridge) { ConvertTo-DdaObject -InputObject $null -TypeName DdaBridge.Device } | Should -BeNullOrEmpty
        & (Get-Module DdaBridge) { ConvertTo-DdaObject -InputObject @() -TypeName DdaBridge.Device } | Should -BeNullOrEmpty
    }
}

Describe 'Format-DdaPlan (the -WhatIf / Confirm text of a state change)' {
    It 'renders the description the engine gives for each step' {
        $text = & (Get-Module DdaBridge) {
            $plan = ConvertFrom-DdaJson '{"steps":[{"action":"override","address":"0000:01:00.0","value":"vfio-pci","description":"engine text: set the override"},{"action":"unbind","address":"0000:01:00.0","value":"nvme","description":"engine text: unbind"}]}'
            Format-DdaPlan -Action Dismount -Target 'Address 0000:01:00.0' -Plan $plan
        }
        $text | Should -Match '1\. engine text: set the override'
        $text | Should -Match '2\. engine text: unbind'
        $text | Should -Not -Match 'driver_override ='
    }

    It 'falls back to its own text when a step has no description (older engine)' {
        $text = & (Get-Module DdaBridge) {
            $plan = ConvertFrom-DdaJson '{"steps":[{"action":"override","address":"0000:01:00.0","value":"vfio-pci"},{"action":"vfioCheck","value":"7","description":""}]}'
            Format-DdaPlan -Action Dismount -Target 'Address 0000:01:00.0' -Plan $plan
        }
        $text | Should -Match '1\. 0000:01:00\.0: driver_override = vfio-pci'
        $text | Should -Match '2\. IOMMU group 7: VFIO must report the group viable'
    }
}
