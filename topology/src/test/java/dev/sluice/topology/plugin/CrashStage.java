package dev.sluice.topology.plugin;

import dev.sluice.stage.Output;
import dev.sluice.stage.Stage;
import dev.sluice.stage.StageDefinition;
import dev.sluice.stage.StageProvider;
import dev.sluice.stage.StageRecord;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A stage whose input holds a record that kills the process, as a native crash in an OCR library
 * would: {@code "poison"} halts the JVM on the spot (no shutdown hook, nothing committed). Packed into
 * a jar by {@code CrashLoopIT}; not on the test class path's ServiceLoader list.
 */
public final class CrashStage implements Stage<String, String, String, String>, StageProvider {
    public static final String NAME = "crasher";
    public static final String IN = "sluice.test.crasher-in";
    public static final String OUT = "sluice.test.crasher-out";
    public static final String POISON = "poison";

    @Override
    public StageDefinition<String, String, String, String> definition() {
        return StageDefinition.<String, String, String, String>builder(NAME)
                .input(IN, Serdes.String(), Serdes.String())
                .output(OUT, Serdes.String(), Serdes.String())
                .stage(CrashStage::new)
                .concurrency(2)
                .build();
    }

    @Override
    public void process(StageRecord<String, String> record, Output<String, String> out) {
        if (POISON.equals(record.value())) {
            Runtime.getRuntime().halt(134);
        }
        out.emit(record.key(), record.value().toUpperCase(Locale.ROOT));
    }
}
