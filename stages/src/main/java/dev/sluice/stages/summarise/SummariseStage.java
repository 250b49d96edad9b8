package dev.sluice.stages.summarise;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.summaries.Summary;
import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Summarises every record of its input that maps to a {@link Subject} into a versioned
 * {@link Summary} on {@link SummaryTopics#SUMMARIES}, through the configured chain, with
 * {@code summarise.concurrency} summaries in flight. Model answers are looked up in and written to
 * the {@link SummaryCache} first, so a replay does not pay twice. When the whole chain fails the
 * runtime retries the record, then dead-letters it with every link's reason.
 *
 * @param <K> input key type
 * @param <V> input value type
 */
public final class SummariseStage<K, V> implements Stage<K, V, String, Summary> {
    private static final Logger log = LoggerFactory.getLogger(SummariseStage.class);

    private final Function<V, Subject> subjects;
    private final Supplier<Summarizer> summarizer;
    private final Supplier<SummaryCache> cacheFactory;
    private Summarizer chain;
    private SummaryCache cache;

    /** A stage whose chain and cache come from its settings at {@link #init}. */
    public SummariseStage(Function<V, Subject> subjects) {
        this(subjects, null, null);
    }

    /** A stage with the given chain and cache (tests). */
    public SummariseStage(Function<V, Subject> subjects, Supplier<Summarizer> summarizer, Supplier<SummaryCache> cache) {
        this.subjects = subjects;
        this.summarizer = summarizer;
        this.cacheFactory = cache;
    }

    /**
     * The definition of one summarise stage: {@code name} reads {@code topic}, maps each value to a
     * subject ({@code null}: skip) and writes summaries, {@code summarise.concurrency} in flight.
     */
    public static <K, V> StageDefinition<K, V, String, Summary> definition(String name, String topic, Serde<K> keys,
            Serde<V> values, Function<V, Subject> subjects) {
        return StageDefinition.<K, V, String, Summary>builder(name)
                .input(topic, keys, values)
                .output(SummaryTopics.SUMMARIES, Serdes.String(), new AvroSerde<>(Summary.class))
                .stage(() -> new SummariseStage<>(subjects))
                .uses(StageDefinition.Use.LLM)
                .config(SummariseConfig.CONFIG, SummariseConfig::new)
                .needsDatabase()
                .concurrency(c -> c.getInt(SummariseConfig.CONCURRENCY_CONFIG))
                .maxPollRecords(c -> c.getInt(SummariseConfig.MAX_POLL_CONFIG))
                .retry(c -> new SummariseConfig(c.originals()).stageRetryPolicy())
                .scaling(Scaling.DEFAULT.lagThreshold(20))
                .build();
    }

    @Override
    public void init(StageContext context) {
        if (summarizer != null) {
            chain = summarizer.get();
            cache = cacheFactory.get();
            return;
        }
        SummariseConfig config = new SummariseConfig(context.config());
        chain = Summarizers.fromConfig(config);
        cache = config.getBoolean(SummariseConfig.CACHE_CONFIG) && config.remote() ? openCache(context) : SummaryCache.NONE;
    }

    private static SummaryCache openCache(StageContext context) {
        try {
            return new JdbcSummaryCache(context.requireJdbcUrl());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot open llm_cache in PostgreSQL (" + e.getMessage()
                    + "); set db.url or disable " + SummariseConfig.CACHE_CONFIG, e);
        }
    }

    @Override
    public void process(StageRecord<K, V> record, Output<String, Summary> out) throws Exception {
        Subject s = record.value() == null ? null : subjects.apply(record.value());
        if (s == null) {
            log.debug("skipping {}: not a subject to summarise", record.origin());
            return;
        }
        if (s.input().isBlank()) {
            throw new PermanentStageException(s.kind() + " " + s.id() + " has no text to summarise");
        }
        long start = System.nanoTime();
        String key = SummaryCache.key(s.prompt().version(), chain.name(), s.input());
        Optional<Draft> hit = cache.get(key);
        Draft d = hit.isPresent() ? hit.get() : chain.summarise(s.prompt(), s.input(), s.commentIds());
        if (hit.isEmpty() && !OfflineSummarizer.MODEL.equals(d.model())) {
            cache.put(key, s.prompt().version(), d);
        }
        long latency = (System.nanoTime() - start) / 1_000_000;
        out.emit(s.kind() + ":" + s.id() + ":" + s.version(), Summary.newBuilder().setSubjectKind(s.kind())
                .setSubjectId(s.id()).setVersion(s.version()).setText(d.text()).setModel(d.model())
                .setPromptVersion(s.prompt().version()).setTokensIn(d.tokensIn()).setTokensOut(d.tokensOut())
                .setLatencyMs(latency).setCached(hit.isPresent()).setCreatedAt(Instant.now()).build());
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
