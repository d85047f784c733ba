# The admin's questions (issue 14), module side: "what do I run next?" in the default views and in
# ErrorRecords, the plan in the confirmation prompt, error ids of the public cmdlet (also with
# -NonInteractive), Export-Csv without System.Object[], and tab completion (-Class, pooled addresses
# for Mount-, an unquoted PCIROOT(0)#...). Real engine, fixture images and fake sysfs trees only.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = $null
    Stop-DdaTestEngine
    $script:Reference = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path
    $script:Tree = New-DdaTestMutableTree
    $script:Pwsh = @((Join-Path $PSHOME 'pwsh'), (Get-Command pwsh -CommandType Application -ErrorAction Ignore).Source,
        (Join-Path $HOME '.dotnet/tools/pwsh')) | Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
    function Get-Completion([string] $Line) {
        $r = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        $r.CompletionMatches | ForEach-Object CompletionText
    }
}

AfterAll {
    Remove-DdaTestMutableTree
    Stop-DdaTestEngine
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge | Remove-Module -Force
}

Describe 'What next: views' {
    It 'the list view of a device report shows each reason''s remediation' {
        $r = Test-DdaDevice -Root $Reference -Address 0000:06:01.0
        $text = $r | Format-List | Out-String -Width 250
        $remedies = @($r.Reasons | Where-Object Remediation)
        $remedies.Count | Should -BeGreaterThan 0
        $text | Should -Match 'NextSteps'
        foreach ($reason in $remedies) { $text | Should -Match ([regex]::Escape("$($reason.Code): $($reason.Remediation)")) }
    }

    It 'the list and table views show the engine''s nextCommand when a reason carries one' {
        # the engine's own nextCommand (the group rule gives an assignable device its dismount + vm-add line)
        $r = Test-DdaDevice -Root $Reference -Address 0000:01:00.0, 0000:06:01.0 | Where-Object Address -EQ 0000:06:01.0
        $reason = @($r.Reasons | Where-Object { $_.PSObject.Properties['NextCommand'] -and $_.NextCommand })[0]
        $reason | Should -Not -BeNullOrEmpty -Because 'the engine gives 0000:06:01.0 a next command'
        $cmd = [regex]::Escape($reason.NextCommand)
        ($r | Format-List | Out-String -Width 300) | Should -Match "$($reason.Code): .* Next: $cmd"
        ($r | Format-Table | Out-String -Width 300) | Should -Match "0000:06:01\.0 .* $cmd"
        ($reason | Format-List | Out-String -Width 300) | Should -Match "NextCommand\s*:\s*$cmd"
        ($r.Reasons | Format-Table | Out-String -Width 300) | Should -Match "$($reason.Code) .* $cmd"
    }

    It 'the table view of a device report names the first remediation when no next command exists' {
        $r = @(Test-DdaDevice -Root $Reference | Where-Object {
                -not @($_.Reasons | Where-Object { $_.PSObject.Properties['NextCommand'] -and $_.NextCommand }).Count -and
                @($_.Reasons | Where-Object { $_.Severity -ne 'info' -and $_.Remediation }).Count })[0]
        $r | Should -Not -BeNullOrEmpty -Because 'the reference image has devices with a remediation and no next command'
        $first = @($r.Reasons | Where-Object { $_.Severity -ne 'info' -and $_.Remediation })[0].Remediation
        ($r | Format-Table | Out-String -Width 400) | Should -Match ([regex]::Escape($first))
    }
}

Describe 'What next: ErrorRecords' {
    It 'a DeviceNotFound names what to do in RecommendedAction' {
        Get-DdaDevice -Root $Reference -Address 0000:0f:1f.7 -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'DeviceNotFound,Get-DdaDevice'
        $e[0].ErrorDetails.RecommendedAction | Should -Match 'Get-DdaDevice'
    }

    It 'the engine''s own remediation (in the error details) becomes RecommendedAction' {
        # A damaged journal: the engine refuses with JournalCorrupt and says to run repair.
        $state = Join-Path $Tree 'var/lib/ddabridge'
        New-Item -ItemType Directory -Path $state -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $state 'state.json') -Value '{"operations": [ truncated'
        try {
            Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:01:00.0 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'JournalCorrupt,Dismount-DdaHostAssignableDevice'
            $e[0].Exception.Data['Details'].Remediation | Should -Not -BeNullOrEmpty
            $e[0].ErrorDetails.RecommendedAction | Should -Be $e[0].Exception.Data['Details'].Remediation
        } finally {
            Repair-DdaHost -Root $Tree -Force -ErrorAction SilentlyContinue | Out-Null
        }
    }

    It 'a piped object without an identity says how to name one' {
        [pscustomobject]@{ Name = 'x' } | Dismount-DdaHostAssignableDevice -Root $Tree -WhatIf -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'NoDeviceIdentity,Dismount-DdaHostAssignableDevice'
        $e[0].ErrorDetails.RecommendedAction | Should -Match '-Address'
    }
}

Describe 'Confirmation shows the plan' {
    It 'the prompt text of <Name> is the engine''s plan' -ForEach @(
        @{ Name = 'Dismount-DdaHostAssignableDevice'; Plan = 'unbind from nvme' }
        @{ Name = 'Disable-DdaDevice'; Plan = 'ddabridge-disabled' }
    ) {
        $script:prompts = [System.Collections.Generic.List[string]]::new()
        # Listen to what the cmdlet would put in the prompt, and answer "no": nothing changes.
        Mock -ModuleName DdaBridge Invoke-DdaShouldProcess { $script:prompts.Add($Warning); $false }
        $before = Get-DdaTestDriverState $Tree
        & $Name -Root $Tree -Address 0000:01:00.0 -Confirm
        Get-DdaTestDriverState $Tree | Should -Be $before
        $script:prompts.Count | Should -Be 1
        $script:prompts[0] | Should -Match ([regex]::Escape($Plan))
        $script:prompts[0] | Should -Match ([regex]::Escape("on host image $Tree"))
    }

    It 'with -NonInteractive a needed prompt is ConfirmationRequired of the public cmdlet, with the plan' {
        $file = Join-Path $TestDrive 'noninteractive.ps1'
        Set-Content -LiteralPath $file -Encoding utf8 -Value @'
Import-Module $env:DDA_MODULE -ErrorAction Stop
try { Dismount-DdaHostAssignableDevice -Root $env:DDA_TREE -Address 0000:01:00.0 -ErrorAction Stop; 'NO ERROR' }
catch { $_.FullyQualifiedErrorId; $_.Exception.Message; $_.ErrorDetails.RecommendedAction }
'@
        $before = Get-DdaTestDriverState $Tree
        $env:DDA_MODULE = Get-DdaTestModulePath; $env:DDA_TREE = $Tree
        try { $out = & $Pwsh -NoProfile -NonInteractive -File $file 2>&1 } finally { $env:DDA_MODULE = $null; $env:DDA_TREE = $null }
        $text = $out -join "`n"
        $out[0] | Should -Be 'ConfirmationRequired,Dismount-DdaHostAssignableDevice'
        $text | Should -Match 'unbind from nvme'
        $text | Should -Match 'Confirm:\$false'
        Get-DdaTestDriverState $Tree | Should -Be $before
    }
}

Describe 'Export-Csv' {
    It '<Name> | Export-Csv writes no System.Object[] and joins list properties' -ForEach @(
        @{ Name = 'Get-DdaDevice'; Call = { Get-DdaDevice -Root $Reference }; Column = 'Bars'; Expect = 'BAR0 0x' }
        @{ Name = 'Test-DdaDevice'; Call = { Test-DdaDevice -Root $Reference }; Column = 'Reasons'; Expect = 'IommuGroupAlone' }
        @{ Name = 'Test-DdaHost'; Call = { Test-DdaHost -Root $Reference }; Column = 'Checks'; Expect = 'IommuEnabled: pass' }
        @{ Name = 'Get-DdaIommuGroup'; Call = { Get-DdaIommuGroup -Root $Reference }; Column = 'Members'; Expect = '0000:01:00.0' }
    ) {
        $csv = Join-Path $TestDrive "$Name.csv"
        & $Call | Export-Csv -LiteralPath $csv
        $text = Get-Content -Raw -LiteralPath $csv
        $text | Should -Not -Match 'System\.[A-Za-z.]+\[\]'
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -BeGreaterThan 0
        ($rows.$Column -join "`n") | Should -Match ([regex]::Escape($Expect))
    }

    It 'list properties stay lists for scripts' {
        $d = Test-DdaDevice -Root $Reference -Address 0000:06:01.0
        $d.MustMoveWith.Count | Should -Be 1
        $d.MustMoveWith[0] | Should -Be '0000:06:02.0'
        $d.Reasons.Code | Should -Contain 'BehindPciBridge'
        ($d | ConvertTo-Json -Depth 8 | ConvertFrom-Json).PredictedIommuGroup | Should -Be @('0000:05:00.0', '0000:06:01.0', '0000:06:02.0')
    }
}

Describe 'Tab completion' {
    It '-Class completes the class codes of the image, and class names' {
        Get-Completion "Get-DdaDevice -Root $Reference -Class 01" | Should -Be @('0106', '0108')
        Get-Completion "Get-DdaDevice -Root $Reference -Class Non-V" | Should -Be @("'Non-Volatile memory controller'")
    }

    It 'Mount- offers only pooled functions' {
        Get-Completion "Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:0" | Should -BeNullOrEmpty
        Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:02:00.0 -Transient -Confirm:$false | Out-Null
        try {
            Get-Completion "Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:0" | Should -Be @('0000:02:00.0')
            # Dismount still offers every function.
            @(Get-Completion "Dismount-DdaHostAssignableDevice -Root $Tree -Address 0000:0").Count | Should -BeGreaterThan 10
        } finally {
            Mount-DdaHostAssignableDevice -Root $Tree -Address 0000:02:00.0 -Force | Out-Null
        }
    }

    It 'completes a partial PCIROOT(0)#... without a leading quote, replacing the unquoted word' {
        $line = "Get-DdaDevice -Root $Reference -LocationPath PCIROOT(0)#PCI(02"
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        @($r.CompletionMatches.CompletionText) | Should -Contain "'PCIROOT(0)#PCI(0200)#PCI(0000)'"
        $r.ReplacementIndex | Should -Be $line.IndexOf('PCIROOT')
        $r.ReplacementLength | Should -Be ($line.Length - $line.IndexOf('PCIROOT'))
        # The completed line parses and names the device.
        $done = $line.Substring(0, $r.ReplacementIndex) + "'PCIROOT(0)#PCI(0200)#PCI(0000)'"
        (Invoke-Expression $done).Address | Should -Be '0000:01:00.0'
    }

    It 'leaves the session''s TabExpansion2 as it was after Remove-Module' {
        (Get-Item function:TabExpansion2).ScriptBlock.ToString() | Should -Match 'Invoke-DdaTabExpansion2'
        Get-Module DdaBridge | Remove-Module -Force
        try {
            (Get-Item function:TabExpansion2).ScriptBlock.ToString() | Should -Not -Match 'Invoke-DdaTabExpansion2'
            (TabExpansion2 -inputScript 'Get-ChildItem -Pat' -cursorColumn 18).CompletionMatches.CompletionText | Should -Contain '-Path'
        } finally { Import-DdaTestModule }
    }
}
