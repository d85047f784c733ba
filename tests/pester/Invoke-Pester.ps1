<#
.SYNOPSIS
    Runs the DdaBridge Pester 5 tests and exits non-zero when any test or test file fails.

.DESCRIPTION
    Finds Pester 5 (-PesterPath, else $env:PESTER_MODULE, else Install-Pester.sh next to this
    script, which restores it from NuGet once, else an installed Pester 5), runs every
    *.Tests.ps1 in this folder (or -Path), and prints one closing line for CI:
        Pester: <n> passed, <n> failed, <n> skipped
    The module under test is $env:DDABRIDGE_MODULE (default: <repo>/dist/DdaBridge/DdaBridge.psd1)
    and the engine $env:DDABRIDGE_JAR (default: the module's own search).

.PARAMETER Path
    Test files or folders to run (default: this folder).

.PARAMETER PesterPath
    Pester.psd1 (or its folder) to import.

.PARAMETER ResultPath
    Also write NUnit XML results to this file.

.EXAMPLE
    pwsh -NoProfile -File tests/pester/Invoke-Pester.ps1

.EXAMPLE
    DDABRIDGE_MODULE=powershell-module/DdaBridge/DdaBridge.psd1 pwsh -File tests/pester/Invoke-Pester.ps1 -Path tests/pester/Module.Tests.ps1
#>
[CmdletBinding()]
param(
    [string[]] $Path = @($PSScriptRoot),
    [string] $PesterPath = $env:PESTER_MODULE,
    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'

function Find-Pester {
    if ($PesterPath) {
        if (Test-Path -LiteralPath $PesterPath -PathType Container) { return (Join-Path $PesterPath 'Pester.psd1') }
        return $PesterPath
    }
    $installer = Join-Path $PSScriptRoot 'Install-Pester.sh'
    if (-not $IsWindows -and (Test-Path -LiteralPath $installer) -and (Get-Command bash -ErrorAction Ignore)) {
        $dir = (& bash $installer | Select-Object -Last 1)
        if ($LASTEXITCODE -eq 0 -and $dir -and (Test-Path -LiteralPath (Join-Path $dir 'Pester.psd1'))) {
            return (Join-Path $dir 'Pester.psd1')
        }
        Write-Warning "Install-Pester.sh did not provide Pester (exit code $LASTEXITCODE)."
    }
    $installed = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -eq 5 } |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) { return $installed.Path }
    throw 'Pester 5 not found: run tests/pester/Install-Pester.sh or pass -PesterPath.'
}

$pesterManifest = Find-Pester
Get-Module Pester | Remove-Module -Force
Import-Module $pesterManifest -Force
$pester = Get-Module Pester
if ($pester.Version.Major -ne 5) { throw "Pester 5 is required; got $($pester.Version) from $pesterManifest." }
Write-Host "Pester $($pester.Version) from $($pester.ModuleBase)"
$module = if ($env:DDABRIDGE_MODULE) { $env:DDABRIDGE_MODULE } else { Join-Path $PSScriptRoot '../../dist/DdaBridge/DdaBridge.psd1' }
Write-Host "Module under test: $module"
Write-Host "Engine: $(if ($env:DDABRIDGE_JAR) { $env:DDABRIDGE_JAR } else { '(found by the module)' })"

# `pwsh -File` hands "-Path a,b" over as one string: split it.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
foreach ($item in $Path) {
    if (-not (Test-Path -LiteralPath $item)) { throw "Test path not found: $item" }
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.CIFormat = 'None'
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $ResultPath
}

$run = Invoke-Pester -Configuration $configuration
if (-not $run) {
    Write-Host 'Pester: 0 passed, 1 failed, 0 skipped'
    Write-Host 'Invoke-Pester returned no result.'
    exit 1
}

$failedContainers = @($run.Containers | Where-Object { $_.Result -eq 'Failed' }).Count
$failed = [int] $run.FailedCount + [int] $run.FailedBlocksCount + [int] $run.FailedContainersCount
Write-Host ''
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f [int] $run.PassedCount, $failed, ([int] $run.SkippedCount + [int] $run.NotRunCount))
# Skipped tests by name (e.g. the Linux-only blocks on Windows): never a silent skip.
foreach ($test in @($run.Skipped)) { Write-Host "Pester not run: $($test.ExpandedPath)" }
if ($run.FailedBlocksCount -or $run.FailedContainersCount) {
    Write-Host ("({0} failed blocks, {1} failed files)" -f $run.FailedBlocksCount, $run.FailedContainersCount)
}

if ($failed -gt 0 -or $failedContainers -gt 0) { exit 1 }
if ([int] $run.PassedCount -eq 0) {
    Write-Host 'No test passed: treating the run as failed.'
    exit 1
}
exit 0
