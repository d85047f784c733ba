# Harness self-test: hangs with a background child; must be killed by its timeout.
# e2e-expect: st-hang
# e2e-timeout: 3
sleep 1000 &
sleep 1000
