package dev.sluice.stages.summarise;

import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries summarisers in order (primary model, fallback model, offline) and returns the first good
 * summary; the {@link Draft#model()} says which one made it. When every link fails the error names
 * each link's reason: retriable if any link may succeed later (the runtime retries, then
 * dead-letters), permanent if none can.
 */
public final class FallbackChain implements Summarizer {
    private static final Logger log = LoggerFactory.getLogger(FallbackChain.class);

    private final List<Summarizer> links;

    public FallbackChain(List<Summarizer> links) {
        if (links.isEmpty()) {
            throw new IllegalArgumentException("a fallback chain needs at least one summariser");
        }
        this.links = List.copyOf(links);
    }

    /** {@code primary>fallback>offline-extractive}: the chain's identity, part of the cache key. */
    @Override
    public String name() {
        return String.join(">", links.stream().map(Summarizer::name).toList());
    }

    @Override
    public Draft summarise(Prompt prompt, String input, Set<Long> commentIds)
            throws RetriableStageException, PermanentStageException, InterruptedException {
        List<String> reasons = new ArrayList<>();
        boolean retriable = false;
        for (Summarizer s : links) {
            try {
                Draft d = s.summarise(prompt, input, commentIds);
                if (!reasons.isEmpty()) {
                    log.debug("summary by {} after the chain fell back: {}", s.name(), reasons);
                }
                return d;
            } catch (RetriableStageException e) {
                retriable = true;
                reasons.add(e.getMessage());
            } catch (PermanentStageException e) {
                reasons.add(e.getMessage());
            }
        }
        String message = "every summariser failed: " + String.join("; ", reasons);
        if (retriable) {
            throw new RetriableStageException(message);
        }
        throw new PermanentStageException(message);
    }

    public List<Summarizer> links() {
        return links;
    }
}
