package org.ddabridge.check;

import com.google.gson.annotations.SerializedName;

/** How much a device reason weighs in the verdict. */
public enum Severity {
    /** A fact, no effect on the verdict. */
    @SerializedName("info") INFO,
    /** Assignment can work with care: makes the verdict AssignableWithWarnings. */
    @SerializedName("warning") WARNING,
    /** Assignment cannot work: makes the verdict NotAssignable. */
    @SerializedName("error") ERROR
}
