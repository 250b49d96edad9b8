package dev.sluice.topology.plugin;

import dev.sluice.stage.Output;
import dev.sluice.stage.Scaling;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A stage as a data engineer would add one from their own jar: this class plus its line in the jar's
 * {@code META-INF/services/dev.sluice.stage.StageProvider}. It is deliberately not listed on the test
 * class path; {@code PluginStageIT} packs it into a jar and loads it from there.
 */
public final class ShoutStage implements Stage<String, String, String, String>, StageProvider {
    public static final String NAME = "shout";
    public static final String IN = "sluice.test.shout-in";
    public static final String OUT = "sluice.test.shout-out";

    @Override
    public StageDefinition<String, String, String, String> definition() {
        return StageDefinition.<String, String, String, String>builder(NAME)
                .input(IN, Serdes.String(), Serdes.String())
                .output(OUT, Serdes.String(), Serdes.String())
                .stage(ShoutStage::new)
                .concurrency(2)
                .scaling(Scaling.DEFAULT.lagThreshold(100).replicas(1, 2))
                .build();
    }

    @Override
    public void process(StageRecord<String, String> record, Output<String, String> out) {
        out.emit(record.key(), record.value().toUpperCase(Locale.ROOT) + "!");
    }
}
