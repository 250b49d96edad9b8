package dev.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.StageMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line, from real {@link StageMetrics} counters (stage names unique to this test). */
class ProgressReporterTest {

    @Test
    void shouldSayNothingWhileNoStageCountedAnything() {
        assertThat(ProgressReporter.line(List.of("progress-quiet-a", "progress-quiet-b"), StageMetrics::of)).isNull();
    }

    @Test
    void shouldSayInAndOutPerActiveStageWithDeadLettersAndStallsOnlyWhenThere() {
        StageMetrics fetch = StageMetrics.of("progress-fetch");
        fetch.in.set(3000);
        fetch.out.set(3000);
        StageMetrics resolve = StageMetrics.of("progress-resolve");
        resolve.in.set(3000);
        resolve.out.set(1103);
        resolve.deadLettered.set(1897);
        StageMetrics links = StageMetrics.of("progress-links");
        links.in.set(120);
        links.stalledPartitions.set(2);

        String line = ProgressReporter.line(List.of("progress-fetch", "progress-idle", "progress-resolve", "progress-links"),
                StageMetrics::of);

        assertThat(line).isEqualTo("progress (records in/out): progress-fetch 3000/3000, "
                + "progress-resolve 3000/1103 dlq=1897, progress-links 120/0 stalled=2");
    }
}
