package dev.sluice.stages.summarise;

import dev.sluice.runtime.ErrorClassifier;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries summarisers in order (primary model, fallback model, offline) and returns the first good
 * summary; the {@link Draft#model()} says which one made it. When every link fails the error names
 * each link's reason: an {@link UnavailableException} if a link is unavailable (HTTP 429/5xx, timeouts,
 * an open circuit: the runtime stalls for as long as the outage lasts and never dead-letters it),
 * else retriable if a link may succeed later (dead-lettered only once it fails identically many
 * times), else permanent.
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
        RetriableStageException outage = null;
        for (Summarizer s : links) {
            try {
                Draft d = s.summarise(prompt, input, commentIds);
                if (!reasons.isEmpty()) {
                    log.debug("summary by {} after the chain fell back: {}", s.name(), reasons);
                }
                return d;
            } catch (RetriableStageException e) {
                retriable = true;
                outage = outage == null && ErrorClassifier.isOutage(e) ? e : outage;
                reasons.add(e.getMessage());
            } catch (PermanentStageException e) {
                reasons.add(e.getMessage());
            }
        }
        String message = "every summariser failed: " + String.join("; ", reasons);
        if (outage != null) {
            throw new UnavailableException(message, outage.retryAfter().orElse(null), outage);
        }
        if (retriable) {
            throw new RetriableStageException(message);
        }
        throw new PermanentStageException(message);
    }

    public List<Summarizer> links() {
        return links;
    }
}
