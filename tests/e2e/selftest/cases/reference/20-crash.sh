# Harness self-test: reports a pass, then dies without a FAIL line.
# e2e-expect: st-before-crash
. /out/lib.sh
pass st-before-crash
exit 7
