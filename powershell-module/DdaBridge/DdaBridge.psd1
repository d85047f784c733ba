@{
    RootModule           = 'DdaBridge.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '7b73552d-34a3-4bdb-bd92-b129935874ce'
    Author               = 'DdaBridge contributors'
    CompanyName          = 'DdaBridge'
    Copyright            = '(c) DdaBridge contributors. MIT License.'
    Description          = 'PCIe device pass-through readiness (Hyper-V DDA and Linux VFIO): a typed PowerShell front end for the DdaBridge Java engine.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')

    # Explicit lists, no wildcards: each new Public/<Name>.ps1 adds its name here.
    FunctionsToExport    = @(
        'Add-DdaVMAssignableDevice'
        'Disable-DdaDevice'
        'Dismount-DdaHostAssignableDevice'
        'Enable-DdaDevice'
        'Export-DdaHostImage'
        'Export-DdaReport'
        'Get-DdaDevice'
        'Get-DdaHostAssignableDevice'
        'Get-DdaIommuGroup'
        'Get-DdaMmioRequirement'
        'Get-DdaVM'
        'Get-DdaVMAssignableDevice'
        'Invoke-DdaSurvey'
        'Invoke-DdaEngineRequest'
        'Mount-DdaHostAssignableDevice'
        'Remove-DdaVMAssignableDevice'
        'Repair-DdaHost'
        'Set-DdaVM'
        'Test-DdaDevice'
        'Test-DdaHost'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    FormatsToProcess     = @('Formats/DdaBridge.Format.ps1xml')

    PrivateData          = @{
        PSData = @{
            Tags         = @('PCIe', 'DDA', 'VFIO', 'Hyper-V', 'IOMMU', 'Passthrough', 'Linux', 'Windows')
            # ProjectUri: the project's public home (to be confirmed when it is published);
            # LicenseUri: the MIT license text itself (LICENSE in the repository says the same).
            ProjectUri   = 'https://github.com/ddabridge/ddabridge'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Every cmdlet binds -Root (and the device identity) by property name, so objects read from a host image stay on that image (RootMismatch when an explicit -Root differs); empty pipelines do nothing; list views show remediation and next commands; confirmation prompts show the engine''s plan; Export-Csv-friendly list properties; completers for -Class and pooled addresses; the engine ships inside the module folder (engine/ddabridge.jar).'
        }
    }
}
