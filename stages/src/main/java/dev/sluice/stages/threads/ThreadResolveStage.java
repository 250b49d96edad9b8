package dev.sluice.stages.threads;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.threads.ThreadComment;
import dev.sluice.stage.Output;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.Configs;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import dev.sluice.stages.hn.HnConfig;
import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.summarise.SummariseConfig;
import dev.sluice.stages.summarise.SummaryTopics;
import dev.sluice.stages.summarise.Text;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every Hacker News item to its thread: a story (or poll) is its own root and passes
 * through as a marker carrying its title; a live comment goes to
 * {@link SummaryTopics#THREAD_COMMENTS} keyed by its root story id, its ancestors fetched from the
 * API when not seen ({@link RootResolver}). Deleted and dead comments count for resolving their
 * replies but are not emitted. A comment whose ancestor the API does not have is dead-lettered.
 */
public final class ThreadResolveStage implements Stage<Long, HnItem, Long, ThreadComment>, StageProvider {
    public static final String NAME = "threads-resolve";
    private static final Logger log = LoggerFactory.getLogger(ThreadResolveStage.class);

    /** The Hacker News client's settings and the thread path's. */
    private static final org.apache.kafka.common.config.ConfigDef SETTINGS = Configs.merge(HnConfig.CONFIG, SummariseConfig.CONFIG);

    private RootResolver resolver;

    /** Items in, thread comments out, {@code threads.resolve.concurrency} ancestor fetches in flight. */
    @Override
    public StageDefinition<Long, HnItem, Long, ThreadComment> definition() {
        return StageDefinition.<Long, HnItem, Long, ThreadComment>builder(NAME)
                .input(HnTopics.ITEMS, Serdes.Long(), new AvroSerde<>(HnItem.class))
                .output(SummaryTopics.THREAD_COMMENTS, Serdes.Long(), new AvroSerde<>(ThreadComment.class))
                .stage(ThreadResolveStage::new)
                .uses(StageDefinition.Use.HN_API)
                .config(SETTINGS, m -> {
                    new HnConfig(m); // each component refuses its own contradictions
                    new SummariseConfig(m);
                    return new org.apache.kafka.common.config.AbstractConfig(SETTINGS, m, false);
                })
                .concurrency(c -> c.getInt(SummariseConfig.RESOLVE_CONCURRENCY_CONFIG))
                .maxPollRecords(c -> new HnConfig(c.originals()).getInt(HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG))
                .retry(c -> new HnConfig(c.originals()).fetchRetryPolicy())
                .build();
    }

    @Override
    public void init(StageContext context) {
        HnConfig hn = new HnConfig(context.config());
        SummariseConfig config = new SummariseConfig(context.config());
        resolver = new RootResolver(hn.newApiClient(), config.getInt(SummariseConfig.RESOLVE_CACHE_CONFIG),
                config.getInt(SummariseConfig.RESOLVE_MAX_DEPTH_CONFIG));
    }

    @Override
    public void process(StageRecord<Long, HnItem> record, Output<Long, ThreadComment> out) throws Exception {
        HnItem item = record.value();
        if (item == null || item.getType() == null) {
            log.debug("skipping {}: no item or no item type", record.origin());
            return;
        }
        if (!"comment".equals(item.getType())) {
            resolver.remember(item.getId(), item.getId());
            if (!item.getDeleted() && ("story".equals(item.getType()) || "poll".equals(item.getType()))) {
                out.emit(item.getId(), ThreadComment.newBuilder().setRootId(item.getId()).setItemId(item.getId())
                        .setIsStory(true).setBy(item.getBy()).setTime(item.getTime()).setText(item.getTitle()).build());
            }
            return;
        }
        if (item.getParent() == null) {
            throw new PermanentStageException("comment " + item.getId() + " has no parent");
        }
        long root = resolver.rootOf(item.getId(), item.getParent());
        resolver.remember(item.getId(), root);
        String text = Text.fromHtml(item.getText());
        if (item.getDeleted() || item.getDead() || text.isBlank()) {
            log.debug("not counting {}: comment {} is deleted, dead or empty", record.origin(), item.getId());
            return;
        }
        out.emit(root, ThreadComment.newBuilder().setRootId(root).setItemId(item.getId()).setIsStory(false)
                .setParent(item.getParent()).setBy(item.getBy()).setTime(item.getTime()).setText(text).build());
    }
}
