# Predicted IOMMU groups equal the kernel's groups in this topology too.
# e2e-expect: checker-survey-runs checker-groups-match-kernel
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
need_jar checker-survey-runs checker-groups-match-kernel
ddab survey --json > /out/c-survey.json 2> /out/c-survey.err
rc=$?; [ $rc = 0 ] && pass checker-survey-runs || fail checker-survey-runs "rc=$rc $(head -c 300 /out/c-survey.err)"
survey_table /out/c-survey.json > /out/c-table.txt
check_groups_match_kernel checker-groups-match-kernel /out/c-table.txt
finish
