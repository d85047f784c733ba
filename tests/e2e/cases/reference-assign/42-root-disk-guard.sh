# Hard guards on a real kernel: the engine refuses, even with --force, to take the NVMe that holds its own
# root filesystem (the engine runs chrooted into the minix filesystem the topology put on the second NVMe,
# so /proc/mounts shows it as "/"), and the NVMe that holds any mounted filesystem. Nothing moves.
# e2e-timeout: 200
# e2e-expect: root-disk-guard mounted-fs-guard root-disk-untouched
. /out/lib.sh; . /out/assign-lib.sh
need_jar root-disk-guard mounted-fs-guard root-disk-untouched
set -- $(pci_find 1b36:0010); B=$2
NS=$(nvme_namespaces "$B" | head -n1)
if ! mkdir -p /nvroot || ! mount -t minix "/dev/$NS" /nvroot; then
    for n in root-disk-guard mounted-fs-guard root-disk-untouched; do fail $n "cannot mount the minix filesystem on /dev/$NS"; done
    finish
fi
# A root on the NVMe: host /usr and /etc (JDK) bound in, like /jroot.
mkdir -p /nvroot/usr /nvroot/etc /nvroot/proc /nvroot/sys /nvroot/dev /nvroot/out /nvroot/tmp
for l in bin lib lib64 sbin; do ln -s usr/$l /nvroot/$l; done
# /jroot/etc holds links into /jroot/.hostetc (and /jroot/persist for DdaBridge's boot files): bind those too,
# so the links resolve inside the new root.
binds="usr etc"
for d in .hostetc persist; do [ -d /jroot/$d ] && mkdir -p /nvroot/$d && binds="$binds $d"; done
for d in $binds; do mount --bind /jroot/$d /nvroot/$d; done
for d in proc sys dev out; do mount --bind /$d /nvroot/$d; done
cds=""; [ -f /out/ddabridge.jsa ] && cds="-XX:SharedArchiveFile=/out/ddabridge.jsa"
chroot /nvroot /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 /usr/bin/java $DDAB_FLAGS $cds \
    -jar /out/ddabridge.jar dismount "$B" --force --json --state-dir /tmp/rd > /out/rd-root.json 2>&1; rc=$?
[ $rc = 6 ] && grep -q '"RootDisk"' /out/rd-root.json && pass root-disk-guard ||
    fail root-disk-guard "rc=$rc $(grep -E '"(reason|code|message)"' /out/rd-root.json | head -5 | tr '\n' ' ')"
for d in out dev sys proc; do umount /nvroot/$d; done
for d in $binds; do umount /nvroot/$d; done
# The same disk mounted (not as root) where the engine sees it.
mkdir -p /jroot/tmp/mnt && mount -t minix "/dev/$NS" /jroot/tmp/mnt
ddab dismount "$B" --force --json --state-dir /tmp/rd2 > /out/rd-mounted.json 2>&1; rc=$?
[ $rc = 6 ] && grep -q '"MountedFilesystem"' /out/rd-mounted.json && pass mounted-fs-guard ||
    fail mounted-fs-guard "rc=$rc $(grep -E '"(reason|code|message)"' /out/rd-mounted.json | head -5 | tr '\n' ' ')"
umount /jroot/tmp/mnt; umount /nvroot
check_eq root-disk-untouched nvme "$(pci_driver "$B")"
finish
