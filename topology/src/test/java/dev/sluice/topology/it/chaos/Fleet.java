package dev.sluice.topology.it.chaos;

import dev.sluice.topology.it.SluiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pipeline's processes: each instance is a child {@code sluice run} JVM with its own stages, stable
 * instance id, data dir and log, which the test SIGKILLs, SIGTERMs and restarts under the same id, as
 * a StatefulSet pod is. Every exit is deliberate: an instance found dead that the test did not stop
 * fails the test with its log.
 */
public final class Fleet implements AutoCloseable {
    /** C1 only: a third less CPU to start a JVM on 2 busy cores; the stages' work is I/O and native OCR. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");
    private final Path root;
    private final Function<Instance, List<String>> args;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Map<String, SluiceProcess> processes = new HashMap<>();
    private final Map<String, Long> logOffsets = new HashMap<>();
    private final List<Duration> termTimes = new ArrayList<>();
    private int starts;

    /** One instance: its stable id and its stages, from which its command line is built. */
    public record Instance(String id, String stages) {
    }

    /** A fleet under {@code root} (one data dir and log per instance); {@code args} builds an instance's command line. */
    public Fleet(Path root, Function<Instance, List<String>> args) {
        this.root = root;
        this.args = args;
    }

    /** Starts a new instance, or the stopped instance {@code id} again (same id, same data dir). */
    public synchronized void start(String id, String stages) throws Exception {
        Instance i = instances.computeIfAbsent(id, k -> new Instance(id, stages));
        if (processes.containsKey(id) && processes.get(id).isAlive()) {
            throw new IllegalStateException(id + " is running already");
        }
        Files.createDirectories(root.resolve(id));
        Path log = root.resolve(id + ".log");
        logOffsets.put(id, Files.exists(log) ? Files.size(log) : 0);
        processes.put(id, SluiceProcess.start(log, args.apply(i), List.of(), JVM_OPTIONS));
        starts++;
        ChaosLog.event("started %s (%s)", id, stages);
    }

    /** SIGKILL: no shutdown hook, an open transaction left behind for the next owner to fence. */
    public synchronized void kill(String id) throws Exception {
        running(id).kill();
        ChaosLog.event("SIGKILLed %s", id);
    }

    /**
     * SIGTERM, as a scale-down or a rolling deploy does; fails if the process takes more than 20 s or
     * does not end as a shutdown does (exit code 143, or 0), e.g. when it crashes on the way out.
     */
    public synchronized Duration terminate(String id) throws Exception {
        SluiceProcess p = running(id);
        Duration d = p.terminate(20);
        if (p.exitCode() != 143 && p.exitCode() != 0) {
            throw new AssertionError(id + " exited with code " + p.exitCode() + " after SIGTERM; log tail:\n" + p.tail());
        }
        termTimes.add(d);
        ChaosLog.event("SIGTERMed %s: exited in %d ms", id, d.toMillis());
        return d;
    }

    /** Restarts a stopped instance under its id. */
    public void restart(String id) throws Exception {
        start(id, instances.get(id).stages());
    }

    /** What instance {@code id} logged since its last start. */
    public String logSinceStart(String id) throws IOException {
        byte[] all = Files.readAllBytes(root.resolve(id + ".log"));
        int from = (int) Math.min(logOffsets.get(id), all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** Waits until instance {@code id} runs its stages (its start line is logged); fails after two minutes. */
    public void awaitRunning(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!logSinceStart(id).contains("sluice running")) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " did not start its stages within two minutes:\n" + logSinceStart(id));
            }
            Thread.sleep(100);
        }
    }

    /** Ids of the running instances. */
    public synchronized List<String> running() {
        return processes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).sorted().toList();
    }

    /** Fails, with the log tail, if an instance died without the test stopping it. */
    public synchronized void checkAlive() throws Exception {
        for (Map.Entry<String, SluiceProcess> e : processes.entrySet()) {
            if (!e.getValue().isAlive() && !e.getValue().stoppedByTest()) {
                throw new AssertionError("instance " + e.getKey() + " exited by itself; log tail:\n" + e.getValue().tail());
            }
        }
    }

    /** Time each SIGTERMed instance took to exit. */
    public synchronized List<Duration> termTimes() {
        return List.copyOf(termTimes);
    }

    /** Processes started, restarts included. */
    public synchronized int starts() {
        return starts;
    }

    private SluiceProcess running(String id) {
        SluiceProcess p = processes.get(id);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(id + " is not running");
        }
        return p;
    }

    /** SIGTERMs every running instance (the end of the run, timed like the others). */
    public void terminateAll() throws Exception {
        for (String id : running()) {
            terminate(id);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        for (SluiceProcess p : processes.values()) {
            p.close();
        }
    }
}
