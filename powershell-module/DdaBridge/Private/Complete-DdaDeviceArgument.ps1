# SPDX-License-Identifier: MIT

function Complete-DdaDeviceArgument {
    <#
    .SYNOPSIS
        Argument completer for device identities (-Address, -LocationPath) from the live device
        list (or from the image given with -Root on the same command line).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.CompletionResult])]
    param(
        [Parameter(Mandatory)] [ValidateSet('Address', 'LocationPath', 'InstanceId')] [string] $Property,
        [AllowEmptyString()] [string] $WordToComplete,
        [System.Collections.IDictionary] $BoundParameters
    )

    $arguments = [ordered]@{}
    if ($BoundParameters -and $BoundParameters['Root']) {
        try {
            $arguments.root = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath([string] $BoundParameters['Root'])
        } catch { return }
    }
    $field = [char]::ToLowerInvariant($Property[0]) + $Property.Substring(1)
    $word = $WordToComplete.Trim('''', '"')
    try {
        # A completer must never print errors: ask quietly and give up on any failure.
        $devices = Invoke-DdaEngine -Command devices -Arguments $arguments -ErrorMode Write -ErrorAction Ignore 2>$null
    } catch {
        return
    }
    foreach ($device in @($devices)) {
        $value = [string] $device.$field
        if (-not $value -or -not $value.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        $names = @($device.vendorName, $device.deviceName | Where-Object { $_ }) -join ' '
        $tooltip = '{0}  {1}:{2}  {3}  {4}' -f $device.address, $device.vendorId, $device.deviceId, $device.className, $names
        # Location paths contain '#' and '(': quote them so the completed line parses.
        $text = if ($value -match '[\s#();,{}$@`''"]') { "'" + $value.Replace("'", "''") + "'" } else { $value }
        [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $tooltip.Trim())
    }
}
