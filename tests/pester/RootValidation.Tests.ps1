# -Root on every cmdlet of both modules: an empty or blank value is a parameter-validation error
# (it used to mean this machine's live /sys without a word). No engine is involved: java points
# nowhere, so a call that got past parameter binding would fail with JavaNotFound instead.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    Import-Module (Get-DdaTestCompatModulePath) -Force -ErrorAction Stop
    # Mandatory parameters other than -Root, per cmdlet.
    $extra = @{
        'Export-DdaHostImage'     = @{ Path = 'never-written.tar.gz' }
        'Export-DdaReport'        = @{ Path = 'never-written.html' }
        'Invoke-DdaSurvey'        = @{ HostName = 'never-contacted.invalid' }
        'Invoke-DdaEngineRequest' = @{ Command = 'version' }
        'Get-PnpDeviceProperty'   = @{ InstanceId = 'PCI\VEN_1B36&DEV_0010' }
        'Disable-PnpDevice'       = @{ InstanceId = 'PCI\VEN_1B36&DEV_0010' }
        'Enable-PnpDevice'        = @{ InstanceId = 'PCI\VEN_1B36&DEV_0010' }
        'Add-DdaVMAssignableDevice'    = @{ VMName = 'never-contacted' }
        'Remove-DdaVMAssignableDevice' = @{ VMName = 'never-contacted' }
        'Add-VMAssignableDevice'       = @{ VMName = 'never-contacted' }
        'Remove-VMAssignableDevice'    = @{ VMName = 'never-contacted' }
        'Get-VMAssignableDevice'       = @{ VMName = 'never-contacted' }
    }
    $script:Cases = foreach ($module in 'DdaBridge', 'DdaBridge.HyperVCompat') {
        foreach ($name in (Get-Module $module).ExportedFunctions.Keys | Sort-Object) {
            if (-not (Get-Command $name).Parameters.ContainsKey('Root')) { continue }
            foreach ($value in '', ' ', "`t") {
                @{ Name = $name; Value = $value; Shown = "'$($value -replace "`t", '\t')'"; Extra = $(if ($extra[$name]) { $extra[$name] } else { @{} }) }
            }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-DdaTestModule
    Import-Module (Get-DdaTestCompatModulePath) -Force -ErrorAction Stop
    $script:SavedJava = $env:DDABRIDGE_JAVA
    $env:DDABRIDGE_JAVA = Join-Path $TestDrive 'no-java-here'
}

AfterAll {
    $env:DDABRIDGE_JAVA = $script:SavedJava
    Get-Module DdaBridge.HyperVCompat | Remove-Module -Force
    Get-Module DdaBridge | Remove-Module -Force
}

Describe '-Root validation' {
    It 'covers every cmdlet of both modules that has -Root' {
        $names = @($Cases | ForEach-Object { $_.Name } | Select-Object -Unique)
        # counted on purpose: a cmdlet that gains or loses -Root must be noticed here
        $names.Count | Should -Be 31
    }

    It '<Name> -Root <Shown> is a parameter-validation error' -ForEach $Cases {
        $parameters = @{ Root = $Value } + $Extra
        # State changes are asked not to prompt; read cmdlets have no -Confirm.
        if ((Get-Command $Name).Parameters.ContainsKey('Confirm')) { $parameters.Confirm = $false }
        { & $Name @parameters -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,$Name"
        try { & $Name @parameters -ErrorAction Stop } catch { $caught = $_ }
        $caught.Exception.Message | Should -Match '-Root is empty'
    }

    It 'still reaches the engine with a real -Root (so the errors above came from validation)' {
        { Get-DdaDevice -Root (Join-Path $TestDrive 'image') -ErrorAction Stop } | Should -Throw -ErrorId 'JavaNotFound,Get-DdaDevice'
    }
}
