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
            Tags       = @('PCIe', 'DDA', 'VFIO', 'Hyper-V', 'IOMMU', 'Passthrough', 'Linux', 'Windows')
        }
    }
}
