package org.ddabridge.check;

import java.util.List;

/** The per-device outcome of the survey. */
public enum Verdict {
    Assignable, AssignableWithWarnings, NotAssignable;

    /** Any error: NotAssignable; else any warning: AssignableWithWarnings; else Assignable. */
    public static Verdict of(List<Reason> reasons) {
        boolean warning = false;
        for (Reason r : reasons) {
            if (r.severity() == Severity.ERROR) {
                return NotAssignable;
            }
            warning |= r.severity() == Severity.WARNING;
        }
        return warning ? AssignableWithWarnings : Assignable;
    }
}
