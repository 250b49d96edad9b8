package dev.sluice.topology.embedded;

import java.io.IOException;
import java.io.Writer;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM on this JVM's
 * classpath, listening on 127.0.0.1 only: PLAINTEXT, or SASL_SSL with SCRAM and ACLs ({@link BrokerSecurity}).
 * Its data survives restarts; its ports are new on every start, except through {@link #restart}.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String LOGBACK = "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core."
            + "ConsoleAppender\"><encoder><pattern>%d{ISO8601} %-5level [%logger{36}] %msg%n</pattern></encoder>"
            + "</appender><logger name=\"kafka.server.KafkaRaftServer\" level=\"INFO\"/><logger name=\"kafka."
            + "server.BrokerServer\" level=\"INFO\"/><root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>"
            + "</configuration>";
    private static final List<String> ONES = List.of("offsets.topic.replication.factor", "min.insync.replicas",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
            "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr");

    private final Path dir;
    private final Process process;
    private final int port;
    private final int controllerPort;
    private final BrokerSecurity security;
    private final Thread hook = new Thread(this::close, "embedded-kafka-stop");

    private EmbeddedKafka(Path dir, Process process, int port, int controllerPort, BrokerSecurity security) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.controllerPort = controllerPort;
        this.security = security;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a broker with its data under {@code dataDir} (formatted on first use), after stopping an orphaned
     * broker that a killed parent left running there, and waits until it accepts transactions.
     *
     * @throws Exception if it is not ready within 60 s; the message then holds the tail of broker.log
     */
    public static EmbeddedKafka start(Path dataDir) throws Exception {
        return start(dataDir, null);
    }

    /**
     * As {@link #start(Path)}; with {@code security} the broker listens on SASL_SSL only, authorizes with
     * ACLs, and its super user is created when the log dir is first formatted.
     */
    public static EmbeddedKafka start(Path dataDir, BrokerSecurity security) throws Exception {
        return start(dataDir, security, ChildProcesses.freePort(), ChildProcesses.freePort());
    }

    /**
     * A broker restart, as a rolling upgrade of the cluster brings: stops this broker cleanly (SIGTERM),
     * waits {@code downtime}, and starts a new broker on the same data dir, ports and security, so clients
     * reconnect to the same address. Returns the new broker; this one is closed.
     */
    public EmbeddedKafka restart(java.time.Duration downtime) throws Exception {
        close();
        Thread.sleep(downtime.toMillis());
        return start(dir, security, port, controllerPort);
    }

    private static EmbeddedKafka start(Path dataDir, BrokerSecurity security, int port, int controllerPort) throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(dataDir).toAbsolutePath();
        ChildProcesses.killOrphan(dir.resolve("broker.pid"), "kafka.Kafka", "Kafka broker");
        ensureUnlocked(dir.resolve("logs"));
        Path props = writeConfig(dir, port, controllerPort, security);
        formatIfNeeded(dir, props, security);
        Process p = run(dir, "kafka.Kafka", props.toString());
        Files.writeString(dir.resolve("broker.pid"), Long.toString(p.pid()));
        EmbeddedKafka kafka = new EmbeddedKafka(dir, p, port, controllerPort, security);
        try {
            kafka.awaitReady(System.currentTimeMillis() + 60_000);
        } catch (Exception e) {
            kafka.close();
            throw new IllegalStateException("Kafka broker failed to start within 60 s (" + e + "); last lines of "
                    + dir.resolve("broker.log") + ":\n" + ChildProcesses.tail(dir.resolve("broker.log")), e);
        }
        log.info("Kafka broker ready at {} in {} ms (data in {})", kafka.bootstrapServers(), ChildProcesses.millisSince(t0), dir);
        return kafka;
    }

    /** The bootstrap address, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Client settings that reach the broker: the bootstrap address, and the super user's credentials when secured. */
    public Map<String, Object> clientProps() {
        return security == null ? Map.of("bootstrap.servers", bootstrapServers())
                : security.clientProps(bootstrapServers(), security.superUser(), security.superPassword());
    }

    /**
     * Hands the stopping of this broker on JVM shutdown to the caller, who then closes it in order
     * (after the stages that use it) instead of the JVM stopping it at once beside them.
     */
    public void handOverShutdown() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // too late: the JVM is stopping
        }
    }

    /** Stops the broker: SIGTERM, up to 15 s for a clean shutdown, then a forced kill. Idempotent. */
    @Override
    public void close() {
        ChildProcesses.close(process, hook, dir.resolve("broker.pid"), "Kafka broker");
    }

    @SuppressWarnings("try") // the probe socket only checks that the port accepts connections yet
    private void awaitReady(long deadline) throws Exception {
        Map<String, Object> cfg = new HashMap<>(clientProps());
        cfg.put("request.timeout.ms", 5000);
        Map<String, Object> txCfg = new HashMap<>(cfg);
        txCfg.putAll(Map.of("transactional.id", "sluice-embedded-readiness", "max.block.ms", 5000));
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port); Admin admin = Admin.create(cfg);
                    var producer = new KafkaProducer<>(txCfg, new ByteArraySerializer(), new ByteArraySerializer())) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                producer.initTransactions(); // the transaction coordinator is up
                return;
            } catch (Exception e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited with code " + process.exitValue());
                } else if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                log.debug("Kafka broker not ready yet: {}", e.toString());
                Thread.sleep(250);
            }
        }
    }

    private static Path writeConfig(Path dir, int port, int controllerPort, BrokerSecurity security) throws IOException {
        Properties p = new Properties();
        ONES.forEach(key -> p.put(key, "1"));
        p.putAll(Map.of("process.roles", "broker,controller", "node.id", "1",
                "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners", "PLAINTEXT://127.0.0.1:" + port, "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort,
                "log.dirs", dir.resolve("logs").toString(), "group.initial.rebalance.delay.ms", "0"));
        p.putAll(Map.of("num.partitions", "8", "auto.create.topics.enable", "false",
                "offsets.topic.num.partitions", "8", "transaction.state.log.num.partitions", "8"));
        if (security != null) {
            p.putAll(security.brokerProps(port, controllerPort, Uuid.randomUuid().toString().replace("-", "")));
        }
        Files.writeString(dir.resolve("broker-logback.xml"), LOGBACK);
        try (Writer w = Files.newBufferedWriter(dir.resolve("server.properties"), StandardCharsets.UTF_8)) {
            p.store(w, "written by EmbeddedKafka on every start");
        }
        return dir.resolve("server.properties");
    }

    /** Formats the log dir as a single-node dynamic quorum (kraft.version 1) unless it is formatted already. */
    private static void formatIfNeeded(Path dir, Path props, BrokerSecurity security) throws Exception {
        if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            long t0 = System.nanoTime();
            String cluster = Uuid.randomUuid().toString();
            List<String> args = new ArrayList<>(List.of("format", "--cluster-id", cluster, "--config", props.toString(),
                    "--standalone"));
            if (security != null) {
                args.addAll(List.of("--add-scram", security.scramCredential()));
            }
            if (run(dir, "kafka.tools.StorageTool", args.toArray(String[]::new)).waitFor() != 0) {
                throw new IllegalStateException("Formatting " + dir.resolve("logs") + " for Kafka failed:\n"
                        + ChildProcesses.tail(dir.resolve("broker.log")));
            }
            log.debug("Formatted {} for Kafka cluster {} in {} ms", dir.resolve("logs"), cluster, ChildProcesses.millisSince(t0));
        }
    }

    /** Runs {@code mainClass} in a child JVM on our classpath, appending its output to broker.log. */
    private static Process run(Path dir, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + dir.resolve("broker-logback.xml"),
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
    }



    /** A second broker on the same log dir damages the metadata log before it fails on Kafka's own lock. */
    private static void ensureUnlocked(Path logs) throws IOException {
        if (Files.exists(logs.resolve(".lock"))) {
            try (FileChannel ch = FileChannel.open(logs.resolve(".lock"), StandardOpenOption.WRITE);
                    FileLock lock = ch.tryLock()) {
                if (lock == null) {
                    throw new IllegalStateException(logs + " is in use by another Kafka broker: stop it first");
                }
            }
        }
    }


}
