# SPDX-License-Identifier: MIT
#
# DdaBridge.HyperVCompat: the Windows cmdlets a Hyper-V DDA script uses, for Linux, backed by the
# DdaBridge engine, so that such a script runs unchanged on a Linux/VFIO host:
#
#   Get-PnpDevice, Get-PnpDeviceProperty, Disable-PnpDevice, Enable-PnpDevice
#   Get-VMHostAssignableDevice, Dismount-VMHostAssignableDevice, Mount-VMHostAssignableDevice
#   Get-VM, Set-VM, Add-VMAssignableDevice, Get-VMAssignableDevice, Remove-VMAssignableDevice (libvirt)
#   Get-VMHost, Get-WmiObject (gwmi) and Get-CimInstance (gcim) for the classes SurveyDDA.ps1 reads
#
# Opt-in: import it explicitly (Import-Module DdaBridge.HyperVCompat when this folder and DdaBridge's
# sit in one PSModulePath folder, or by the path of its .psd1). It refuses to load on Windows and
# wherever Hyper-V's own cmdlets exist, so it never shadows them. Linux meaning of each cmdlet:
# see about_DdaBridge (HYPER-V COMPATIBILITY) and docs/powershell.md.
# Each cmdlet is one file in Public/; they use DdaBridge's public commands only (Private/).

Set-StrictMode -Version 1

# Windows PowerShell 5.1 runs only on Windows and has no $IsWindows (reading it fails under StrictMode).
if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
    throw [System.PlatformNotSupportedException]::new(
        'DdaBridge.HyperVCompat is for Linux hosts: on Windows use the PnpDevice and Hyper-V modules themselves.')
}
$hyperV = @(Get-Command -Name 'Dismount-VMHostAssignableDevice', 'Get-VMHostAssignableDevice', 'Add-VMAssignableDevice', 'Get-VMHost' -CommandType Cmdlet -ErrorAction Ignore) +
    @(Get-Module -ListAvailable -Name 'Hyper-V', 'PnpDevice' -ErrorAction Ignore)
if ($hyperV.Count) {
    throw [System.InvalidOperationException]::new(
        "DdaBridge.HyperVCompat will not load here: Hyper-V's or PnpDevice's own cmdlets exist ($(@($hyperV | ForEach-Object Name | Select-Object -Unique) -join ', ')).")
}
Remove-Variable -Name hyperV

# DdaBridge itself: the session's copy, else the one shipped next to this folder (same release),
# else whichever PSModulePath has. Imported globally, so the Dda* cmdlets are there too.
if (-not (Get-Module -Name DdaBridge)) {
    $sibling = Join-Path $PSScriptRoot '../DdaBridge/DdaBridge.psd1'
    if (Test-Path -LiteralPath $sibling -PathType Leaf) {
        Import-Module $sibling -Global -ErrorAction Stop
    } else {
        Import-Module -Name DdaBridge -Global -ErrorAction Stop
    }
    Remove-Variable -Name sibling
}

foreach ($folder in 'Private', 'Public') {
    $path = Join-Path $PSScriptRoot $folder
    foreach ($file in Get-ChildItem -LiteralPath $path -Filter '*.ps1' -File | Sort-Object Name) {
        . $file.FullName
    }
}

# Windows PowerShell's aliases of the WMI/CIM readers (PowerShell 7 has neither the cmdlets nor gwmi on
# Linux; SurveyDDA.ps1 calls gwmi).
Set-Alias -Name gwmi -Value Get-WmiObject
Set-Alias -Name gcim -Value Get-CimInstance

Export-ModuleMember -Function 'Add-VMAssignableDevice', 'Disable-PnpDevice', 'Dismount-VMHostAssignableDevice', 'Enable-PnpDevice', 'Get-CimInstance', 'Get-PnpDevice', 'Get-PnpDeviceProperty', 'Get-VM', 'Get-VMAssignableDevice', 'Get-VMHost', 'Get-VMHostAssignableDevice', 'Get-WmiObject', 'Mount-VMHostAssignableDevice', 'Remove-VMAssignableDevice', 'Set-VM' -Alias 'gcim', 'gwmi'
