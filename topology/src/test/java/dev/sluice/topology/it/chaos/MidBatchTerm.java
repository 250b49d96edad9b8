package dev.sluice.topology.it.chaos;

import dev.sluice.stage.Names;
import dev.sluice.topology.it.ItEnv;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * A SIGTERM that hits an open batch, as a KEDA scale-down or a rolling deploy does: once the
 * instance's fetch owns partitions, new items appear with every answer slowed to 300 ms, and the
 * SIGTERM lands while requests are in flight. The instance's log tells whether a batch was abandoned
 * ("stopping mid-batch"); if not, the instance is restarted and tried again, three times at most.
 */
final class MidBatchTerm {
    private static final int TRIES = 3;
    private final Fleet fleet;
    private final HnFeed hn;
    private final ItEnv env;
    private final Random random;

    MidBatchTerm(Fleet fleet, HnFeed hn, ItEnv env, Random random) {
        this.fleet = fleet;
        this.hn = hn;
        this.env = env;
        this.random = random;
    }

    /** SIGTERMs {@code id} mid-batch and restarts it; true if one of the tries hit an open batch. */
    boolean terminate(String id) throws Exception {
        for (int i = 1; i <= TRIES; i++) {
            awaitFetchAssigned(id);
            boolean midBatch = terminateOnce(id);
            fleet.restart(id);
            if (midBatch) {
                return true;
            }
            ChaosLog.event("%s had no batch open at its SIGTERM (try %d of %d)", id, i, TRIES);
        }
        return false;
    }

    private boolean terminateOnce(String id) throws Exception {
        hn.setLatencyMs(300);
        try {
            long requests = hn.requests();
            hn.revealNext();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (hn.requests() < requests + 10) {
                fleet.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no item requested for two minutes; timeline:\n" + ChaosLog.timeline());
                }
                Thread.sleep(50);
            }
            Thread.sleep(200 + random.nextInt(300));
            fleet.terminate(id);
        } finally {
            hn.setLatencyMs(HnFeed.LATENCY_MS);
        }
        return fleet.logSinceStart(id).contains("stopping mid-batch");
    }

    /** Waits until the instance runs and its fetch consumer owns partitions (after a start, a rebalance or a broker restart). */
    private void awaitFetchAssigned(String id) throws Exception {
        fleet.awaitRunning(id);
        String member = Names.DEFAULT.memberId("fetch", id);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(new HashMap<>(env.clientProps()))) {
            while (!assigned(admin, member)) {
                fleet.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(member + " owns no partition after two minutes; timeline:\n" + ChaosLog.timeline());
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean assigned(Admin admin, String member) {
        try {
            List<MemberDescription> members = admin.describeConsumerGroups(List.of(Names.DEFAULT.groupId("fetch"))).all().get()
                    .get(Names.DEFAULT.groupId("fetch")).members().stream().toList();
            return members.stream().anyMatch(m -> m.groupInstanceId().orElse("").equals(member)
                    && !m.assignment().topicPartitions().isEmpty());
        } catch (Exception e) {
            return false; // the broker restarting, the group loading: ask again
        }
    }
}
