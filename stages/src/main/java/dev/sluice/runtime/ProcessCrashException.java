package dev.sluice.runtime;

import dev.sluice.stage.PermanentStageException;

/**
 * The reason of a record dead-lettered by {@link CrashGuard}: it was in flight each time the
 * process died, the configured number of times in a row, so it is not processed again.
 */
public final class ProcessCrashException extends PermanentStageException {
    private static final long serialVersionUID = 1L;

    ProcessCrashException(String stage, int crashes) {
        super("stage " + stage + " stopped without committing " + crashes + " times in a row while this record was"
                + " in flight (the process crashed, e.g. a native crash or out of memory); dead-lettered unprocessed."
                + " Raise " + RuntimeConfig.CRASHES_CONFIG + " or fix the cause, then re-drive it");
    }
}
