package dev.sluice.topology.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.Ddl;
import dev.sluice.stages.summarise.JdbcSummaryCache;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas that start at the same moment (an autoscaler adding two, a rollout) each create the
 * tables they need on the real PostgreSQL. Plain {@code CREATE TABLE IF NOT EXISTS} lets one of
 * them die of a unique violation on {@code pg_type}; under {@link Ddl}'s lock none may fail.
 */
class ConcurrentSchemaIT {
    private static final int REPLICAS = 8;
    private static final int ROUNDS = 6;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(REPLICAS);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void shouldCreateTheSummaryCacheOnceWhenReplicasStartTogether() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String url = ItEnv.database("concurrent_cache_" + round);
            together(() -> new JdbcSummaryCache(url));
            assertThat(Db.count(url, "SELECT count(*) FROM llm_cache")).isZero();
        }
    }

    @Test
    void shouldApplyTheSameSchemaFromManySessionsAtOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String url = ItEnv.database("concurrent_ddl_" + round);
            together(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    Ddl.apply(c, "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, parent bigint)",
                            "CREATE INDEX IF NOT EXISTS t_parent ON t (parent)");
                    assertThat(c.getAutoCommit()).as("auto-commit restored").isTrue();
                }
                return null;
            });
            assertThat(Db.count(url, "SELECT count(*) FROM pg_indexes WHERE indexname = 't_parent'")).isOne();
        }
    }

    /** Runs {@code start} on every replica at the same instant; fails with the first replica's error. */
    private static void together(Callable<?> start) throws Exception {
        CyclicBarrier gate = new CyclicBarrier(REPLICAS);
        List<Future<?>> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(POOL.submit(() -> {
                gate.await();
                return start.call();
            }));
        }
        for (Future<?> f : replicas) {
            f.get();
        }
    }
}
