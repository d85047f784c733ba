# SPDX-License-Identifier: MIT
#
# The engine's JSON Lines protocol, shared by the serve session and the one-shot fallback: one
# request line out ({"id","command","args"}, '\n'-terminated, BOM-free UTF-8), then answer lines
# in: progress events ({"id","event":"progress",...}) relayed to Write-Progress, then the envelope
# ({"id","ok",...}). Requests travel on stdin only: JSON is never put on a command line, because
# native argument quoting differs between PowerShell versions (PowerShell/PowerShell#1995, #15143).

# Id of the Write-Progress records that relay the engine's progress events.
$script:DdaProgressId = 0x0DDA

function Send-DdaEngineRequest {
    # Writes one request line to the engine's stdin; returns a DdaTransportFailure when the
    # pipe is broken, else nothing. The helpers of a request are simple functions (no
    # [CmdletBinding()], no [Parameter()]): an advanced function's parameter binding costs about
    # ten times a simple one's, and a warm request runs a dozen of them (tests/bench/Cmdlet.ps1).
    param([System.Diagnostics.Process] $Process, $Id, [string] $Command, [System.Collections.IDictionary] $Arguments)
    $request = [ordered]@{ id = $Id; command = $Command; args = $Arguments }
    $json = ConvertTo-DdaRequestJson -Request $request
    if ($DebugPreference -ne 'SilentlyContinue') { Write-Debug "DdaBridge -> $json" }
    if ($Process.HasExited) {
        return New-DdaTransportFailure "The DdaBridge engine (PID $($Process.Id)) has exited with code $($Process.ExitCode)."
    }
    $write = $Process.StandardInput.WriteAsync($json + "`n")
    if (-not $write.IsCompleted) { Wait-DdaTask $write }
    if (-not $write.IsFaulted) {
        $write = $Process.StandardInput.FlushAsync()
        if (-not $write.IsCompleted) { Wait-DdaTask $write }
    }
    if ($write.IsFaulted) {
        return New-DdaTransportFailure "Cannot send the request to the DdaBridge engine (PID $($Process.Id)): $($write.Exception.GetBaseException().Message)" $write.Exception
    }
}

function Write-DdaProgressEvent {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Event, [string] $Command)
    $activity = if ($Event.activity) { [string] $Event.activity } else { "DdaBridge $Command" }
    $progress = @{ Id = $script:DdaProgressId; Activity = $activity }
    if ($Event.status) { $progress.Status = [string] $Event.status }
    $percent = $Event.percent -as [int]
    if ($null -ne $Event.percent -and $null -ne $percent -and $percent -ge 0) {
        $progress.PercentComplete = [Math]::Min(100, $percent)
    }
    Write-Progress @progress
}

function Read-DdaEngineAnswer {
    # Reads the engine's stdout up to the envelope that answers request $Id and returns it.
    # Progress events for $Id go to Write-Progress; lines that are not JSON objects, or that
    # belong to another id, are skipped (the contract keeps stdout for JSON; tolerate rather
    # than hang). Returns a DdaTransportFailure when the pipe breaks or closes first.
    param([System.Diagnostics.Process] $Process, $Id, [string] $Command)
    $progressShown = $false
    $debug = $DebugPreference -ne 'SilentlyContinue'
    try {
        while ($true) {
            $read = $Process.StandardOutput.ReadLineAsync()
            if (-not $read.IsCompleted) { Wait-DdaTask $read }
            if ($read.IsFaulted) {
                return New-DdaTransportFailure "Cannot read from the DdaBridge engine (PID $($Process.Id)): $($read.Exception.GetBaseException().Message)" $read.Exception
            }
            $line = $read.Result
            if ($null -eq $line) {
                [void] $Process.WaitForExit(2000)
                $code = if ($Process.HasExited) { $Process.ExitCode } else { 'unknown' }
                return New-DdaTransportFailure "The DdaBridge engine (PID $($Process.Id)) closed its output (exit code $code)."
            }
            if ([string]::IsNullOrWhiteSpace($line)) { continue }
            if ($debug) { Write-Debug "DdaBridge <- $line" }
            $message = $null
            if ($line.TrimStart().StartsWith('{')) {
                try { $message = ConvertFrom-DdaJson -Json $line } catch { $message = $null }
            }
            if ($message -isnot [System.Management.Automation.PSCustomObject]) {
                Write-Verbose "DdaBridge: ignoring a line from the engine that is not a JSON object: $line"
                continue
            }
            # Through reflection, not $message.PSObject (see ConvertTo-DdaObject.ps1, DdaObjectShape).
            $members = [DdaObjectShape]::PropertiesOf.GetValue($message)
            $idMember = $members['id']
            if ($idMember -and $null -ne $idMember.Value -and [string] $idMember.Value -ne [string] $Id) {
                Write-Verbose "DdaBridge: ignoring a line for request $($idMember.Value) (waiting for $Id)."
                continue
            }
            if ($members['event']) {
                if ($message.event -eq 'progress') {
                    Write-DdaProgressEvent -Event $message -Command $Command
                    $progressShown = $true
                } else {
                    Write-Verbose "DdaBridge: engine event '$($message.event)': $line"
                }
                continue
            }
            if ($members['ok']) { return $message }
            Write-Verbose "DdaBridge: ignoring an unexpected line from the engine: $line"
        }
    } finally {
        if ($progressShown) { Write-Progress -Id $script:DdaProgressId -Activity "DdaBridge $Command" -Completed }
    }
}

# Request lines written without ConvertTo-Json: the cmdlet's own invocation costs about a millisecond
# (tests/bench/Cmdlet.ps1), more than the request it writes. What requests carry (dictionaries, lists,
# strings, integers, booleans, null) is written here; anything else makes Write return '' and the
# caller uses ConvertTo-Json as before.
class DdaRequestJson {
    # Characters a JSON string cannot hold as they are, or that are not ASCII (see ConvertTo-DdaRequestJson).
    static [regex] $Special = [regex]::new('[\x00-\x1F"\\\u0080-\uFFFF]')

    static [string] Write([object] $Value) {
        $text = [System.Text.StringBuilder]::new()
        if (-not [DdaRequestJson]::Append($text, $Value, 0)) { return $null }
        return $text.ToString()
    }

    static [bool] Append([System.Text.StringBuilder] $Text, [object] $Value, [int] $Depth) {
        if ($Depth -gt 20) { return $false }
        if ($null -eq $Value) { [void] $Text.Append('null'); return $true }
        if ($Value -is [string] -or $Value -is [char]) { [DdaRequestJson]::AppendString($Text, [string] $Value); return $true }
        if ($Value -is [bool]) {
            if ($Value) { [void] $Text.Append('true') } else { [void] $Text.Append('false') }
            return $true
        }
        if ($Value -is [int] -or $Value -is [long] -or $Value -is [short] -or $Value -is [byte] -or
            $Value -is [uint16] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [sbyte]) {
            [void] $Text.Append(([System.IConvertible] $Value).ToString([cultureinfo]::InvariantCulture))
            return $true
        }
        if ($Value -is [System.Collections.IDictionary]) {
            [void] $Text.Append('{')
            $first = $true
            foreach ($key in $Value.Keys) {
                if (-not $first) { [void] $Text.Append(',') }
                $first = $false
                [DdaRequestJson]::AppendString($Text, [string] $key)
                [void] $Text.Append(':')
                if (-not [DdaRequestJson]::Append($Text, $Value[$key], $Depth + 1)) { return $false }
            }
            [void] $Text.Append('}')
            return $true
        }
        if ($Value -is [System.Collections.IList]) {
            [void] $Text.Append('[')
            $first = $true
            foreach ($item in $Value) {
                if (-not $first) { [void] $Text.Append(',') }
                $first = $false
                if (-not [DdaRequestJson]::Append($Text, $item, $Depth + 1)) { return $false }
            }
            [void] $Text.Append(']')
            return $true
        }
        # Floating point, enums, switches, objects: ConvertTo-Json's own forms.
        return $false
    }

    static [void] AppendString([System.Text.StringBuilder] $Text, [string] $Value) {
        [void] $Text.Append('"')
        if (-not [DdaRequestJson]::Special.IsMatch($Value)) {
            [void] $Text.Append($Value)
        } else {
            foreach ($c in $Value.ToCharArray()) {
                $n = [int] $c
                if ($c -eq [char] '"') { [void] $Text.Append('\"') }
                elseif ($c -eq [char] '\') { [void] $Text.Append('\\') }
                elseif ($n -lt 0x20 -or $n -ge 0x80) { [void] $Text.Append('\u').Append($n.ToString('x4')) }
                else { [void] $Text.Append($c) }
            }
        }
        [void] $Text.Append('"')
    }
}

function ConvertTo-DdaRequestJson {
    # One request as compact JSON in ASCII: every non-ASCII UTF-16 unit written as \uXXXX, so the line
    # means the same whatever encoding the engine's stdin writer uses (.NET Framework cannot set it).
    param([System.Collections.IDictionary] $Request)
    $json = [DdaRequestJson]::Write($Request)   # '' when it cannot ([string] methods return '' for $null)
    if ($json) { return $json }
    $json = ConvertTo-Json -InputObject $Request -Depth 20 -Compress
    if (-not $script:DdaNonAscii.IsMatch($json)) { return $json }
    $script:DdaNonAscii.Replace($json, { param($m) '\u{0:x4}' -f [int] [char] $m.Value })
}
$script:DdaNonAscii = [regex]::new('[^\x00-\x7F]')
