# SPDX-License-Identifier: MIT
#
# Result conversion: the engine's JSON text to PowerShell objects with PascalCase property names
# (ConvertFrom-DdaJson), and an answer envelope to its result or an ErrorRecord
# (Resolve-DdaEnvelope). ConvertTo-DdaObject.ps1 then types the objects for the cmdlets.

# The protocol version this module understands (the "schemaVersion" of every envelope).
$script:DdaSchemaVersion = 1

# The lower-case initial of every JSON object key: a '"' right after '{' or ',' (blanks allowed)
# and followed by the rest of the name, '"' and ':'. Keys cannot be confused with string values:
# inside a JSON string a quote is always escaped, so '{"' or ',"' never occurs there.
# Compiled (it runs over every answer of the session), on first use: not at Import-Module.
$script:DdaKeyInitial = $null

# The replacement, as a compiled delegate ('"a' -> '"A'). A scriptblock MatchEvaluator would run
# PowerShell once per key (thousands per survey, slower than the 26 per-letter passes this
# replaces); an expression tree is compiled to IL once, on first use.
$script:DdaKeyInitialUpper = $null

function ConvertFrom-DdaJson {
    # Parses engine JSON, renaming every object key from camelCase to PascalCase on the way (one
    # regex pass over the text, far cheaper than rebuilding objects in script). PowerShell property
    # access is case-insensitive, so $envelope.ok still works. A simple function (once per answer
    # line; see Send-DdaEngineRequest).
    param([string] $Json)
    if ($null -eq $script:DdaKeyInitialUpper) {
        $script:DdaKeyInitial = [regex]::new('(?<=[{,]\s*)"[a-z](?=[^"\\]*"\s*:)', 'Compiled, CultureInvariant')
        $match = [System.Linq.Expressions.Expression]::Parameter([System.Text.RegularExpressions.Match], 'match')
        $upper = [System.Linq.Expressions.Expression]::Call(
            [System.Linq.Expressions.Expression]::Property($match, 'Value'), [string].GetMethod('ToUpperInvariant', [type[]] @()))
        $script:DdaKeyInitialUpper = [System.Linq.Expressions.Expression]::Lambda(
            [System.Text.RegularExpressions.MatchEvaluator], $upper, $match).Compile()
    }
    $text = $script:DdaKeyInitial.Replace($Json, $script:DdaKeyInitialUpper)
    if ($script:DdaJsonObject) {
        # The method behind ConvertFrom-Json, without the cmdlet's invocation (about a millisecond).
        $parseError = $null
        $value = $script:DdaJsonObject::ConvertFromJson($text, [ref] $parseError)
        if ($parseError) { throw $parseError }
        return $value
    }
    ConvertFrom-Json -InputObject $text -ErrorAction Stop
}

# Microsoft.PowerShell.Commands.JsonObject, where it has ConvertFromJson(string, out ErrorRecord) (what
# ConvertFrom-Json calls); else $null, and ConvertFrom-DdaJson runs the cmdlet.
$script:DdaJsonObject = 'Microsoft.PowerShell.Commands.JsonObject' -as [type]
if ($script:DdaJsonObject -and -not $script:DdaJsonObject.GetMethod('ConvertFromJson',
        [type[]] @([string], [System.Management.Automation.ErrorRecord].MakeByRefType()))) {
    $script:DdaJsonObject = $null
}

function Resolve-DdaEnvelope {
    # An answer envelope's result (ok:true), or its error as an ErrorRecord written or thrown
    # through the calling cmdlet (ok:false; nothing is returned then).
    param($Envelope, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $ErrorMode = 'Write')
    if ($null -ne $Envelope.schemaVersion -and $Envelope.schemaVersion -ne $script:DdaSchemaVersion) {
        Write-Verbose "DdaBridge: engine answered with schemaVersion $($Envelope.schemaVersion); this module expects $($script:DdaSchemaVersion)."
    }
    if ($Envelope.ok -eq $true) {
        return $Envelope.result
    }
    $record = ConvertTo-DdaEngineErrorRecord -EngineError $Envelope.error
    if ($ErrorMode -eq 'Throw') {
        $Cmdlet.ThrowTerminatingError($record)
    } else {
        $Cmdlet.WriteError($record)
    }
}
