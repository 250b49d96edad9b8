package dev.sluice.topology.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code sluice} run as a child JVM on the test classpath, so a test can SIGKILL it. */
public final class SluiceProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private volatile boolean stoppedByTest;

    private SluiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static SluiceProcess start(Path log, List<String> args) throws IOException {
        return start(log, args, List.of());
    }

    /** As {@link #start(Path, List)}, with jars (e.g. a plugin stage's) added to the class path. */
    public static SluiceProcess start(Path log, List<String> args, List<Path> extraJars) throws IOException {
        return start(log, args, extraJars, List.of());
    }

    /** As above, with more JVM options (e.g. {@code -XX:TieredStopAtLevel=1} for a quick start). */
    public static SluiceProcess start(Path log, List<String> args, List<Path> extraJars, List<String> jvmOptions)
            throws IOException {
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        extraJars.forEach(j -> cp.append(java.io.File.pathSeparator).append(j));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp.toString(), "dev.sluice.topology.cli.SluiceCli"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new SluiceProcess(pb.start(), log);
    }

    /** SIGKILL: no shutdown hook, no clean close, open transactions left behind. */
    public void kill() throws InterruptedException {
        stoppedByTest = true;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, as on a KEDA scale-down or a rolling deploy; returns how long the process took to exit,
     * or fails after {@code seconds} with the log's tail.
     */
    public Duration terminate(long seconds) throws Exception {
        long t0 = System.nanoTime();
        stoppedByTest = true;
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("sluice did not exit within " + seconds + " s of SIGTERM; log tail:\n" + tail());
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Waits for a normal exit and returns its code; fails with the log's tail on timeout. */
    public int awaitExit(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("sluice did not exit within " + seconds + " s; log tail:\n" + tail());
        }
        return process.exitValue();
    }

    /** The exit code of the exited process (143 after a SIGTERM whose shutdown completed). */
    public int exitCode() {
        return process.exitValue();
    }

    /** True once the test SIGKILLed or SIGTERMed the process: an exit it caused. */
    public boolean stoppedByTest() {
        return stoppedByTest;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
