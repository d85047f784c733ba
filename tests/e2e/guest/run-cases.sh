# Guest-side case runner (busybox sh): runs every /out/cases/*.sh in name order, each in its own
# shell under a timeout, and frames its output for run.sh:
#   CASE <name>            before the case
#   PASS/FAIL/SKIP ...     the case's own result lines
#   END <name> rc=<n>      after it (rc 143/137 = killed by the timeout: the case's
#                          '# e2e-timeout: SECONDS' header, else E2E_CASE_TIMEOUT, else 90 s)
# Exit status: 0 only when every case exited 0.
. /out/lib.sh
e2e_guard
rc=0
# One class-data sharing archive per jar (boot.sh keeps it in the host cache between boots): a JVM
# start costs seconds under TCG and the suite starts dozens.
if [ -f /out/ddabridge.jar ] && [ ! -f /out/ddabridge.jsa ]; then
    t0=$(cut -d' ' -f1 /proc/uptime)
    jroot_run /usr/bin/java $DDAB_FLAGS -XX:ArchiveClassesAtExit=/out/ddabridge.jsa.new -jar /out/ddabridge.jar \
        survey --json > /dev/null 2>&1 && mv /out/ddabridge.jsa.new /out/ddabridge.jsa
    echo "NOTE class-data sharing archive built in $(awk "BEGIN{printf \"%.1f\", $(cut -d' ' -f1 /proc/uptime)-$t0}") s"
fi
# The jar and its archive read from tmpfs, not the out share: every JVM start reads both, and over 9p
# (no page cache) a start took 14 s instead of 6 s under TCG (measured in this guest). A bind mount puts
# the copies at the same paths (/out/... in the chroot), so the archive stays valid and no case changes.
for f in ddabridge.jar ddabridge.jsa; do
    [ -f /out/$f ] || continue
    mkdir -p /jroot/.engine && cp -p /out/$f /jroot/.engine/$f && mount --bind /jroot/.engine/$f /jroot/out/$f
done
for f in /out/cases/*.sh; do
    [ -f "$f" ] || { echo "FAIL runner: no cases staged in /out/cases"; exit 1; }
    name=$(basename "$f" .sh)
    # multi-boot topologies: a case runs in the boot its '# e2e-boot: N' header names (default 1)
    b=$(sed -n 's/^#[[:space:]]*e2e-boot:[[:space:]]*\([0-9]*\).*/\1/p' "$f" | head -n1)
    [ "${b:-1}" = "${E2E_BOOT:-1}" ] || continue
    echo "CASE $name"
    t0=$(cut -d' ' -f1 /proc/uptime)
    # own session so a timeout kills the case together with everything it started
    setsid sh "$f" > /tmp/case.out 2>&1 < /dev/null &
    pid=$!
    limit=$(sed -n 's/^#[[:space:]]*e2e-timeout:[[:space:]]*\([0-9]*\).*/\1/p' "$f" | head -n1)
    ( sleep "${limit:-${E2E_CASE_TIMEOUT:-90}}"; kill -TERM -$pid; sleep 2; kill -KILL -$pid ) > /dev/null 2>&1 &
    wd=$!
    wait $pid
    crc=$?
    kill $wd 2>/dev/null
    kill -KILL -$pid 2>/dev/null
    cat /tmp/case.out
    t1=$(cut -d' ' -f1 /proc/uptime)
    echo "END $name rc=$crc secs=$(awk "BEGIN{printf \"%.1f\", $t1-$t0}")"
    [ "$crc" -eq 0 ] || rc=1
done
exit $rc
