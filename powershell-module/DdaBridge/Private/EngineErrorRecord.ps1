# SPDX-License-Identifier: MIT
#
# Error records. An engine error arrives as the envelope's `error` object, whose `id` and
# `category` come from the engine's one table (org.ddabridge.engine.ErrorId): the module copies
# them and keeps no category table of its own. The module's own errors (engine not found, engine
# died, no device given) name their category where they are raised.

# What to do about an engine error, per engine error id, when the engine itself gave no advice.
# Remediation text only: the category is always the engine's.
$script:DdaRecommendedAction = @{
    DeviceNotFound    = 'List the devices with Get-DdaDevice (or Get-PnpDevice) and use one of their Address, LocationPath or InstanceId values.'
    HostImageNotFound = 'Check the -Root path: a directory that stands for /, or a .tar.gz made by Export-DdaHostImage.'
    HostImageInvalid  = 'Give -Root a directory with sys/bus/pci, or a .tar.gz made by Export-DdaHostImage.'
    Busy              = 'Another device change holds the host lock: wait for it to finish, then try again.'
    AccessDenied      = 'Run PowerShell as root (sudo pwsh) for device changes.'
    NotDismounted     = 'Dismount the device first (Dismount-DdaHostAssignableDevice or Dismount-VMHostAssignableDevice): its whole IOMMU group must be on vfio-pci.'
    DeviceHeldByVm    = 'Take the device out of the VM first (Remove-DdaVMAssignableDevice or Remove-VMAssignableDevice), or stop the VM.'
    VmNotFound        = 'Check the VM name (Get-DdaVM, virsh list --all) and the libvirt URI (-Uri or $env:DDABRIDGE_LIBVIRT_URI), or the qmp:/path socket.'
    VmFailed          = 'The hypervisor refused the change: read its message; for libvirt see virsh dumpxml <vm> and the libvirtd log.'
    NoFreeHotplugSlot = 'Give the VM an empty pcie-root-port (QEMU: -device pcie-root-port,id=rpN,chassis=N; libvirt: <controller type=''pci'' model=''pcie-root-port''/>).'
    AlreadyAttached   = 'The VM already has this device: Get-DdaVMAssignableDevice lists what it holds.'
    LibvirtUnavailable = 'Install libvirt (Debian: apt-get install libvirt0 libvirt-daemon-system).'
    Internal          = 'This is a DdaBridge bug: report it with the message and the -Verbose output.'
    Refused           = 'See the reasons in the message (Test-DdaDevice explains the device; -WhatIf shows the plan and its guards).'
    JournalCorrupt    = 'Run Repair-DdaHost: it keeps the damaged journal and rebuilds it from the live state.'
    HostImageTooLarge = 'Capture a smaller image (Export-DdaHostImage reads only what the engine needs).'
}

function New-DdaErrorRecord {
    <#
    .SYNOPSIS
        Builds an ErrorRecord from an error id, category name, message and target.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $ErrorId,
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $Message,
        [object] $Category = 'NotSpecified',
        [object] $TargetObject,
        [string] $RecommendedAction,
        [System.Exception] $InnerException
    )

    $parsedCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
    if ($Category -is [System.Management.Automation.ErrorCategory]) {
        $parsedCategory = $Category
    } elseif (-not [string]::IsNullOrWhiteSpace([string] $Category)) {
        if (-not [System.Enum]::TryParse([System.Management.Automation.ErrorCategory], [string] $Category, $true, [ref] $parsedCategory)) {
            Write-Verbose "DdaBridge: unknown error category '$Category' from the engine; using NotSpecified."
            $parsedCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
        }
    }
    if ([string]::IsNullOrWhiteSpace($Message)) { $Message = "The DdaBridge engine reported error '$ErrorId'." }
    if ([string]::IsNullOrWhiteSpace($ErrorId)) { $ErrorId = 'EngineError' }

    # A .NET exception type that matches the category, so `catch [type]` works as people expect.
    $exception = switch ($parsedCategory) {
        'ObjectNotFound' { [System.Management.Automation.ItemNotFoundException]::new($Message, $InnerException) }
        'InvalidArgument' { [System.ArgumentException]::new($Message, $InnerException) }
        'PermissionDenied' { [System.UnauthorizedAccessException]::new($Message, $InnerException) }
        'NotImplemented' { [System.NotImplementedException]::new($Message, $InnerException) }
        'InvalidData' { [System.IO.InvalidDataException]::new($Message, $InnerException) }
        default { [System.InvalidOperationException]::new($Message, $InnerException) }
    }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $parsedCategory, $TargetObject)
    if ($RecommendedAction) {
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Message)
        $record.ErrorDetails.RecommendedAction = $RecommendedAction
    }
    $record
}

function ConvertTo-DdaEngineErrorRecord {
    <#
    .SYNOPSIS
        The `error` object of an engine envelope as an ErrorRecord: the engine's id, category,
        message and target; RecommendedAction from the engine when it gives one, else from its
        details (forceHelps), else the per-id text above; details in Exception.Data['Details'].
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param([Parameter(Mandatory)] [AllowNull()] $EngineError)
    if ($null -eq $EngineError) {
        return New-DdaErrorRecord -ErrorId 'EngineProtocolError' -Category InvalidData -Message 'The DdaBridge engine answered ok:false without an error.'
    }
    $properties = $EngineError.PSObject.Properties
    $details = if ($properties['Details']) { $properties['Details'].Value } else { $null }
    # The engine's own advice first: remediation (and the next command, when it names one) on the
    # error itself or in its details.
    $recommended = $null
    foreach ($source in @($EngineError, $details)) {
        if ($null -eq $source -or $source -isnot [System.Management.Automation.PSCustomObject]) { continue }
        $sourceProperties = $source.PSObject.Properties
        $text = foreach ($name in 'RecommendedAction', 'Remediation') {
            if ($sourceProperties[$name] -and $sourceProperties[$name].Value) { [string] $sourceProperties[$name].Value; break }
        }
        $next = if ($sourceProperties['NextCommand'] -and $sourceProperties['NextCommand'].Value) { [string] $sourceProperties['NextCommand'].Value } else { $null }
        if ($text -or $next) {
            $recommended = (@($text, $(if ($next) { "Next: $next" })) | Where-Object { $_ }) -join ' '
            break
        }
    }
    if (-not $recommended -and $details -and $details.PSObject.Properties['ForceHelps'] -and $details.ForceHelps -eq $true) {
        $recommended = 'Check the reasons in the message; -Force overrides this refusal.'
    }
    if (-not $recommended) { $recommended = $script:DdaRecommendedAction[[string] $EngineError.Id] }
    $record = New-DdaErrorRecord -ErrorId ([string] $EngineError.Id) -Category ([string] $EngineError.Category) `
        -Message ([string] $EngineError.Message) -TargetObject $EngineError.Target -RecommendedAction $recommended
    # The engine's structured details (guards, failed step, rollback) stay reachable:
    # $err.Exception.Data['Details'].
    if ($null -ne $details) { $record.Exception.Data['Details'] = $details }
    $record
}

# What the protocol helpers return instead of an envelope when the process or pipe failed. (A
# returned value, not an exception: caught exceptions would still land in the caller's
# -ErrorVariable.) A class, so that the request path tells it from an envelope with `-is`: reading
# .PSObject of a fresh object costs PowerShell's member binder about 50 us, and that ran three
# times per request.
class DdaTransportFailure {
    [string] $Message
    [System.Exception] $Exception
}

function New-DdaTransportFailure {
    param([string] $Message, [System.Exception] $Exception)
    $failure = [DdaTransportFailure]::new()
    $failure.Message = $Message
    $failure.Exception = $Exception
    $failure
}

function Test-DdaTransportFailure {
    param($Answer)
    $Answer -is [DdaTransportFailure]
}

function Copy-DdaErrorRecord {
    # An ErrorRecord caught from a private helper, re-issued for the public cmdlet (so that its
    # FullyQualifiedErrorId ends in the public cmdlet's name, not the helper's).
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $Record)
    $id = ($Record.FullyQualifiedErrorId -split ',')[0]
    $copy = [System.Management.Automation.ErrorRecord]::new($Record.Exception, $id, $Record.CategoryInfo.Category, $Record.TargetObject)
    if ($Record.ErrorDetails) { $copy.ErrorDetails = $Record.ErrorDetails }
    $copy
}
