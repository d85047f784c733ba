<#
.SYNOPSIS
    Benchmark (printed, never asserted): PowerShell cmdlet round trips through the module's serve
    process, next to a bare one-shot engine call, measured in the same run.

.DESCRIPTION
    Get-DdaDevice -Root <fixture>:
      cold   the first call of a fresh session (starts the serve JVM)
      warm   later calls (one JSON Lines request to the running serve process), median
    java -jar dist/ddabridge.jar devices --root <fixture> --json (a new JVM per call), median.
    Called from tests/bench/run.sh.
#>
param(
    [string] $Fixture = (Join-Path $PSScriptRoot '../fixtures/hosts/qemu-reference.tar.gz'),
    [int] $Runs = 15
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$Fixture = (Resolve-Path $Fixture).Path
$jar = Join-Path $repo 'dist/ddabridge.jar'
function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][math]::Floor(($s.Count - 1) / 2)] }

$import = Measure-Command { Import-Module (Join-Path $repo 'dist/DdaBridge/DdaBridge.psd1') -Force }
$cold = Measure-Command { $null = Get-DdaDevice -Root $Fixture }
$warm = foreach ($i in 1..$Runs) { (Measure-Command { $null = Get-DdaDevice -Root $Fixture }).TotalMilliseconds }
$warmOne = foreach ($i in 1..$Runs) { (Measure-Command { $null = Get-DdaDevice -Root $Fixture -Address 0000:01:00.0 }).TotalMilliseconds }
# Warm means the serve process has answered this request before: the first survey of a session runs the
# engine's checks cold (about a second here), so one unmeasured call first, as for Get-DdaDevice above.
$null = Test-DdaDevice -Root $Fixture -Address 0000:01:00.0
$warmTest = foreach ($i in 1..$Runs) { (Measure-Command { $null = Test-DdaDevice -Root $Fixture -Address 0000:01:00.0 }).TotalMilliseconds }
$count = @(Get-DdaDevice -Root $Fixture).Count
Remove-Module DdaBridge

$java = (Get-Command java -CommandType Application | Select-Object -First 1).Source
$oneShot = foreach ($i in 1..[math]::Min($Runs, 7)) {
    (Measure-Command { $null = & $java -jar $jar devices --root $Fixture --json 2>$null }).TotalMilliseconds
}
$launcher = foreach ($i in 1..[math]::Min($Runs, 7)) {
    (Measure-Command { $null = & (Join-Path $repo 'dist/ddabridge') devices --root $Fixture --json 2>$null }).TotalMilliseconds
}

''
"Benchmark: PowerShell cmdlets vs one-shot engine ($count functions, $(Split-Path -Leaf $Fixture); this machine, this run)"
'  {0,-58} {1,8:N0} ms' -f 'Import-Module DdaBridge', $import.TotalMilliseconds
'  {0,-58} {1,8:N0} ms' -f 'Get-DdaDevice -Root, cold first call (starts serve)', $cold.TotalMilliseconds
'  {0,-58} {1,8:N1} ms   (median of {2})' -f 'Get-DdaDevice -Root, warm (all devices)', (Median $warm), $Runs
'  {0,-58} {1,8:N1} ms   (median of {2})' -f 'Get-DdaDevice -Root -Address, warm (one device)', (Median $warmOne), $Runs
'  {0,-58} {1,8:N1} ms   (median of {2})' -f 'Test-DdaDevice -Root -Address, warm (survey)', (Median $warmTest), $Runs
'  {0,-58} {1,8:N0} ms   (median of {2})' -f 'java -jar ddabridge.jar devices --root --json (one-shot)', (Median $oneShot), $oneShot.Count
'  {0,-58} {1,8:N0} ms   (median of {2})' -f 'dist/ddabridge devices --root --json (launcher, CDS)', (Median $launcher), $launcher.Count
'  warm cmdlet / one-shot java: {0:N2}' -f ((Median $warm) / (Median $oneShot))

# The cmdlet goals (issue 16), in run.sh's goal format: the figure, the goal, met / NOT MET.
foreach ($g in @(
        @{ Label = 'Get-DdaDevice warm (20-function image)'; Value = (Median $warm); Limit = 15 },
        @{ Label = 'Test-DdaDevice warm (20-function image)'; Value = (Median $warmTest); Limit = 30 })) {
    $verdict = if ($g.Value -le $g.Limit) { 'met' } else { 'NOT MET' }
    $line = '  {0,-44} {1,8:N1} {2,-11} goal <= {3}   {4}' -f $g.Label, $g.Value, 'ms', $g.Limit, $verdict
    $line
    if ($env:DDABRIDGE_BENCH_GOALS) { Add-Content -LiteralPath $env:DDABRIDGE_BENCH_GOALS -Value $line }
}
