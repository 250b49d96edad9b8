package dev.sluice.topology;

import dev.sluice.stages.hn.HnTopics;
import dev.sluice.stages.hn.MaxItemPoller;
import dev.sluice.stages.hn.WatermarkTopology;
import java.util.function.Consumer;

/** The watermark: the maxitem poller plus the watermark Streams application. */
final class WatermarkStage extends StreamsStage {
    static final String NAME = WatermarkTopology.NAME;
    private final MaxItemPoller poller;

    WatermarkStage(StageContext c) {
        super(NAME, HnTopics.MAXITEM, WatermarkTopology.build(c.hn(), c.progress()), c);
        this.poller = new MaxItemPoller(c.hn(), c.clientProps());
    }

    @Override
    public void start(Consumer<Throwable> onFatal) {
        super.start(onFatal);
        poller.start();
    }

    /** The last maxitem observed and written, or -1. */
    long lastObserved() {
        return poller.lastObserved();
    }

    @Override
    public void close() {
        poller.close();
        super.close();
    }
}
