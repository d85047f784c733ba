# SPDX-License-Identifier: MIT

function Get-DdaDevice {
    <#
    .SYNOPSIS
        Gets the PCI devices of this machine, or of a captured host image.

    .DESCRIPTION
        Get-DdaDevice lists PCI functions as DdaBridge.Device objects: PCI address
        (domain:bus:device.function), Windows location path and instance id, vendor/device ids and
        names, class, bound driver, IOMMU group, NUMA node, BARs and parent bridge.

        It only reads. On Linux the data comes from sysfs (/sys/bus/pci/devices); on Windows from
        the PnP device tree. With -Root, a host image (a directory that stands for /, or a
        .tar.gz made by the engine's capture command) is read instead of the live machine.

        Each -Address, -LocationPath and -InstanceId value is looked up on its own; a value that
        matches no device gives a non-terminating DeviceNotFound error and the others still run.
        Objects piped in are matched by their Address property, else LocationPath, else
        InstanceId (so the output of Get-DdaDevice, or of Get-VMHostAssignableDevice, can be
        piped in).

    .PARAMETER Address
        PCI address(es), e.g. 0000:01:00.0. A short form without the domain (01:00.0) means
        domain 0000.

    .PARAMETER LocationPath
        Windows location path(s), e.g. PCIROOT(0)#PCI(0200)#PCI(0000).

    .PARAMETER InstanceId
        PnP device instance id(s), e.g. PCI\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02\3&0&0&0010.

    .PARAMETER Class
        Only devices of this class: a class code prefix in hex (01, 0108, 010802) or a class name
        such as 'Non-Volatile memory controller', as the engine accepts it.

    .PARAMETER Root
        Read this host image instead of the live machine: a directory treated as / for /sys and
        /proc, or a .tar.gz capture.

    .INPUTS
        System.String (Address), or any object with an Address, LocationPath or InstanceId
        property, such as DdaBridge.Device.

    .OUTPUTS
        DdaBridge.Device

    .EXAMPLE
        Get-DdaDevice

        Lists every PCI function of this machine.

    .EXAMPLE
        Get-DdaDevice 0000:01:00.0, 0000:02:00.0

        Gets two devices by PCI address.

    .EXAMPLE
        Get-DdaDevice | Where-Object Driver -eq nvme

        Lists the NVMe controllers bound to the Linux nvme driver.

    .EXAMPLE
        Get-DdaDevice -Class 0300 | Format-List

        Shows all VGA-compatible display controllers with every property.

    .EXAMPLE
        Get-DdaDevice -LocationPath 'PCIROOT(0)#PCI(0200)#PCI(0000)'

        Gets a device by its Windows location path (the form Dismount-VMHostAssignableDevice takes).

    .EXAMPLE
        Get-DdaDevice -Root ./captures/server1.tar.gz | Group-Object IommuGroup

        Reads a captured host image and groups its devices by IOMMU group.

    .EXAMPLE
        Import-Csv wanted.csv | Get-DdaDevice

        Looks up every row by its Address (or LocationPath / InstanceId) column.

    .LINK
        about_DdaBridge
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DdaBridge.Device')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Bdf')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Address,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string[]] $LocationPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('DeviceInstanceId', 'PNPDeviceID')]
        [ValidateNotNullOrEmpty()]
        [string[]] $InstanceId,

        [ValidateNotNullOrEmpty()]
        [string] $Class,

        # By property name too: a piped object's Root names the host image it was read from (see
        # Resolve-DdaInputRoot); the command-line value is checked in begin (Get-DdaCommandLineRoot).
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Root,

        # Receives whatever is piped in: a string is an address; other objects are matched by
        # their Address / LocationPath / InstanceId properties (bound above by property name).
        [Parameter(ValueFromPipeline, DontShow)]
        [object] $InputObject
    )

    begin {
        $commandLine = @(foreach ($key in $PSBoundParameters.Keys) { if ($key -in $script:DdaIdentityKeys) { $key } })
        $selection = New-DdaSelection -BoundParameters $PSBoundParameters -Cmdlet $PSCmdlet
    }

    process {
        # Unlike the other read cmdlets, each pipeline object is answered at once (streaming):
        # the identities of this process-block call only. Read the parameter variables, not
        # $PSBoundParameters: the latter keeps values bound from earlier pipeline objects.
        $values = @{ Address = $Address; LocationPath = $LocationPath; InstanceId = $InstanceId }
        $piped = $PSBoundParameters.ContainsKey('InputObject') -and $null -ne $InputObject
        $rootPath = Resolve-DdaInputRoot -Cmdlet $PSCmdlet -Selection $selection -Root $Root -InputObject $InputObject -Piped $piped
        if ($null -eq $rootPath) { return }   # RootMismatch written
        $computerName = if ($rootPath) { $null } else { [System.Environment]::MachineName }
        $baseArgs = [ordered]@{}
        if ($rootPath) { $baseArgs.root = $rootPath }
        if ($Class) { $baseArgs.class = $Class }
        $lookups = Get-DdaIdentity -CommandLineKeys $commandLine -Values $values -InputObject $InputObject
        if ($lookups.Count -eq 0) {
            if ($piped -and $commandLine.Count -eq 0) {
                $PSCmdlet.WriteError((New-DdaErrorRecord -ErrorId 'NoDeviceIdentity' -Category InvalidArgument -TargetObject $InputObject `
                            -Message "The input object has no Address, LocationPath or InstanceId property: $InputObject" `
                    -RecommendedAction 'Name the device with -Address (e.g. 0000:01:00.0), -LocationPath or -InstanceId, or pipe Get-DdaDevice output in.'))
                return
            }
            if ($piped -or $commandLine.Count) { return }   # only blank identities: nothing to look up
            $lookups.Add($null)   # no filter: every device
        }

        $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($lookup in $lookups) {
            $request = [ordered]@{}
            foreach ($k in $baseArgs.Keys) { $request[$k] = $baseArgs[$k] }
            if ($lookup) {
                $key, $value = $lookup
                if ($key -eq 'Address') {
                    # Accept the short form bus:device.function (domain 0000), any case.
                    if ($value -match '^[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$') { $value = "0000:$value" }
                    $value = $value.ToLowerInvariant()
                }
                $request[(ConvertTo-DdaRequestKey $key)] = $value
            }
            $result = Invoke-DdaEngine -Command devices -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
            $devices = ConvertTo-DdaObject -InputObject $result -TypeName $script:DdaTypeName.Device -ComputerName $computerName -Root $rootPath
            if ($lookups.Count -eq 1) { $devices; continue }   # one answer has each device once
            foreach ($device in $devices) {
                # Several identities in one call may name the same device: output it once.
                if ($device.Address -and -not $seen.Add([string] $device.Address)) { continue }
                $device
            }
        }
    }
}

# Completers are registered from module scope so that they can call the module's private
# functions (a scriptblock in an [ArgumentCompleter()] attribute runs outside the module).
Register-DdaDeviceCompleter -CommandName Get-DdaDevice
