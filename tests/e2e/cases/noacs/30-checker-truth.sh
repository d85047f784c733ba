# No ACS on the root ports: the predicted groups merge exactly as the kernel's do, and the checker's
# mustMoveWith for an NVMe names the other NVMe, which VFIO needs to call the shared group viable.
# e2e-expect: checker-survey-runs checker-groups-match-kernel movewith-shared-nvme checker-acs-missing
# e2e-timeout: 200
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar checker-survey-runs checker-groups-match-kernel movewith-shared-nvme checker-acs-missing
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass checker-survey-runs || fail checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
check_groups_match_kernel checker-groups-match-kernel /out/c-table.txt
set -- $(pci_find 1b36:0010); NVME0=$1
grep "^$NVME0 " /out/c-table.txt | grep -q AcsPathMissing && pass checker-acs-missing ||
    fail checker-acs-missing "$(grep "^$NVME0 " /out/c-table.txt)"
serve_start
check_move_with movewith-shared-nvme /out/c-table.txt "$NVME0"
serve_stop
finish
