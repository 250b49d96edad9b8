package dev.sluice.stages.hn;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.hn.HnItemId;
import dev.sluice.stage.Output;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageContext;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Item fetch: one {@code GET /v0/item/{id}.json} per id on {@link HnTopics#ITEM_IDS}, the item to
 * {@link HnTopics#ITEMS}. A {@code null} answer (not visible yet) is retried within the retry
 * budget, then dead-lettered with that reason; deleted and dead items are kept with their flags;
 * malformed JSON is dead-lettered. Runs with {@code fetch.concurrency} requests in flight.
 */
public final class ItemFetchStage implements Stage<Long, HnItemId, Long, HnItem>, StageProvider {
    public static final String NAME = "fetch";

    private HnApiClient api;

    /** The stage's wiring: ids in, items out, {@code fetch.concurrency} requests in flight. */
    @Override
    public StageDefinition<Long, HnItemId, Long, HnItem> definition() {
        return StageDefinition.<Long, HnItemId, Long, HnItem>builder(NAME)
                .input(HnTopics.ITEM_IDS, Serdes.Long(), new AvroSerde<>(HnItemId.class))
                .output(HnTopics.ITEMS, Serdes.Long(), new AvroSerde<>(HnItem.class))
                .stage(ItemFetchStage::new)
                .uses(StageDefinition.Use.HN_API)
                .config(HnConfig.CONFIG, HnConfig::new)
                .concurrency(c -> c.getInt(HnConfig.FETCH_CONCURRENCY_CONFIG))
                .maxPollRecords(c -> c.getInt(HnConfig.FETCH_MAX_POLL_RECORDS_CONFIG))
                .retry(c -> new HnConfig(c.originals()).fetchRetryPolicy())
                .scaling(Scaling.DEFAULT.lagThreshold(2_000))
                .build();
    }

    @Override
    public void init(StageContext context) {
        api = new HnConfig(context.config()).newApiClient();
    }

    @Override
    public void process(StageRecord<Long, HnItemId> record, Output<Long, HnItem> out) throws Exception {
        long id = record.value() != null ? record.value().getId() : record.key();
        String body = api.item(id).trim();
        if (body.equals("null")) {
            throw new RetriableStageException("item " + id + " not visible yet: the API answered null");
        }
        out.emit(id, HnItemParser.parse(id, body, Instant.now()));
    }
}
