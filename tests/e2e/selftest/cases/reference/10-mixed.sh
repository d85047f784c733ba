# Harness self-test: one pass, one fail, one expected name never reported.
# e2e-expect: st-good st-bad st-never-reported
. /out/lib.sh
pass st-good
fail st-bad "deliberate"
finish
