package dev.sluice.topology;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link DeadLetterRedrive} run moved (or, in a dry run, would move) and what it skipped and why.
 *
 * @param moved           the dead letters put back, in the order they were read
 * @param alreadyRedriven dead letters of the stage that an earlier run moved
 * @param otherStage      dead letters of another stage sharing the topic
 * @param reasonMismatch  dead letters of the stage whose message the reason pattern did not find
 * @param batches         transactions committed
 */
public record RedriveResult(String stage, String dlq, boolean dryRun, List<Moved> moved, long alreadyRedriven,
                            long otherStage, long reasonMismatch, int batches) {

    /** One dead letter put back on {@code target}; {@code reason} reads {@code IOException: truncated body}. */
    public record Moved(String dlq, int partition, long offset, String target, String reason) {
        public String line() {
            return dlq + ":" + partition + "@" + offset + " -> " + target + " (" + reason + ")";
        }
    }

    /** {@code redrive fetch: moved 3, skipped 1 (already redriven), 2 (other stage), 5 (reason did not match)}. */
    public String summary() {
        return "redrive " + stage + (dryRun ? " (dry run): would move " : ": moved ") + moved.size() + ", skipped "
                + alreadyRedriven + " (already redriven), " + otherStage + " (other stage), " + reasonMismatch
                + " (reason did not match)";
    }

    /** One line per moved record, at most {@code limit} of them, then the summary. */
    public void print(PrintStream out, int limit) {
        String verb = dryRun ? "would move " : "moved ";
        moved.stream().limit(limit).forEach(m -> out.println(verb + m.line()));
        if (moved.size() > limit) {
            out.println("... and " + (moved.size() - limit) + " more");
        }
        out.println(summary());
        out.flush();
    }

    static final class Builder {
        final List<Moved> moved = new ArrayList<>();
        long alreadyRedriven;
        long otherStage;
        long reasonMismatch;
        int batches;
        private final String stage;
        private final String dlq;
        private final boolean dryRun;

        Builder(String stage, String dlq, boolean dryRun) {
            this.stage = stage;
            this.dlq = dlq;
            this.dryRun = dryRun;
        }

        RedriveResult build() {
            return new RedriveResult(stage, dlq, dryRun, List.copyOf(moved), alreadyRedriven, otherStage, reasonMismatch, batches);
        }
    }
}
