# Installing the modules the PowerShell way (issue 14): the built module folders (dist/DdaBridge with
# its engine inside, dist/DdaBridge.HyperVCompat) copied as they are into a fresh folder on
# PSModulePath are imported BY NAME in a child pwsh, with no DDABRIDGE_JAR and no dev tree around
# them, and Get-DdaDevice -Root reads a fixture image through the engine the module carries.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ModuleDir = Split-Path -Parent (Get-DdaTestModulePath)
    $script:CompatDir = Split-Path -Parent (Get-DdaTestCompatModulePath)
    $script:Fixture = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz')).Path
    # The PowerShell running the tests ($PSHOME/pwsh, else pwsh on PATH, else the dotnet global tool;
    # the process itself may be 'dotnet' for a global tool install).
    $script:Pwsh = @((Join-Path $PSHOME 'pwsh'), (Get-Command pwsh -CommandType Application -ErrorAction Ignore).Source,
        (Join-Path $HOME '.dotnet/tools/pwsh')) | Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
    if (-not $Pwsh) { throw 'No pwsh executable found for the child process.' }
}

Describe 'Module folders copied into a PSModulePath folder' {
    It 'the built DdaBridge folder carries its engine' {
        # Only the built folder (build.sh) has it; the source folder powershell-module/DdaBridge does not.
        Join-Path $ModuleDir 'engine/ddabridge.jar' | Should -Exist -Because "run build.sh: $ModuleDir must be the built module folder"
    }

    It 'both modules import by name and Get-DdaDevice -Root reads a fixture with the engine inside the module' {
        $modules = Join-Path $TestDrive 'Modules'
        New-Item -ItemType Directory -Path $modules | Out-Null
        Copy-Item -LiteralPath $ModuleDir -Destination (Join-Path $modules 'DdaBridge') -Recurse
        Copy-Item -LiteralPath $CompatDir -Destination (Join-Path $modules 'DdaBridge.HyperVCompat') -Recurse
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module DdaBridge.HyperVCompat
$result = [ordered]@{
    DdaBridge = (Get-Module DdaBridge).ModuleBase
    Compat    = (Get-Module DdaBridge.HyperVCompat).ModuleBase
    Jar       = & (Get-Module DdaBridge) { (Resolve-DdaEngineLaunch).Jar }
    Devices   = @(Get-DdaDevice -Root $env:FIXTURE -Class 0108 | ForEach-Object { '{0} {1}:{2}' -f $_.Address, $_.VendorId, $_.DeviceId })
    Pnp       = @(Get-PnpDevice -Root $env:FIXTURE -Class SCSIAdapter | ForEach-Object InstanceId).Count
}
Remove-Module DdaBridge.HyperVCompat, DdaBridge
Import-Module DdaBridge
$result.ByNameAlone = (Get-Module DdaBridge).ModuleBase
$result | ConvertTo-Json -Compress
'@
        $file = Join-Path $TestDrive 'install-check.ps1'
        Set-Content -LiteralPath $file -Value $script -Encoding utf8
        $saved = @{ PSModulePath = $env:PSModulePath; DDABRIDGE_JAR = $env:DDABRIDGE_JAR; DDABRIDGE_MODULE = $env:DDABRIDGE_MODULE; FIXTURE = $env:FIXTURE }
        try {
            # The copy first on PSModulePath; the engine only from inside the module.
            $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
            $env:DDABRIDGE_JAR = $null
            $env:DDABRIDGE_MODULE = $null
            $env:FIXTURE = $Fixture
            Push-Location $TestDrive   # not in the source tree: no dev-tree fallback can be found
            $out = & $Pwsh -NoProfile -NonInteractive -File $file 2>&1
            $rc = $LASTEXITCODE
        } finally {
            Pop-Location
            foreach ($k in $saved.Keys) { Set-Item -Path "env:$k" -Value $saved[$k] }
        }
        $rc | Should -Be 0 -Because ($out -join [Environment]::NewLine)
        $r = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $r.DdaBridge | Should -Be (Join-Path $modules 'DdaBridge')
        $r.Compat | Should -Be (Join-Path $modules 'DdaBridge.HyperVCompat')
        $r.ByNameAlone | Should -Be (Join-Path $modules 'DdaBridge')
        $r.Jar | Should -Be (Join-Path $modules 'DdaBridge/engine/ddabridge.jar')
        $r.Devices | Should -Be @('0000:01:00.0 1b36:0010', '0000:02:00.0 1b36:0010')
        $r.Pnp | Should -Be 2
    }
}

Describe 'Manifest metadata' {
    It '<Name> names its project, license, tags and release notes' -ForEach @(
        @{ Name = 'DdaBridge'; Path = (Join-Path $PSScriptRoot '../../powershell-module/DdaBridge/DdaBridge.psd1') }
        @{ Name = 'DdaBridge.HyperVCompat'; Path = (Join-Path $PSScriptRoot '../../powershell-module/DdaBridge.HyperVCompat/DdaBridge.HyperVCompat.psd1') }
    ) {
        $m = Test-ModuleManifest -Path $Path -ErrorAction Stop -WarningAction SilentlyContinue
        $m.ProjectUri | Should -Not -BeNullOrEmpty
        $m.ProjectUri.Scheme | Should -Be 'https'
        $m.LicenseUri | Should -Not -BeNullOrEmpty
        @($m.Tags) | Should -Contain 'VFIO'
        $m.ReleaseNotes | Should -Not -BeNullOrEmpty
        $m.Copyright | Should -Match 'MIT'
    }
}
