package dev.sluice.stages.hn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the watermark has done in this process, for {@code --exit-when-idle} and status: the next id
 * it will emit and the largest maxitem it has accepted. Both -1 until the watermark task has state.
 */
public final class WatermarkProgress {
    private final AtomicLong nextId = new AtomicLong(-1);
    private final AtomicLong target = new AtomicLong(-1);

    void update(long next, long targetId) {
        nextId.set(next);
        target.set(targetId);
    }

    /** The next id to emit; every id below it has been emitted (and committed once the task commits). */
    public long nextId() {
        return nextId.get();
    }

    /** The largest maxitem accepted so far. */
    public long target() {
        return target.get();
    }

    /** True once every id up to {@code maxItem} has been emitted. */
    public boolean caughtUpWith(long maxItem) {
        return nextId.get() > maxItem;
    }
}
