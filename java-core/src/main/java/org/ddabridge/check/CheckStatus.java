package org.ddabridge.check;

import com.google.gson.annotations.SerializedName;

/** Outcome of a host check. */
public enum CheckStatus {
    @SerializedName("pass") PASS,
    @SerializedName("warn") WARN,
    @SerializedName("fail") FAIL,
    /** No evidence either way (offline dump, unreadable source). */
    @SerializedName("unknown") UNKNOWN
}
