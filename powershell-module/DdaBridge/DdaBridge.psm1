# SPDX-License-Identifier: MIT
#
# DdaBridge: PowerShell front end of the DdaBridge engine (PCIe device pass-through readiness
# for Hyper-V DDA and Linux VFIO). All logic lives in the Java engine; this module only types
# its JSON answers. Private/Invoke-DdaEngine.ps1 is the only way to the engine (Java).
#
# New cmdlets drop in as one Public/<Verb>-Dda<Noun>.ps1 file each (plus their name in
# FunctionsToExport of DdaBridge.psd1).

# Strict mode 1 only: the engine may omit optional JSON fields, which higher modes turn into errors.
Set-StrictMode -Version 1

$script:DdaModuleRoot = $PSScriptRoot

foreach ($folder in 'Private', 'Public') {
    $path = Join-Path $PSScriptRoot $folder
    if (-not (Test-Path -LiteralPath $path)) { continue }
    foreach ($file in Get-ChildItem -LiteralPath $path -Filter '*.ps1' -File | Sort-Object Name) {
        . $file.FullName
    }
}

# An unquoted PCIROOT(0)#... completes too (Private/Complete-DdaDeviceArgument.ps1).
Register-DdaTabExpansion2

# Stop the session's serve process when the module is removed (Remove-Module, or a re-import
# with -Force), and give the session its own TabExpansion2 back. When PowerShell itself exits, the
# engine sees EOF on stdin and exits.
$ExecutionContext.SessionState.Module.OnRemove = {
    Unregister-DdaTabExpansion2
    Stop-DdaEngine
}
