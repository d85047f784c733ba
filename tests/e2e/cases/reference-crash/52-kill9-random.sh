# Outside kill -9: this shell sends SIGKILL to the engine's JVM (not the engine's own Runtime.halt of
# 50/51) at a random moment while dismount or mount runs, several times; after each, `repair` and a check of
# the state: every function's driver and driver_override as before the operation (or as after it, when the
# engine had committed it), the NVMe's /dev nodes to match, and a clean journal (repair --what-if: not needed;
# pool holds the NVMe exactly when it is on vfio-pci). The moments are drawn from a seed printed below;
# DDABRIDGE_E2E_KILL_SEED=N tests/e2e/run.sh reference-crash replays them.
# e2e-timeout: 600
# e2e-expect: kill9-calibrate kill9-random-cells kill9-final-mount
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar kill9-calibrate kill9-random-cells kill9-final-mount
CELLS=4
set -- $(pci_find 1b36:0010); B=$1; G=$(pci_group "$B")
SD=/tmp/ddab-kill9
SEED=${E2E_KILL_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "INFO kill -9 seed $SEED (replay: DDABRIDGE_E2E_KILL_SEED=$SEED tests/e2e/run.sh reference-crash)"
# fractions of the operation's window, one per cell
# (within the first 60 %: noticing the journal's "running" costs the shell a few hundred ms under TCG, so a
# later aim lands after the commit). The first two cells aim early on purpose (5 % and 20 %), so that every run
# has kills inside the operation whatever the seed; the others are drawn from the seed.
awk -v s="$SEED" -v n=$CELLS 'BEGIN { srand(s); print "0.050"; print "0.200"; for (i = 2; i < n; i++) printf "%.3f\n", rand() * 0.6 }' > /tmp/k9-fractions
serve_start

# engine_pid OP: the PID of the one-shot engine JVM running OP on $B in $SD (busybox has no pgrep)
engine_pid() {
    local p comm
    for p in /proc/[0-9]*; do
        { read -r comm < "$p/comm"; } 2>/dev/null || continue
        [ "$comm" = java ] || continue
        case $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) in
            *"ddabridge.jar $1 $B "*"--state-dir $SD"*) echo "${p#/proc/}"; return 0 ;;
        esac
    done
    return 1
}
state_ok() { nvme_state_ok "$1" "$2" "$B" "$G" "$SD"; }

# Calibration: one clean dismount and mount give the engine's own durations (the window for the kills)
# and the two consistent states.
drivers_snapshot > /tmp/k9-free.txt
DB dismount "$B" --json --state-dir $SD > /tmp/k9-cal-d.json 2>&1; c1=$?
drivers_snapshot > /tmp/k9-held.txt
DB mount "$B" --json --state-dir $SD > /tmp/k9-cal-m.json 2>&1; c2=$?
Dd=$(sed -n 's/.*"durationMs": \([0-9]*\).*/\1/p' /tmp/k9-cal-d.json | head -n1)
Dm=$(sed -n 's/.*"durationMs": \([0-9]*\).*/\1/p' /tmp/k9-cal-m.json | head -n1)
if [ $c1 = 0 ] && [ $c2 = 0 ] && [ -n "$Dd" ] && [ -n "$Dm" ] && grep -q "^$B vfio-pci vfio-pci" /tmp/k9-held.txt &&
    why=$(state_ok /tmp/k9-free.txt 0); then pass kill9-calibrate
else fail kill9-calibrate "dismount rc=$c1 mount rc=$c2 durations ${Dd:-?}/${Dm:-?} ms; $why"; fi
echo "INFO kill -9 windows: dismount ${Dd:-?} ms, mount ${Dm:-?} ms (engine durationMs, from journaling to commit)"

bad=0; killed=0; rolled=0; i=0; held=0
while read -r frac <&4; do
    i=$((i + 1))
    if [ $held = 0 ]; then op=dismount; D=${Dd:-2000}; before=/tmp/k9-free.txt; after=/tmp/k9-held.txt
    else op=mount; D=${Dm:-2000}; before=/tmp/k9-held.txt; after=/tmp/k9-free.txt; fi
    delay=$(awk -v f="$frac" -v d="$D" 'BEGIN { printf "%.3f", f * d / 1000 }')
    DB $op "$B" --json --state-dir $SD > /tmp/k9-op.json 2>&1 &
    job=$!
    pid=; n=0
    while [ -z "$pid" ] && [ $n -lt 1200 ] && kill -0 $job 2>/dev/null; do pid=$(engine_pid $op); [ -n "$pid" ] || sleep 0.1; n=$((n + 1)); done
    # the moment the operation starts: the journal shows it running
    n=0
    while [ $n -lt 6000 ] && kill -0 $job 2>/dev/null && ! grep -q '"running"' /jroot$SD/state.json 2>/dev/null; do
        sleep 0.02; n=$((n + 1))
    done
    sleep "$delay"
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    wait $job; crc=$?
    [ $crc = 137 ] && killed=$((killed + 1))
    mid="$(pci_driver $B)/$(cat $PCI/$B/driver_override)"
    serve_req "{\"id\":1,\"command\":\"repair\",\"args\":{\"stateDir\":\"$SD\"}}" > /tmp/k9-repair.json
    # The engine's answer says whether it had committed; the state check below is independent of it.
    if grep -q '"ok":true' /tmp/k9-repair.json && grep -q '"repaired":true' /tmp/k9-repair.json; then
        want=$before; wanth=$held; verdict=rolled-back; rolled=$((rolled + 1))
    elif grep -q '"ok":true' /tmp/k9-repair.json && grep -q "Nothing to repair.*$op [^ ]*: done" /tmp/k9-repair.json; then
        want=$after; wanth=$((1 - held)); verdict=committed
    else
        want=; verdict="repair failed: $(head -c 300 /tmp/k9-repair.json)"
    fi
    if [ -n "$want" ] && why=$(state_ok "$want" $wanth); then res=ok; held=$wanth
    else res=BAD; bad=$((bad + 1)); [ -n "$want" ] || why=$verdict
        # put the machine back into a known state for the next cell
        [ "$(pci_driver $B)" = vfio-pci ] && held=1 || held=0
    fi
    echo "INFO   cell $i: $op, SIGKILL pid ${pid:-?} $delay s after journaling (window $D ms), engine rc=$crc," \
        "at kill $mid, repair: $verdict -> $res${why:+ ($why)}"
done 4< /tmp/k9-fractions
# Cells must have hit running engines: kills that always came too late (or never came) would test nothing.
echo "INFO kill -9: $i cells, $killed killed, $rolled interrupted before the commit and rolled back by repair"
if [ $bad = 0 ] && [ $i = $CELLS ] && [ $killed -ge 2 ] && [ $rolled -ge 1 ]; then pass kill9-random-cells
else fail kill9-random-cells "$bad of $i cells inconsistent; $killed killed, $rolled of them before the commit" \
    "(want >= 2 and >= 1) (seed $SEED)"; fi

# Leave the NVMe as found.
[ $held = 1 ] && serve_req "{\"id\":4,\"command\":\"mount\",\"args\":{\"address\":\"$B\",\"stateDir\":\"$SD\"}}" > /tmp/k9-end.json
why=$(state_ok /tmp/k9-free.txt 0) && pass kill9-final-mount || fail kill9-final-mount "$why"
serve_stop
finish
