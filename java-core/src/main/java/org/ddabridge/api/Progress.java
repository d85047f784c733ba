package org.ddabridge.api;

/** Receives progress of long work; serve turns it into {@code {"event":"progress"}} lines. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (activity, percent, status) -> { };

    /**
     * @param activity what is being done ("Capturing host image")
     * @param percent  0-100, or -1 when unknown
     * @param status   the current item
     */
    void report(String activity, int percent, String status);
}
