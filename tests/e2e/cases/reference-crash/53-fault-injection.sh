# Failure injection into the engine's REAL sysfs writer, on the guest's own sysfs: DDABRIDGE_FAIL_WRITE
# (honoured only with the e2e guest marker) makes a named write fail with EIO, as a driver rejecting the value
# would. Dismount, mount and repair must each end in a consistent state (nvme_state_ok: drivers, /dev nodes,
# journal, pool):
#   dismount, drivers_probe fails   -> step fails, rollback: the NVMe is back on nvme;
#   mount, drivers_probe+bind fail  -> step fails, rollback: the NVMe stays held on vfio-pci;
#   repair, drivers_probe+bind fail -> repair reports rollbackFailed, the journal still asks for repair, and a
#                                      second (clean) repair restores the NVMe;
#   mount, drivers_probe fails      -> the engine binds nvme explicitly: the mount succeeds (the engine's stderr
#                                      shows the injected failure, so this cannot pass without one).
# e2e-timeout: 360
# e2e-expect: fault-dismount-rolled-back fault-mount-rolled-back fault-repair-fails-safe fault-repair-second-run
# e2e-expect: fault-mount-probe-tolerated
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar fault-dismount-rolled-back fault-mount-rolled-back fault-repair-fails-safe fault-repair-second-run \
    fault-mount-probe-tolerated
set -- $(pci_find 1b36:0010); B=$1; G=$(pci_group "$B")
SD=/tmp/ddab-fault
serve_start
req() { serve_req "{\"id\":1,\"command\":\"$1\",\"args\":{\"address\":\"$B\",\"stateDir\":\"$SD\"}}"; }
# injected_failure FILE ROLLBACK: the one-shot's answer is IoFailure/StepFailed from the injected write,
# with the rollback result ROLLBACK
injected_failure() {
    grep -q '"id": "IoFailure"' "$1" && grep -q '"reason": "StepFailed"' "$1" && grep -q "\"rollback\": \"$2\"" "$1" &&
        grep -q 'injected by DDABRIDGE_FAIL_WRITE' "$1"
}
drivers_snapshot > /tmp/f-free.txt

# 1. dismount: the write to drivers_probe that should bring vfio-pci fails
DDABRIDGE_FAIL_WRITE=drivers_probe DB dismount "$B" --json --state-dir $SD > /out/f-dismount.json 2>&1; rc=$?
if [ $rc != 0 ] && injected_failure /out/f-dismount.json rolledBack && why=$(nvme_state_ok /tmp/f-free.txt 0 "$B" "$G" $SD)
then pass fault-dismount-rolled-back
else fail fault-dismount-rolled-back "rc=$rc $why $(grep -m1 '"message"' /out/f-dismount.json)"; fi

# 2. mount of the held NVMe: drivers_probe and the explicit bind to nvme both fail
req dismount > /tmp/f-setup.json
drivers_snapshot > /tmp/f-held.txt
grep -q '"ok":true' /tmp/f-setup.json && grep -q "^$B vfio-pci vfio-pci" /tmp/f-held.txt ||
    fail fault-mount-rolled-back "setup dismount: $(head -c 300 /tmp/f-setup.json)"
DDABRIDGE_FAIL_WRITE=drivers_probe,bind DB mount "$B" --json --state-dir $SD > /out/f-mount.json 2>&1; rc=$?
if [ $rc != 0 ] && injected_failure /out/f-mount.json rolledBack && why=$(nvme_state_ok /tmp/f-held.txt 1 "$B" "$G" $SD)
then pass fault-mount-rolled-back
else fail fault-mount-rolled-back "rc=$rc $why $(grep -m1 '"message"' /out/f-mount.json)"; fi
req mount > /tmp/f-setup2.json

# 3. repair: a dismount interrupted right after its unbind (the NVMe driverless), then a repair whose rebind
#    to nvme fails; the journal must still ask for repair, and a clean repair then restores the NVMe.
u=$(grep '"action"' /out/cd-plan.json | grep -n '"unbind"' | head -n1 | cut -d: -f1)
if [ -z "$u" ]; then fail fault-repair-fails-safe "no unbind step in /out/cd-plan.json (50-crash-dismount.sh)"
else
    DDABRIDGE_CRASH_AFTER_STEP=$((u - 1)) DB dismount "$B" --json --state-dir $SD > /tmp/f-crash.json 2>&1; crc=$?
    mid="$(pci_driver $B)/$(cat $PCI/$B/driver_override)"
    DDABRIDGE_FAIL_WRITE=drivers_probe,bind DB repair --json --state-dir $SD > /out/f-repair.json 2>&1; rc=$?
    serve_req "{\"id\":2,\"command\":\"repair\",\"args\":{\"stateDir\":\"$SD\",\"whatIf\":true}}" > /tmp/f-wi.json
    if [ $crc = 137 ] && [ "$mid" = "/vfio-pci" ] && [ $rc != 0 ] && grep -q '"id": "IoFailure"' /out/f-repair.json &&
        grep -q '"status": "rollbackFailed"' /out/f-repair.json && grep -q 'injected by DDABRIDGE_FAIL_WRITE' /out/f-repair.json &&
        grep -q '"needed":true' /tmp/f-wi.json && [ -z "$(pci_driver $B)" ]; then pass fault-repair-fails-safe
    else fail fault-repair-fails-safe "crash rc=$crc at $mid; repair rc=$rc, now $(pci_driver $B);" \
        "$(grep -m1 '"message"' /out/f-repair.json) what-if: $(head -c 200 /tmp/f-wi.json)"; fi
    serve_req "{\"id\":3,\"command\":\"repair\",\"args\":{\"stateDir\":\"$SD\"}}" > /tmp/f-repair2.json
    if grep -q '"ok":true' /tmp/f-repair2.json && grep -q '"repaired":true' /tmp/f-repair2.json &&
        why=$(nvme_state_ok /tmp/f-free.txt 0 "$B" "$G" $SD); then pass fault-repair-second-run
    else fail fault-repair-second-run "$why $(head -c 300 /tmp/f-repair2.json)"; fi
fi

# 4. mount with only drivers_probe failing: the engine's explicit bind takes over
req dismount > /tmp/f-setup3.json
DDABRIDGE_FAIL_WRITE=drivers_probe DB mount "$B" --json --state-dir $SD > /out/f-mount2.json 2> /out/f-mount2.err; rc=$?
if [ $rc = 0 ] && grep -q 'failing write 1 to .*drivers_probe' /out/f-mount2.err && why=$(nvme_state_ok /tmp/f-free.txt 0 "$B" "$G" $SD); then pass fault-mount-probe-tolerated
else fail fault-mount-probe-tolerated "rc=$rc $why $(grep -m1 '"message"' /out/f-mount2.json) stderr: $(head -c 200 /out/f-mount2.err)"; fi
serve_stop
finish
