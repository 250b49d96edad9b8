package dev.sluice.tools.autoscale;

/**
 * One controller step of the autoscale demo.
 *
 * @param seconds    since the demo started
 * @param lag        the stage's total lag (exactly-once-correct) at this step
 * @param replicas   instances that ran during the interval ending here
 * @param throughput records per second the instances processed during that interval
 * @param desired    replicas the rule asked for at this step (running from now on)
 */
public record Sample(double seconds, long lag, int replicas, double throughput, int desired) {

    static final String CSV_HEADER = "seconds,lag,replicas,records_per_second,desired_replicas";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.1f,%d,%d,%.1f,%d", seconds, lag, replicas, throughput, desired);
    }
}
