# Harness self-test: one pass, one fail, one skip (counted as failed), one expected name never reported.
# e2e-expect: st-good st-bad st-skipped st-never-reported
. /out/lib.sh
pass st-good
fail st-bad "deliberate"
skip st-skipped "deliberate"
finish
