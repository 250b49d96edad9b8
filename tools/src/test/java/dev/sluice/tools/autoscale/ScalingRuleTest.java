package dev.sluice.tools.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stage.Scaling;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The KEDA/HPA rule of the demo controller, step by step with explicit clock values. */
class ScalingRuleTest {
    private static final Scaling HUNDRED = Scaling.DEFAULT.lagThreshold(100).replicas(1, 8);

    private static ScalingRule rule(Scaling s, int partitions) {
        return new ScalingRule(s, partitions, Duration.ofSeconds(10));
    }

    @Test
    void shouldAskForCeilOfLagOverThresholdCappedByPartitions() {
        assertThat(rule(HUNDRED, 8).desired(450, 4, 0)).isEqualTo(5);
        assertThat(rule(HUNDRED, 3).desired(1_000, 3, 0)).isEqualTo(3);
        assertThat(rule(HUNDRED.replicas(1, 2), 8).desired(1_000, 2, 0)).isEqualTo(2);
    }

    @Test
    void shouldKeepReplicasWhileLagPerReplicaIsWithinTenPercentOfTheThreshold() {
        assertThat(rule(HUNDRED, 8).desired(210, 2, 0)).isEqualTo(2);
        assertThat(rule(HUNDRED, 8).desired(230, 2, 0)).isEqualTo(3);
    }

    @Test
    void shouldActivateOneReplicaFromZeroOnlyAboveTheActivationThreshold() {
        ScalingRule r = rule(HUNDRED.activation(10), 8);
        assertThat(r.desired(10, 0, 0)).isZero();
        assertThat(r.desired(5_000, 0, 1_000)).isEqualTo(1);
    }

    @Test
    void shouldScaleUpAtMostByDoublingOrFourReplicasPerStep() {
        ScalingRule r = rule(HUNDRED, 8);
        assertThat(r.desired(10_000, 1, 0)).isEqualTo(5);
        assertThat(r.desired(10_000, 5, 2_000)).isEqualTo(8);
    }

    @Test
    void shouldScaleDownOnlyAfterLagStayedLowForTheWholeWindow() {
        ScalingRule r = rule(HUNDRED, 8);
        assertThat(r.desired(400, 4, 0)).isEqualTo(4);
        assertThat(r.desired(0, 4, 2_000)).as("within the window of the 4-replica recommendation").isEqualTo(4);
        assertThat(r.desired(0, 4, 9_000)).isEqualTo(4);
        assertThat(r.desired(0, 4, 11_000)).as("window passed, stage may scale to zero").isZero();
    }

    @Test
    void shouldNeverTakeAStageThatMayNotScaleToZeroBelowItsMinimum() {
        ScalingRule r = rule(HUNDRED.scaleToZero(false).replicas(2, 8), 8);
        assertThat(r.desired(0, 2, 0)).isEqualTo(2);
        assertThat(r.desired(300, 2, 1_000)).isEqualTo(3);
        assertThat(r.desired(0, 3, 5_000)).isEqualTo(3);
        assertThat(r.desired(0, 3, 12_000)).isEqualTo(2);
        assertThat(r.desired(0, 2, 60_000)).isEqualTo(2);
    }
}
