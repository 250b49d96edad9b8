package dev.sluice.runtime;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of a per-record stage. A stage's resources (a Tesseract handle, an HTTP client,
 * a JDBC connection) may be released only once no worker can touch them any more: {@link #stop}
 * says whether every worker has stopped. A worker inside native code (OCR) does not answer an
 * interrupt, and freeing what it uses under it crashes the JVM.
 */
final class WorkerPool implements java.util.concurrent.Executor {
    private final ExecutorService pool;
    private final Duration stopTimeout;

    WorkerPool(String stage, int threads, Duration stopTimeout) {
        this.pool = Executors.newFixedThreadPool(threads, daemonThreads(stage));
        this.stopTimeout = stopTimeout;
    }

    <T> Future<T> submit(Callable<T> task) {
        return pool.submit(task);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /**
     * Interrupts the workers and waits up to the stop timeout for them to finish; true when every
     * worker has stopped, false when one is still running (its stage must then not be closed).
     */
    boolean stop() {
        pool.shutdownNow();
        try {
            return pool.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pool.isTerminated();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String stage) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-" + stage + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
