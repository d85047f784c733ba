# Timing: one dismount+mount cycle of an NVMe, engine (two one-shot JVMs; one serve JVM) vs the shell dance.
# Each cycle ends when the NVMe is back on nvme. Guest uptime deltas (TCG: slow CPU, compare ratios).
# e2e-expect: timing-cycles
. /out/lib.sh; . /out/assign-lib.sh
need_jar timing-cycles
set -- $(pci_find 1b36:0010); B=$2
SD=/tmp/ddab-timing
t0=$(now); bind_vfio "$B"; unbind_vfio "$B"; wait_for 10 _driver_is "$B" nvme; t1=$(now)
t2=$(now); DB dismount "$B" --state-dir $SD > /dev/null 2>&1; DB mount "$B" --state-dir $SD > /dev/null 2>&1; t3=$(now)
req="{\"id\":1,\"command\":\"dismount\",\"args\":{\"address\":\"$B\",\"stateDir\":\"$SD\"}}
{\"id\":2,\"command\":\"mount\",\"args\":{\"address\":\"$B\",\"stateDir\":\"$SD\"}}"
t4=$(now); echo "$req" | DB serve > /out/t-serve.jsonl 2>&1; t5=$(now)
t6=$(now); chroot /jroot /usr/bin/java $DB_FLAGS -jar /out/ddabridge.jar --version > /dev/null 2>&1; t7=$(now)
ok=1; _driver_is "$B" nvme || ok=0
grep -c '"ok":true' /out/t-serve.jsonl | grep -q 2 || ok=0
echo "INFO cycle shell dance            $(elapsed $t0 $t1) s"
echo "INFO cycle engine one-shot x2     $(elapsed $t2 $t3) s"
echo "INFO cycle engine serve (1 JVM)   $(elapsed $t4 $t5) s"
echo "INFO JVM start (--version)        $(elapsed $t6 $t7) s"
echo "INFO engine durationMs: $(grep -o '"durationMs":[0-9]*' /out/t-serve.jsonl | tr '\n' ' ')"
[ $ok = 1 ] && pass timing-cycles || fail timing-cycles "device not back on nvme or serve not ok: $(head -c 300 /out/t-serve.jsonl)"
finish
