# SPDX-License-Identifier: MIT

function Export-DdaHostImage {
    <#
    .SYNOPSIS
        Captures this host (or a host image) as a .tar.gz host image for bug reports and reviews.

    .DESCRIPTION
        The engine copies the sysfs and procfs files it reads (PCI functions, IOMMU groups, ACPI
        DMAR/IVRS, block and network device links, mounts, routes, interrupts, kernel command
        line, the kernel log when readable) into a .tar.gz. Every read cmdlet takes such an
        image with -Root, on any machine. Capturing only reads the host; it writes the file.

    .PARAMETER Path
        The .tar.gz file to write.

    .PARAMETER Root
        Capture a host image directory instead of the live machine.

    .PARAMETER Force
        Overwrite an existing file.

    .OUTPUTS
        DdaBridge.HostImage (the engine's capture summary), with Path.

    .EXAMPLE
        Export-DdaHostImage -Path ./server1.tar.gz

        Captures this host.

    .EXAMPLE
        Export-DdaHostImage ./server1.tar.gz; Test-DdaDevice -Root ./server1.tar.gz

        Captures the host and reviews the capture.

    .EXAMPLE
        Export-DdaHostImage -Path ./tree.tar.gz -Root /tmp/host-tree -Force

        Packs a fake sysfs tree as an image, replacing an older file.

    .LINK
        Get-DdaDevice
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('DdaBridge.HostImage')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string] $Path,

        [ValidateScript({ Assert-DdaRootArgument $_ })]
        [string] $Root,

        [switch] $Force
    )

    $output = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    if ((Test-Path -LiteralPath $output) -and -not $Force) {
        $PSCmdlet.ThrowTerminatingError((New-DdaErrorRecord -ErrorId 'FileExists' -Category ResourceExists -TargetObject $output `
                    -Message "'$output' exists; use -Force to overwrite it."))
    }
    $rootPath = Resolve-DdaRoot -Cmdlet $PSCmdlet -Root $Root
    if (-not $PSCmdlet.ShouldProcess($output, 'Write host image')) { return }
    $request = [ordered]@{ output = $output }
    if ($rootPath) { $request.root = $rootPath }
    $result = Invoke-DdaEngine -Command capture -Arguments $request -Cmdlet $PSCmdlet -ErrorMode Write
    if ($null -eq $result) { return }
    $o = ConvertTo-DdaObject -InputObject $result -TypeName $script:DdaTypeName.HostImage
    if (-not $o.PSObject.Properties['Path']) { $o | Add-Member -NotePropertyName Path -NotePropertyValue $output }
    $o
}
