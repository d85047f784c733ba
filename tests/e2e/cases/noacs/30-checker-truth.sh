# No ACS on the root ports: the predicted groups merge exactly as the kernel's do, and the checker's
# mustMoveWith for an NVMe names the other NVMe, which VFIO needs to call the shared group viable. The
# Hyper-V dismount refusal of 20-assign-shared-group.sh (/out/na-hyperv.json) names the same functions: the predicted
# group and the kernel's, bridges aside. The ACS reasons agree with the ports' ACS state.
# e2e-expect: checker-survey-runs checker-groups-match-kernel movewith-shared-nvme checker-acs-missing
# e2e-expect: refusal-group-is-predicted checker-acs-matches-kernel
# e2e-timeout: 300
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar checker-survey-runs checker-groups-match-kernel movewith-shared-nvme checker-acs-missing \
    refusal-group-is-predicted checker-acs-matches-kernel
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass checker-survey-runs || fail checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
check_groups_match_kernel checker-groups-match-kernel /out/c-table.txt
set -- $(pci_find 1b36:0010); NVME0=$1
grep "^$NVME0 " /out/c-table.txt | grep -q AcsPathMissing && pass checker-acs-missing ||
    fail checker-acs-missing "$(grep "^$NVME0 " /out/c-table.txt)"
check_acs_vs_kernel checker-acs-matches-kernel /out/c-table.txt $(pci_find 1b36:0010) $(pci_find 8086:10d3)
check_refusal_group refusal-group-is-predicted /out/na-hyperv.json /out/c-table.txt "$NVME0"
serve_start
check_move_with movewith-shared-nvme /out/c-table.txt "$NVME0"
serve_stop
finish
