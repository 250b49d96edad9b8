package dev.sluice.topology.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pid files, orphan handling, stopping and log tails of the embedded services' child processes. */
final class ChildProcesses {
    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);

    private ChildProcesses() {
    }

    /** Stops the process in {@code pidFile} if it is alive and its command line contains {@code marker}. */
    static void killOrphan(Path pidFile, String marker, String what) throws IOException {
        String pid = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
        if (pid.matches("\\d{1,18}")) {
            ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).filter(h -> runs(h, marker))
                    .ifPresent(h -> {
                        log.warn("stopping the orphaned {} (pid {}) of a previous run", what, h.pid());
                        stop(h, what);
                    });
        }
        Files.deleteIfExists(pidFile);
    }

    private static boolean runs(ProcessHandle h, String marker) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                    .contains(marker);
        } catch (IOException e) {
            return h.info().commandLine().map(c -> c.contains(marker)).orElse(false);
        }
    }

    /** SIGTERM, up to 15 s for a clean exit, then SIGKILL. */
    static void stop(ProcessHandle h, String what) {
        long t0 = System.nanoTime();
        h.destroy();
        try {
            h.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("{} (pid {}) still running after 15 s: killing it", what, h.pid());
            h.destroyForcibly();
            h.onExit().join();
        }
        log.debug("{} stopped in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The last 30 lines of a log file, read from its last 64 KiB. */
    static String tail(Path file) {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 65_536));
            ch.position(ch.size() - buf.capacity()).read(buf);
            String[] lines = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).split("\n");
            return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** A free TCP port on 127.0.0.1 (closed again: the caller binds it next). */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Closes a child started by this JVM: drops its shutdown hook, stops it if alive, removes its pid file. */
    static void close(Process process, Thread hook, Path pidFile, String what) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called by the hook itself
        }
        if (process.isAlive()) {
            stop(process.toHandle(), what);
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("cannot delete the {} pid file {}: {}", what, pidFile, e.toString());
        }
    }
}
