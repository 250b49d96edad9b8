package dev.sluice.stages.hn;

import dev.sluice.runtime.StageEnvironment;
import dev.sluice.runtime.StreamsStage;
import java.util.function.Consumer;

/** The watermark as it runs: the maxitem poller plus the watermark Streams application. */
final class WatermarkStage extends StreamsStage {
    private final MaxItemPoller poller;
    private final WatermarkProgress progress;

    WatermarkStage(StageEnvironment env) {
        this(env, new HnConfig(env.originals()), new WatermarkProgress());
    }

    private WatermarkStage(StageEnvironment env, HnConfig config, WatermarkProgress progress) {
        super(new WatermarkTopology().definition(), WatermarkTopology.build(config, progress, env.names()), env);
        this.poller = new MaxItemPoller(config, env.clientProps(), env.names());
        this.progress = progress;
    }

    @Override
    public void start(Consumer<Throwable> onFatal) {
        super.start(onFatal);
        poller.start();
    }

    /** Caught up once it has emitted every id up to the last maxitem it observed. */
    @Override
    public boolean caughtUp() {
        long last = poller.lastObserved();
        return last >= 0 && progress.caughtUpWith(last);
    }

    @Override
    public void close() {
        poller.close();
        super.close();
    }
}
