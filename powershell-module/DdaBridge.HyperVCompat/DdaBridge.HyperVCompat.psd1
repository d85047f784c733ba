@{
    RootModule           = 'DdaBridge.HyperVCompat.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0c7a5e-6a1b-4d8e-9c55-2f1f0b7d4a21'
    Author               = 'DdaBridge contributors'
    CompanyName          = 'DdaBridge'
    Copyright            = '(c) DdaBridge contributors. MIT License.'
    # Needs DdaBridge (its public commands only); the .psm1 imports it from the sibling folder or
    # PSModulePath, so no RequiredModules (which could not find the sibling).
    Description          = 'Opt-in Hyper-V/PnpDevice compatibility for Linux: Get-PnpDevice, Get-PnpDeviceProperty, Disable-/Enable-PnpDevice, Get-/Dismount-/Mount-VMHostAssignableDevice, Get-VM, Set-VM and Add-/Get-/Remove-VMAssignableDevice (libvirt domains), Get-VMHost and Get-WmiObject/Get-CimInstance (the classes SurveyDDA.ps1 reads) backed by the DdaBridge engine, so Hyper-V DDA scripts run unchanged on Linux/VFIO. Refuses to load on Windows or where Hyper-V''s cmdlets exist.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'Add-VMAssignableDevice'
        'Disable-PnpDevice'
        'Dismount-VMHostAssignableDevice'
        'Enable-PnpDevice'
        'Get-PnpDevice'
        'Get-CimInstance'
        'Get-PnpDeviceProperty'
        'Get-VM'
        'Get-VMAssignableDevice'
        'Get-VMHost'
        'Get-VMHostAssignableDevice'
        'Get-WmiObject'
        'Mount-VMHostAssignableDevice'
        'Remove-VMAssignableDevice'
        'Set-VM'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @('gcim', 'gwmi')
    PrivateData          = @{
        PSData = @{
            Tags         = @('Hyper-V', 'DDA', 'VFIO', 'Linux', 'PnpDevice')
            # As DdaBridge.psd1 (one project, one license).
            ProjectUri   = 'https://github.com/ddabridge/ddabridge'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Its own module folder beside DdaBridge: Import-Module DdaBridge.HyperVCompat works by name once both folders are in a PSModulePath folder.'
        }
    }
}
