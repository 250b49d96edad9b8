package dev.sluice.stages.hn;

import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.hn.HnItem;
import dev.sluice.schemas.hn.HnLink;
import dev.sluice.stage.Output;
import dev.sluice.stage.Stage;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links: every live story with an http(s) {@code url} becomes an {@link HnLink} on
 * {@link HnTopics#LINKS}, flagged when it points at a PDF. The worked example of
 * docs/adding-a-stage.md; it runs inside Kafka Streams (concurrency 1).
 */
public final class LinkStage implements Stage<Long, HnItem, Long, HnLink>, StageProvider {
    public static final String NAME = "links";
    private static final Logger log = LoggerFactory.getLogger(LinkStage.class);
    /** scheme, host, path of an http(s) URL; lenient where java.net.URI is not (underscores, '|', stray '%'). */
    private static final Pattern WEB_URL = Pattern.compile("(?i)^(https?)://(?:[^/?#@\\s]*@)?([^/?#:@\\s]+)(?::\\d*)?(/[^?#]*)?(?:[?#].*)?$");

    @Override
    public StageDefinition<Long, HnItem, Long, HnLink> definition() {
        return StageDefinition.<Long, HnItem, Long, HnLink>builder(NAME)
                .input(HnTopics.ITEMS, Serdes.Long(), new AvroSerde<>(HnItem.class))
                .output(HnTopics.LINKS, Serdes.Long(), new AvroSerde<>(HnLink.class))
                .stage(LinkStage::new)
                .scaling(Scaling.DEFAULT.lagThreshold(5_000).replicas(1, 4))
                .build();
    }

    @Override
    public void process(StageRecord<Long, HnItem> record, Output<Long, HnLink> out) {
        HnItem item = record.value();
        if (item == null || item.getDeleted() || item.getDead() || !"story".equals(item.getType()) || item.getUrl() == null) {
            return;
        }
        Matcher m = WEB_URL.matcher(item.getUrl().trim());
        if (!m.matches()) {
            log.debug("skipping {}: story {} links to a non-web url", record.origin(), item.getId());
            return;
        }
        String path = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
        out.emit(item.getId(), HnLink.newBuilder()
                .setStoryId(item.getId())
                .setUrl(item.getUrl())
                .setHost(m.group(2).toLowerCase(Locale.ROOT))
                .setTitle(item.getTitle())
                .setLooksLikePdf(path.endsWith(".pdf"))
                .build());
    }
}
