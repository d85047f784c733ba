package org.ddabridge.assign;

/**
 * A guard that stops one function, as the JSON shows it ({@code code}, {@code hard}, {@code address},
 * {@code message}); build it with {@link #of} so {@code hard} always follows the code.
 */
public record Guard(String code, boolean hard, String address, String message) {
    public static Guard of(GuardCode code, String address, String message) {
        return new Guard(code.name(), code.hard(), address, message);
    }
}
