package dev.sluice.stage;

/**
 * A failure that no retry can fix (malformed input, a 404, a limit exceeded). The record goes
 * straight to the dead-letter topic with this message as its reason; the stage goes on.
 */
public class PermanentStageException extends Exception {
    private static final long serialVersionUID = 1L;

    public PermanentStageException(String message) {
        super(message);
    }

    public PermanentStageException(String message, Throwable cause) {
        super(message, cause);
    }
}
