package dev.sluice.topology.metrics;

import dev.sluice.stage.Names;
import dev.sluice.stage.StageDefinition;
import dev.sluice.topology.LagMonitor;
import dev.sluice.topology.StageCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once-correct lag of stages ({@link LagMonitor}: 0 when nothing is left, although commit
 * markers occupy offsets), refreshed on its own thread every interval and exported as the gauge
 * {@code sluice_stage_lag{stage,topic,partition}}; {@link #total} serves KEDA's metrics-api trigger.
 */
public final class LagGauges implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LagGauges.class);

    private final List<StageDefinition<?, ?, ?, ?>> stages;
    private final MeterRegistry registry;
    private final Admin admin;
    private final LagMonitor monitor;
    private final Map<String, Map<TopicPartition, AtomicLong>> lag = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-lag-gauges");
        t.setDaemon(true);
        return t;
    });
    private final Names names;
    private volatile boolean refreshed;

    /** Gauges of {@code stages}' lag on the groups and topics {@code names} gives. */
    public LagGauges(List<StageDefinition<?, ?, ?, ?>> stages, Map<String, Object> clientProps, MeterRegistry registry,
                     Names names) {
        this.stages = List.copyOf(stages);
        this.names = names;
        this.registry = registry;
        this.admin = Admin.create(new HashMap<>(clientProps));
        this.monitor = new LagMonitor(admin, clientProps);
    }

    /** Refreshes now and then every {@code interval}. */
    public LagGauges start(Duration interval) {
        refresher.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One refresh of every stage's lag (also called by tests). A topic not created yet has no lag to
     * export (debug only); a refresh interrupted by {@link #close} ends quietly; other failures warn.
     */
    public synchronized void refresh() {
        for (StageDefinition<?, ?, ?, ?> e : stages) {
            try {
                Map<TopicPartition, Long> now = monitor.lag(e.groupId(names), names.topic(e.inputTopic()));
                Map<TopicPartition, AtomicLong> gauges = lag.computeIfAbsent(e.name(), k -> new ConcurrentHashMap<>());
                now.forEach((tp, v) -> gauges.computeIfAbsent(tp, p -> register(e.name(), p)).set(v));
            } catch (InterruptedException | InterruptException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ex) {
                if (LagMonitor.isMissingTopic(ex)) {
                    log.debug("lag of stage {} not read yet: topic {} does not exist", e.name(), names.topic(e.inputTopic()));
                } else {
                    log.warn("lag of stage {} (group {}, topic {}) not refreshed: {}", e.name(), e.groupId(names),
                            names.topic(e.inputTopic()), ex.toString());
                }
            }
        }
        refreshed = true;
    }

    private AtomicLong register(String stage, TopicPartition tp) {
        AtomicLong v = new AtomicLong();
        Gauge.builder("sluice.stage.lag", v, AtomicLong::get).description("records left to process (EOS-correct)")
                .tag("stage", stage).tag("topic", tp.topic()).tag("partition", Integer.toString(tp.partition()))
                .register(registry);
        return v;
    }

    /** Total lag of {@code stage} at the last refresh; -1 when unknown. */
    public long total(String stage) {
        Map<TopicPartition, AtomicLong> m = lag.get(stage);
        return m == null ? -1 : m.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public boolean knows(String stage) {
        return stages.stream().anyMatch(e -> e.name().equals(stage));
    }

    /** True once every stage's lag was read at least once. */
    public boolean refreshed() {
        return refreshed;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monitor.close();
        admin.close(Duration.ofSeconds(5));
    }
}
