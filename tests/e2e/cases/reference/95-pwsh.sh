# The host's pwsh (dotnet global tool) runs in the guest chroot and reads sysfs.
# Opt-in (DDABRIDGE_E2E_WITH_PWSH=1): pwsh startup costs ~30-50 s under TCG.
# e2e-expect: pwsh-runs-in-guest
# e2e-timeout: 200
. /out/lib.sh
if [ "${E2E_WITH_PWSH:-0}" != 1 ]; then skip pwsh-runs-in-guest "opt-in: DDABRIDGE_E2E_WITH_PWSH=1"; finish; fi
if ! have_pwsh; then fail pwsh-runs-in-guest "no pwsh shared (host ~/.dotnet/tools/pwsh missing?)"; finish; fi
B=$(pci_find 1b36:0010 | head -n1)
got=$(pwsh_run -Command "(Get-Content /sys/bus/pci/devices/$B/vendor).Trim()" 2>/tmp/pwsh.err)
check_eq pwsh-runs-in-guest 0x1b36 "$got"
[ "$got" = 0x1b36 ] || head -c 400 /tmp/pwsh.err
finish
