package dev.sluice.stages.hn;

import java.util.List;

/** The Hacker News path's topics, one per capability; each stage's dead-letter topic is its input + ".dlq". */
public final class HnTopics {
    /** Observations of /v0/maxitem.json, keyed "hn". */
    public static final String MAXITEM = "sluice.hn.maxitem";
    /** Every item id exactly once, keyed by id. */
    public static final String ITEM_IDS = "sluice.hn.item-ids";
    /** Fetched items, keyed by id. */
    public static final String ITEMS = "sluice.hn.items";
    /** Live stories that link out, keyed by story id. */
    public static final String LINKS = "sluice.hn.links";

    private HnTopics() {
    }

    public static String dlq(String topic) {
        return topic + ".dlq";
    }

    /** All topics of the path, dead-letter topics included, in creation order. */
    public static List<String> all() {
        return List.of(MAXITEM, ITEM_IDS, ITEMS, LINKS, dlq(MAXITEM), dlq(ITEM_IDS), dlq(ITEMS));
    }
}
