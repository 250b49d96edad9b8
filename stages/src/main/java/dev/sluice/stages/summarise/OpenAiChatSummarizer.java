package dev.sluice.stages.summarise;

import dev.sluice.runtime.RetryPolicy;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.UnavailableException;
import dev.sluice.stages.hn.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Summarises with one model of an OpenAI-compatible endpoint. Each completion is retried with
 * backoff and full jitter on 429/5xx/timeouts/malformed or rejected answers, honouring
 * {@code Retry-After}, behind a per-model circuit breaker. A text too long for the context is split
 * ({@link Chunker}) and summarised map-reduce; the whole job must fit {@code summarise.token.budget}.
 * Every text reaches the model fenced as data ({@link Prompt#user}).
 */
public final class OpenAiChatSummarizer implements Summarizer {
    private static final Logger log = LoggerFactory.getLogger(OpenAiChatSummarizer.class);

    /** Limits of one model. */
    public record Limits(int maxTokens, double temperature, int contextTokens, int tokenBudget) {
    }

    private final OpenAiChatClient client;
    private final String model;
    private final Limits limits;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final OutputValidator validator;

    public OpenAiChatSummarizer(OpenAiChatClient client, String model, Limits limits, RetryPolicy retry,
                                CircuitBreaker breaker, OutputValidator validator) {
        this.client = client;
        this.model = model;
        this.limits = limits;
        this.retry = retry;
        this.breaker = breaker;
        this.validator = validator;
    }

    @Override
    public String name() {
        return model;
    }

    @Override
    public Draft summarise(Prompt prompt, String input, Set<Long> commentIds)
            throws RetriableStageException, PermanentStageException, InterruptedException {
        int chunkTokens = limits.contextTokens() - Text.tokens(prompt.system()) - Text.tokens(prompt.user("")) - limits.maxTokens() - 64;
        List<String> chunks = Chunker.split(input, chunkTokens);
        int estimate = estimate(prompt, chunks);
        if (estimate > limits.tokenBudget()) {
            throw new PermanentStageException(model + ": over the token budget: about " + estimate
                    + " tokens > summarise.token.budget " + limits.tokenBudget());
        }
        Usage usage = new Usage();
        Call job = new Call(prompt, commentIds, usage);
        String text = chunks.size() == 1 ? call(job, chunks.get(0)) : mapReduce(job, chunks, chunkTokens);
        return new Draft(text, model, usage.in.get(), usage.out.get());
    }

    /** Tokens of all map calls plus one reduce call. */
    private int estimate(Prompt prompt, List<String> chunks) {
        int system = Text.tokens(prompt.system());
        int total = 0;
        for (String c : chunks) {
            total += system + Text.tokens(c) + limits.maxTokens();
        }
        return chunks.size() == 1 ? total : total + system + limits.maxTokens() * (chunks.size() + 1);
    }

    private String mapReduce(Call job, List<String> chunks, int chunkTokens)
            throws RetriableStageException, PermanentStageException, InterruptedException {
        List<String> partials = new ArrayList<>();
        for (String c : chunks) {
            partials.add(call(job, c));
        }
        if (job.prompt().format() == Prompt.Format.WANTS_JSON) {
            return WantsMerge.merge(partials);
        }
        String combined = String.join("\n", partials);
        if (Text.tokens(combined) <= chunkTokens) {
            return call(job, combined);
        }
        return mapReduce(job, Chunker.split(combined, chunkTokens), chunkTokens);
    }

    /** The parts of one summary every completion of it shares. */
    private record Call(Prompt prompt, Set<Long> commentIds, Usage usage) {
    }

    /** One completion, retried; returns the validated answer. */
    private String call(Call job, String text) throws RetriableStageException, PermanentStageException, InterruptedException {
        long start = System.nanoTime();
        RetriableStageException last = null;
        for (int attempt = 1; ; attempt++) {
            Duration open = breaker.tryAcquire();
            if (!open.isZero()) {
                throw new UnavailableException(model + ": circuit open after repeated failures", open, last);
            }
            try {
                return attempt(job, text);
            } catch (RetriableStageException e) {
                last = e;
            } catch (InterruptedException | RuntimeException e) {
                breaker.onAbandoned();
                throw e;
            }
            if (!retry.allowsAnother(attempt, Duration.ofNanos(System.nanoTime() - start))) {
                throw new RetriableStageException(model + ": gave up after " + attempt + " attempts: " + last.getMessage(),
                        last.retryAfter().orElse(null), last);
            }
            Duration wait = retry.backoff(attempt, last.retryAfter());
            log.debug("{} attempt {} failed ({}); retrying in {} ms", model, attempt, last.getMessage(), wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    private String attempt(Call job, String text) throws RetriableStageException, PermanentStageException, InterruptedException {
        OpenAiChatClient.Completion c;
        try {
            c = client.complete(model, job.prompt().system(), job.prompt().user(text), limits.maxTokens(), limits.temperature());
        } catch (RetriableStageException e) {
            breaker.onFailure();
            throw e;
        } catch (PermanentStageException e) {
            breaker.onSuccess();
            throw e;
        }
        breaker.onSuccess();
        job.usage().add(c, limits.tokenBudget(), model);
        try {
            return validator.validate(job.prompt(), text, job.commentIds(), c.content());
        } catch (OutputValidator.Rejected r) {
            throw new RetriableStageException(model + ": answer rejected: " + r.getMessage());
        }
    }

    /** Tokens billed so far for one summary; over the budget is permanent for this model. */
    private static final class Usage {
        final AtomicInteger in = new AtomicInteger();
        final AtomicInteger out = new AtomicInteger();

        void add(OpenAiChatClient.Completion c, int budget, String model) throws PermanentStageException {
            int total = in.addAndGet(c.promptTokens()) + out.addAndGet(c.completionTokens());
            if (total > budget) {
                throw new PermanentStageException(model + ": spent " + total + " tokens, over summarise.token.budget " + budget);
            }
        }
    }

}
