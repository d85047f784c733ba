# Harness self-test: cases after a killed one still run.
# e2e-expect: st-after-hang st-guard-in-guest
. /out/lib.sh
pass st-after-hang
is_e2e_guest && pass st-guard-in-guest || fail st-guard-in-guest "marker missing in the guest"
finish
