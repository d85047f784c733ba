# Windows PowerShell 5.1 (Desktop edition, .NET Framework 4.x) compatibility of the module's scripts.
# The syntax check parses every .ps1/.psm1 of powershell-module/ (both DdaBridge and
# DdaBridge.HyperVCompat) and fails on PowerShell-7-only syntax; it is itself tested on a snippet with
# each construct, so an empty finding list means the walk works, not that it looked at nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ModuleSource = Join-Path $script:RepoRoot 'powershell-module'

    function Find-DdaPs7Syntax {
        # Returns one line per PowerShell-7-only construct in the script text or file.
        param([string] $Path, [string] $Text)
        $tokens = $null
        $errors = $null
        $ast = if ($Path) {
            [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        } else {
            [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors)
        }
        $where = if ($Path) { $Path } else { 'snippet' }
        # Windows PowerShell 5.1's parser cannot parse PowerShell 7 syntax at all: a parse error is a finding.
        if ($errors) {
            foreach ($e in $errors) { '{0}:{1}: parse error: {2}' -f $where, $e.Extent.StartLineNumber, $e.Message }
            return
        }
        $found = $ast.FindAll({
                param($n)
                $t = $n.GetType().Name
                if ($t -in 'TernaryExpressionAst', 'PipelineChainAst') { return $true }
                if ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and
                    $n.Operator.ToString() -eq 'QuestionQuestion') { return $true }
                if ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                    $n.Operator.ToString() -eq 'QuestionQuestionEquals') { return $true }
                if ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and
                    $n.PSObject.Properties['NullConditional'] -and $n.NullConditional) { return $true }
                if ($n -is [System.Management.Automation.Language.NamedBlockAst] -and
                    $n.BlockKind.ToString() -eq 'Clean') { return $true }
                if ($n -is [System.Management.Automation.Language.CommandAst]) {
                    $name = $n.GetCommandName()
                    if ($name -in 'ForEach-Object', 'foreach', '%') {
                        foreach ($e in $n.CommandElements) {
                            if ($e -is [System.Management.Automation.Language.CommandParameterAst] -and
                                'parallel'.StartsWith($e.ParameterName.ToLowerInvariant()) -and $e.ParameterName.Length -ge 2) {
                                return $true
                            }
                        }
                    }
                }
                $false
            }, $true)
        foreach ($n in $found) {
            $kind = $n.GetType().Name
            if ($n -is [System.Management.Automation.Language.NamedBlockAst]) { $kind = 'clean block' }
            elseif ($n -is [System.Management.Automation.Language.CommandAst]) { $kind = 'ForEach-Object -Parallel' }
            elseif ($n -is [System.Management.Automation.Language.BinaryExpressionAst]) { $kind = '??' }
            elseif ($n -is [System.Management.Automation.Language.AssignmentStatementAst]) { $kind = '??=' }
            elseif ($n -is [System.Management.Automation.Language.MemberExpressionAst]) { $kind = '?.' }
            '{0}:{1}: {2}: {3}' -f $where, $n.Extent.StartLineNumber, $kind, $n.Extent.Text.Split("`n")[0]
        }
    }
}

Describe 'Windows PowerShell 5.1 syntax' {
    It 'the walk finds each PowerShell-7-only construct' -TestCases @(
        @{ Name = 'ternary'; Code = '$a = $true ? 1 : 2' }
        @{ Name = 'null-coalescing'; Code = '$a = $b ?? 3' }
        @{ Name = 'null-coalescing assignment'; Code = '$a ??= 3' }
        @{ Name = 'null-conditional member'; Code = '$x = ${a}?.Length' }
        @{ Name = 'null-conditional method'; Code = '$x = ${a}?.ToString()' }
        @{ Name = 'pipeline chain &&'; Code = 'Get-Date && Get-Date' }
        @{ Name = 'pipeline chain ||'; Code = 'Get-Date || Get-Date' }
        @{ Name = 'ForEach-Object -Parallel'; Code = '1..2 | ForEach-Object -Parallel { $_ }' }
        @{ Name = '% -par'; Code = '1..2 | % -par { $_ } -ThrottleLimit 2' }
        @{ Name = 'clean block'; Code = 'function f { process { 1 } clean { 2 } }' }
    ) {
        param($Name, $Code)
        $found = @(Find-DdaPs7Syntax -Text $Code)
        if ($PSVersionTable.PSEdition -eq 'Desktop') {
            # 5.1 reports the construct as one or more parse errors.
            $found.Count | Should -BeGreaterThan 0 -Because $Name
        } else {
            $found.Count | Should -Be 1 -Because $Name
            $found[0] | Should -Not -Match 'parse error'
        }
    }

    It 'the walk accepts what Windows PowerShell 5.1 has' {
        $ok = @'
$a = if ($b) { 1 } else { 2 }
$c = $a -and $b
1..2 | ForEach-Object -Process { $_ }
1..2 | ForEach-Object { $_.ToString() }
function g { begin { } process { } end { } }
'@
        @(Find-DdaPs7Syntax -Text $ok) | Should -BeNullOrEmpty
    }

    It 'no module script uses PowerShell-7-only syntax' {
        $files = @(Get-ChildItem -LiteralPath $script:ModuleSource -Recurse -File -Include '*.ps1', '*.psm1')
        # Both modules' scripts are there (DdaBridge and DdaBridge.HyperVCompat).
        ($files | ForEach-Object Name) | Should -Contain 'DdaBridge.psm1'
        ($files | ForEach-Object Name) | Should -Contain 'DdaBridge.HyperVCompat.psm1'
        $files.Count | Should -BeGreaterThan 10
        $findings = foreach ($f in $files) { Find-DdaPs7Syntax -Path $f.FullName }
        @($findings) | Should -BeNullOrEmpty
    }

    It 'the manifests declare the Desktop and Core editions and PowerShell 5.1' -TestCases @(
        @{ Manifest = 'DdaBridge/DdaBridge.psd1' }
        @{ Manifest = 'DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1' }
    ) {
        param($Manifest)
        $data = Import-PowerShellDataFile -Path (Join-Path $script:ModuleSource $Manifest)
        [version] $data.PowerShellVersion | Should -Be ([version] '5.1')
        @($data.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
    }

    It 'no module script reads $IsWindows (undefined in Windows PowerShell 5.1, an error under StrictMode)' {
        $files = @(Get-ChildItem -LiteralPath $script:ModuleSource -Recurse -File -Include '*.ps1', '*.psm1')
        $uses = foreach ($f in $files) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($f.FullName, [ref] $null, [ref] $null)
            $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] -and
                    $n.VariablePath.UserPath -in 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR' }, $true) |
                ForEach-Object { '{0}:{1}' -f $f.Name, $_.Extent.StartLineNumber }
        }
        @($uses) | Should -BeNullOrEmpty
    }
}

Describe '.NET Framework process and JSON handling' {
    BeforeAll {
        Import-DdaTestModule
    }

    # Needs coreutils' printf: always there on Linux (a missing one fails); Windows has none (skipped, and
    # counted as skipped, there).
    It 'quotes arguments the way the MS C runtime splits them (ProcessStartInfo.Arguments on .NET Framework)' -Skip:([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
        $printf = (Get-Command printf -CommandType Application -ErrorAction Ignore | Select-Object -First 1)
        if (-not $printf) { throw 'printf (coreutils) is needed for this test' }
        $args = @('plain', 'two words', '', 'quote"inside', 'back\slash', 'trailing\', 'both \"x\" ', 'C:\Program Files\x\')
        $line = & (Get-Module DdaBridge) { param($a) Join-DdaProcessArgument -Argument $a } $args
        # .NET parses ProcessStartInfo.Arguments with the same rules on every platform: start a real
        # process with the joined line and compare what it received.
        $psi = [System.Diagnostics.ProcessStartInfo]::new($printf.Source)
        $psi.Arguments = '"%s\0" ' + $line
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        $received = $out.Split([char] 0)
        $received[0..($args.Count - 1)] | Should -Be $args
    }

    It 'sends requests as ASCII JSON (no stdin encoding is needed on .NET Framework)' {
        $json = & (Get-Module DdaBridge) { ConvertTo-DdaRequestJson -Request ([ordered]@{ id = 1; args = @{ vmName = 'Prüf-VM 😀' } }) }
        $json | Should -Match '^[\x00-\x7F]*$'
        (ConvertFrom-Json -InputObject $json).args.vmName | Should -Be 'Prüf-VM 😀'
    }
}
