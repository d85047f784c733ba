package org.ddabridge.api;

/** An error with a stable id, reported to callers as the envelope's {@code error} object. */
public class EngineException extends RuntimeException {
    private final ErrorId id;
    private final String target;
    private final transient Object details;

    public EngineException(ErrorId id, String message, String target) {
        this(id, message, target, null);
    }

    public EngineException(ErrorId id, String message, String target, Object details) {
        super(message);
        this.id = id;
        this.target = target;
        this.details = details;
    }

    public ErrorId id() {
        return id;
    }

    public String target() {
        return target;
    }

    /** Optional structured detail (e.g. the reasons a device was refused), or null. */
    public Object details() {
        return details;
    }
}
